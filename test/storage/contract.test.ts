import assert from 'node:assert/strict';
import type { Storage, StoreItems } from 'botbuilder';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey.js';
import { z } from 'zod';
import { DocumentStore } from '../../bot/storage/documentStore.js';
import { CREATE_ONLY_ETAG, isETagConflict } from '../../bot/storage/etag.js';
import { blobBackend, lowdbBackend, type Backend, type StoreUnderTest } from './backends.js';

const ListSchema = z.object({ items: z.array(z.string()) });

/** The keys the bot stores under, with the id shapes Teams gives (AAD guids, 29:/19: ids). */
const REAL_KEYS = [
  'assessment/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  'refs/user/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  'refs/user/29:1AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789_abcdefghijklmnop',
  'refs/conv/19:3f8a1b2c4d5e6f708192a3b4c5d6e7f8@thread.tacv2',
  'refs/conv/a:1xYzPersonalConversationId-With_Odd.Chars',
  'eligibility/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  'link/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  'manager/29:1ManagerTeamsId',
  'questionlog/2026-11-16',
  'questionlog/index',
];

type Item = Record<string, unknown>;

/** Storage.read as these tests look at it: botbuilder types a stored item as `any`, here it is a record. */
function readItems(storage: Storage, keys: string[]): Promise<Record<string, Item | undefined>> {
  return storage.read(keys);
}

function withoutETag(item: Item | undefined): Item | undefined {
  if (!item) return undefined;
  const rest = { ...item };
  delete rest.eTag;
  return rest;
}

async function rejectsWithConflict(p: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isETagConflict(e), `${what}: expected an eTag conflict, got ${String(e)}`);
    return true;
  });
}

/** Every updater adds its own item with read-modify-write; a lost update would drop one. */
async function raceUpdaters(stores: DocumentStore[], key: string, count: number): Promise<string[]> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      stores[i % stores.length]!.update(key, ListSchema, (cur) => ({
        items: [...(cur?.items ?? []), `item-${i}`],
      })),
    ),
  );
  const doc = await stores[0]!.get(key, ListSchema);
  return [...(doc?.items ?? [])].sort();
}

const expectedItems = (count: number) => Array.from({ length: count }, (_, i) => `item-${i}`).sort();

function storageContract(backend: Backend): void {
  describe(`storage contract: ${backend.name}`, function () {
    this.timeout(30_000);
    let store: StoreUnderTest;
    let s: Storage;

    before(async function () {
      this.timeout(60_000);
      await backend.start();
    });
    after(() => backend.stop());
    beforeEach(async () => {
      store = await backend.fresh();
      s = store.storage;
    });
    afterEach(() => store.cleanup());

    it('reading a missing key gives an empty result, not an error', async () => {
      assert.deepEqual(await s.read(['nobody/here']), {});
      assert.deepEqual(await s.read([]), {});
    });

    it('a written document reads back equal, with an eTag that changes on every write', async () => {
      const value = { name: 'x', n: 1, nested: { list: [1, 2, 3], flag: true, nothing: null } };
      await s.write({ 'doc/a': value });
      const first = (await readItems(s, ['doc/a']))['doc/a'];
      assert.deepEqual(withoutETag(first), value);
      assert.equal(typeof first?.eTag, 'string');
      assert.ok((first!.eTag as string).length > 0);

      await s.write({ 'doc/a': { ...value, n: 2, eTag: first!.eTag } });
      const second = (await readItems(s, ['doc/a']))['doc/a'];
      assert.equal(second?.n, 2);
      assert.notEqual(second.eTag, first!.eTag);
    });

    it('"*" and a missing eTag both overwrite whatever is stored', async () => {
      await s.write({ k: { v: 1 } });
      await s.write({ k: { v: 2, eTag: '*' } });
      assert.deepEqual(withoutETag((await readItems(s, ['k'])).k), { v: 2 });
      await s.write({ k: { v: 3 } });
      assert.deepEqual(withoutETag((await readItems(s, ['k'])).k), { v: 3 });
    });

    it('a write with a stale eTag is rejected as a conflict and changes nothing', async () => {
      await s.write({ k: { v: 1 } });
      const stale = (await readItems(s, ['k'])).k!.eTag as string;
      await s.write({ k: { v: 2, eTag: stale } });
      await rejectsWithConflict(s.write({ k: { v: 3, eTag: stale } }), 'stale eTag');
      assert.deepEqual(withoutETag((await readItems(s, ['k'])).k), { v: 2 });
    });

    it('a write with an eTag for a document that does not exist is a conflict (it was deleted meanwhile)', async () => {
      await s.write({ other: { v: 1 } });
      const someETag = (await readItems(s, ['other'])).other!.eTag as string;
      await rejectsWithConflict(s.write({ missing: { v: 1, eTag: someETag } }), 'eTag on a missing doc');
      assert.deepEqual(await s.read(['missing']), {});

      await s.write({ gone: { v: 1 } });
      const eTag = (await readItems(s, ['gone'])).gone!.eTag as string;
      await s.delete(['gone']);
      await rejectsWithConflict(s.write({ gone: { v: 2, eTag } }), 'eTag on a deleted doc');
      assert.deepEqual(await s.read(['gone']), {});
    });

    it('CREATE_ONLY_ETAG creates a missing document and is a conflict when one exists', async () => {
      await s.write({ fresh: { v: 1, eTag: CREATE_ONLY_ETAG } });
      assert.deepEqual(withoutETag((await readItems(s, ['fresh'])).fresh), { v: 1 });
      await rejectsWithConflict(s.write({ fresh: { v: 2, eTag: CREATE_ONLY_ETAG } }), 'create over existing');
      assert.deepEqual(withoutETag((await readItems(s, ['fresh'])).fresh), { v: 1 });
    });

    it('two instances creating the same document at once: exactly one is created, the other conflicts', async () => {
      const other = await store.another();
      for (let round = 0; round < 5; round++) {
        const key = `create-race/${round}`;
        const results = await Promise.allSettled([
          s.write({ [key]: { by: 'first', eTag: CREATE_ONLY_ETAG } }),
          other.write({ [key]: { by: 'second', eTag: CREATE_ONLY_ETAG } }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1, `round ${round}: one create wins`);
        assert.ok(isETagConflict(lost[0]!.reason), `round ${round}: the other is a conflict`);
        const winner = results[0].status === 'fulfilled' ? 'first' : 'second';
        assert.equal(
          (await readItems(other, [key]))[key]?.by,
          winner,
          `round ${round}: the winner is stored`,
        );
      }
    });

    it('delete removes documents, and deleting a missing key is not an error', async () => {
      await s.write({ a: { v: 1 }, b: { v: 2 } });
      await s.delete(['a', 'never-written']);
      assert.deepEqual(Object.keys(await s.read(['a', 'b'])), ['b']);
    });

    it('many keys in one write and one read; only the present ones come back', async () => {
      const changes: StoreItems = {};
      for (let i = 0; i < 60; i++) changes[`many/${i}`] = { i };
      await s.write(changes);
      const keys = [...Object.keys(changes), 'many/absent-1', 'many/absent-2'];
      const got = await readItems(s, keys);
      assert.equal(Object.keys(got).length, 60);
      for (let i = 0; i < 60; i++) assert.equal(got[`many/${i}`]?.i, i);
    });

    it('the keys the bot uses (AAD guids, Teams 29:/19: ids) are stored apart and read back', async () => {
      const changes: StoreItems = {};
      REAL_KEYS.forEach((k, i) => (changes[k] = { k, i }));
      await s.write(changes);
      const got = await readItems(s, REAL_KEYS);
      REAL_KEYS.forEach((k, i) => {
        assert.deepEqual(withoutETag(got[k]), { k, i }, k);
      });
    });

    it('unicode keys and values (accents, Cyrillic, CJK, emoji, long multi-byte text) round-trip', async () => {
      const long = 'Ångström — 日本語のテキスト ✓ 😀 '.repeat(400);
      const values: StoreItems = {
        'assessment/zoë-ñ': { note: 'Naïve café, déjà vu' },
        'refs/user/ключ-✓': { note: 'Привет, мир' },
        'notes/日本語/😀': { note: long },
        'case/Key': { v: 'upper' },
        'case/key': { v: 'lower' },
      };
      await s.write(values);
      const got = await readItems(s, Object.keys(values));
      for (const [k, v] of Object.entries(values)) assert.deepEqual(withoutETag(got[k]), v, k);
    });

    // The document does not exist when they start, so the first writes race to create it too.
    it('DocumentStore.update: 20 concurrent updaters of one key each add an item, and all 20 are kept', async () => {
      const items = await raceUpdaters([new DocumentStore(s)], 'race/one-instance', 20);
      assert.deepEqual(items, expectedItems(20));
    });

    it('two separate storage instances (two bot instances) racing on one key lose nothing', async () => {
      const other = await store.another();
      const stores = [new DocumentStore(s), new DocumentStore(other)];
      assert.deepEqual(await raceUpdaters(stores, 'race/two-instances', 20), expectedItems(20));
      // And again on a document that already exists.
      await stores[0]!.put('race/existing', ListSchema, { items: [] });
      assert.deepEqual(await raceUpdaters(stores, 'race/existing', 20), expectedItems(20));
    });

    it('two instances writing with the same eTag at once: exactly one wins, the other gets a conflict', async () => {
      const other = await store.another();
      for (let round = 0; round < 5; round++) {
        await s.write({ k: { round, by: 'setup' } });
        const eTag = (await readItems(s, ['k'])).k!.eTag as string;
        const results = await Promise.allSettled([
          s.write({ k: { round, by: 'first', eTag } }),
          other.write({ k: { round, by: 'second', eTag } }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1, `round ${round}: one write wins`);
        assert.ok(isETagConflict(lost[0]!.reason), `round ${round}: the other is a conflict`);
        const winner = results[0].status === 'fulfilled' ? 'first' : 'second';
        assert.equal((await readItems(other, ['k'])).k?.by, winner, `round ${round}: the winner is stored`);
      }
    });
  });
}

describe('storage keys are valid Azure blob names', () => {
  it('every key shape the bot uses maps to a distinct blob name of at most 1,024 characters, not ending in "." or "/"', () => {
    const names = REAL_KEYS.map((k) => sanitizeBlobKey(k));
    assert.equal(new Set(names).size, REAL_KEYS.length);
    for (const n of names) {
      assert.ok(n.length >= 1 && n.length <= 1024, n);
      assert.doesNotMatch(n, /[./]$/, n);
      assert.doesNotMatch(n, /\//, `${n}: "/" is escaped, so blobs stay flat`);
    }
  });
});

storageContract(lowdbBackend());
storageContract(blobBackend());
