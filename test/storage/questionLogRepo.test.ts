import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentStore, StoredDocumentError } from '../../bot/storage/documentStore.js';
import { QuestionLogStore } from '../../bot/storage/questionLogRepo.js';
import { blobBackend, lowdbBackend, type Backend, type StoreUnderTest } from './backends.js';

/** Every stored document on disk, by its key. */
async function storedKeys(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.json') || e.name.startsWith('.')) continue;
    const file = path.join(e.parentPath, e.name);
    out.set((JSON.parse(await readFile(file, 'utf8')) as { key: string }).key, file);
  }
  return out;
}

function questionLogBehaviour(backend: Backend): void {
  describe(`question log: ${backend.name}`, function () {
    this.timeout(30_000);
    let s: StoreUnderTest;
    before(async function () {
      this.timeout(60_000);
      await backend.start();
    });
    after(() => backend.stop());
    beforeEach(async () => {
      s = await backend.fresh();
    });
    afterEach(() => s.cleanup());

    const open = () => new QuestionLogStore(new DocumentStore(s.storage));

    it('keeps the entries of each day in order and lists the window oldest day first', async () => {
      const log = open();
      await log.add({ text: 'what is SPC', reason: 'unanswered', day: '2026-11-14' });
      await log.add({ text: 'who signs off CCAP', reason: 'not-helpful', day: '2026-11-16' });
      await log.add({ text: 'what is SPC', reason: 'not-helpful', day: '2026-11-16' });
      await log.add({ text: 'a day too old', reason: 'unanswered', day: '2026-11-13' });

      assert.deepEqual(await log.list('2026-11-16', 3), [
        { text: 'what is SPC', reason: 'unanswered', day: '2026-11-14' },
        { text: 'who signs off CCAP', reason: 'not-helpful', day: '2026-11-16' },
        { text: 'what is SPC', reason: 'not-helpful', day: '2026-11-16' },
      ]);
      assert.equal((await log.list('2026-11-16', 1)).length, 2);
      assert.deepEqual(await log.list('2026-11-12', 90), [], 'nothing from after "today"');
    });

    it('appends from two clients at once all land, and each reads what the other wrote', async () => {
      const a = open();
      const b = new QuestionLogStore(new DocumentStore(await s.another()));
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).add({ text: `q${i}`, reason: 'unanswered', day: '2026-11-16' }),
        ),
      );
      for (const log of [a, b]) {
        const texts = (await log.list('2026-11-16', 1)).map((e) => e.text);
        assert.equal(new Set(texts).size, 30);
      }
    });

    it('caps a day at its limit and keeps the first ones', async () => {
      const log = new QuestionLogStore(new DocumentStore(s.storage), 3);
      for (let i = 0; i < 5; i++) await log.add({ text: `q${i}`, reason: 'unanswered', day: '2026-11-16' });
      await log.add({ text: 'next day', reason: 'unanswered', day: '2026-11-17' });
      assert.deepEqual(
        (await log.list('2026-11-17', 2)).map((e) => e.text),
        ['q0', 'q1', 'q2', 'next day'],
      );
    });

    it('removes the days before the window, however long ago, and keeps the window', async () => {
      const log = open();
      for (const day of ['2024-01-05', '2026-08-18', '2026-08-19', '2026-11-16'])
        await log.add({ text: `asked on ${day}`, reason: 'unanswered', day });

      assert.equal(await log.removeOlderThan('2026-11-16', 90), 2);
      assert.deepEqual(
        (await log.list('2026-11-16', 1000)).map((e) => e.day),
        ['2026-08-19', '2026-11-16'],
      );
      const gone = await s.storage.read(['questionlog/2024-01-05', 'questionlog/2026-08-18']);
      assert.deepEqual(Object.keys(gone), [], 'the old day documents are deleted, not just unlisted');
      assert.equal(await log.removeOlderThan('2026-11-16', 90), 0, 'nothing more to do');

      // A day removed and written again (a clock set back) is indexed again, so it goes next time.
      await log.add({ text: 'late', reason: 'unanswered', day: '2026-08-18' });
      assert.equal(await log.removeOlderThan('2026-11-16', 90), 1);
    });

    it('refuses a day that is not YYYY-MM-DD', async () => {
      await assert.rejects(open().add({ text: 'x', reason: 'unanswered', day: '16/11/2026' }), RangeError);
    });
  });
}

describe('question log on lowdb files', function () {
  this.timeout(20_000);
  let s: StoreUnderTest;
  beforeEach(async () => {
    s = await lowdbBackend().fresh();
  });
  afterEach(() => s.cleanup());

  it('one small document a day and an index of the days, nothing else', async () => {
    const log = new QuestionLogStore(new DocumentStore(s.storage));
    for (const day of ['2026-11-13', '2026-11-14', '2026-11-16', '2026-11-16'])
      await log.add({ text: `asked on ${day}`, reason: 'unanswered', day });
    const keys = [...(await storedKeys(s.dir!)).keys()].sort();
    assert.deepEqual(keys, [
      'questionlog/2026-11-13',
      'questionlog/2026-11-14',
      'questionlog/2026-11-16',
      'questionlog/index',
    ]);
  });

  it('a hand-edited day document that lost its shape is a clear error naming the document', async () => {
    const log = new QuestionLogStore(new DocumentStore(s.storage));
    await log.add({ text: 'what is SPC', reason: 'unanswered', day: '2026-11-16' });
    const file = (await storedKeys(s.dir!)).get('questionlog/2026-11-16')!;
    const stored = JSON.parse(await readFile(file, 'utf8')) as { value: { entries: { reason: string }[] } };
    stored.value.entries[0]!.reason = 'shrug';
    await writeFile(file, JSON.stringify(stored));
    await assert.rejects(
      log.list('2026-11-16', 1),
      (e: unknown) => e instanceof StoredDocumentError && /questionlog\/2026-11-16/.test(e.message),
    );
  });
});

questionLogBehaviour(lowdbBackend());
questionLogBehaviour(blobBackend());
