// Child process for the lowdb crash-safety test: writes documents as fast as it can, several at a
// time, and reports each one on stdout only after its write has resolved. The test SIGKILLs it.
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crashWriter <dataDir>');
const storage = new LowdbStorage(dir);
const payload = 'clinical coding audit evidence · '.repeat(600);

let seq = 0;
async function worker(w: number): Promise<never> {
  for (;;) {
    const n = seq++;
    // Half the writes overwrite a few hot documents (a torn overwrite would show), half create new ones.
    const key = n % 2 === 0 ? `hot/${w % 4}` : `doc/${n}`;
    await storage.write({ [key]: { key, seq: n, payload } });
    process.stdout.write(`ok ${key} ${n}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
