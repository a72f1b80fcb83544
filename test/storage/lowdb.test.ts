import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';

const PAYLOAD = 'clinical coding audit evidence · '.repeat(600);

/** A document file as lowdb writes it (its eTag left out): the key and the stored value. */
const StoredFileSchema = z.object({ key: z.string(), value: z.record(z.string(), z.unknown()) });
const readStoredFile = async (f: string) => StoredFileSchema.parse(JSON.parse(await readFile(f, 'utf8')));

/** What crashWriter.ts writes under each key. */
const CrashDocSchema = z.object({ key: z.string(), seq: z.number(), payload: z.string() });

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}

const isDocumentFile = (f: string) => f.endsWith('.json') && !path.basename(f).startsWith('.');

describe('lowdb storage on disk', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cab-lowdb-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps one small file per key, each holding only its own document', async () => {
    const s = new LowdbStorage(dir);
    const keys = ['assessment/u1', 'assessment/u2', 'refs/user/u1', 'refs/conv/19:c@thread.tacv2'];
    await s.write(Object.fromEntries(keys.map((k) => [k, { k }])));
    await s.write({ 'assessment/u1': { k: 'assessment/u1', again: true } });
    const files = (await filesUnder(dir)).filter(isDocumentFile);
    assert.equal(files.length, keys.length);
    const stored = await Promise.all(files.map(readStoredFile));
    assert.deepEqual(stored.map((e) => e.key).sort(), [...keys].sort());
    for (const e of stored) assert.equal(e.value.k, e.key);
  });

  it('a write touches only its own file, so its cost does not grow with the number of users', async () => {
    const s = new LowdbStorage(dir);
    const changes: Record<string, { n: number }> = {};
    for (let i = 0; i < 200; i++) changes[`assessment/user-${i}`] = { n: i };
    await s.write(changes);
    const before = new Map<string, number>();
    for (const f of await filesUnder(dir)) before.set(f, (await stat(f)).mtimeMs);
    await new Promise((r) => setTimeout(r, 20));
    await s.write({ 'assessment/user-7': { n: -1 } });
    const changed: string[] = [];
    for (const f of await filesUnder(dir)) if ((await stat(f)).mtimeMs !== before.get(f)) changed.push(f);
    assert.equal(changed.length, 1, `files changed: ${changed.join(', ')}`);
    assert.equal((await readStoredFile(changed[0]!)).key, 'assessment/user-7');
  });

  it('a writer SIGKILLed mid-stream leaves every document it reported written readable and whole', async () => {
    const writer = new URL('./crashWriter.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reported = new Map<string, number>();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`crash writer too slow:\n${stderr}`));
      }, 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [, key, seq] = line.split(' ');
          reported.set(key!, Math.max(reported.get(key!) ?? -1, Number(seq)));
        }
        if (reported.size >= 300 && child.exitCode === null) {
          clearTimeout(timer);
          child.kill('SIGKILL');
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (signal === 'SIGKILL') resolve();
        else reject(new Error(`crash writer exited by itself (${code}):\n${stderr}`));
      });
    });

    const s = new LowdbStorage(dir);
    const got = await s.read([...reported.keys()]);
    for (const [key, seq] of reported) {
      const item: unknown = got[key];
      assert.ok(item, `${key} was reported written but is missing`);
      const doc = CrashDocSchema.parse(item);
      assert.equal(doc.key, key);
      assert.ok(doc.seq >= seq, `${key}: stored write ${doc.seq} is older than reported ${seq}`);
      assert.equal(doc.payload, PAYLOAD, `${key}: payload intact`);
    }
    // No torn document anywhere, reported or not: every document file parses.
    for (const f of (await filesUnder(dir)).filter(isDocumentFile)) {
      const env = await readStoredFile(f);
      assert.equal(env.value.payload, PAYLOAD, f);
    }
  });
});
