import assert from 'node:assert/strict';
import {
  claimDigestWeek,
  CLAIM_LEASE_MS,
  markDigestSent,
  releaseDigestWeek,
} from '../../bot/core/digest/digestRun.js';
import type { WeeklyDigest } from '../../bot/core/digest/digest.js';
import {
  removeManager,
  requestLink,
  respondToLink,
  revokeLink,
  type Link,
  type ManagerDoc,
  type ManagerRepo,
} from '../../bot/core/managers/consent.js';

/** The port in memory: what the rules read and write, nothing else. */
function memoryRepo(): ManagerRepo & {
  links: Map<string, Link>;
  docs: Map<string, ManagerDoc>;
  ids: string[];
} {
  const links = new Map<string, Link>();
  const docs = new Map<string, ManagerDoc>();
  const ids: string[] = [];
  return {
    links,
    docs,
    ids,
    link: (k) => Promise.resolve(links.get(k)),
    putLink: (l) => {
      links.set(l.coderKey, l);
      return Promise.resolve();
    },
    removeLink: (k) => {
      links.delete(k);
      return Promise.resolve();
    },
    manager: (id) => Promise.resolve(docs.get(id)),
    updateManager: (id, change) => {
      const next = change(docs.get(id));
      if (next) docs.set(id, next);
      return Promise.resolve(docs.get(id));
    },
    removeManagerDoc: (id) => {
      docs.delete(id);
      return Promise.resolve();
    },
    managerIds: () => Promise.resolve([...ids]),
    addManagerId: (id) => {
      if (!ids.includes(id)) ids.push(id);
      return Promise.resolve();
    },
    removeManagerId: (id) => {
      ids.splice(0, ids.length, ...ids.filter((x) => x !== id));
      return Promise.resolve();
    },
  };
}

const NOW = new Date('2026-11-23T08:00:00Z');
const request = (coderKey: string, managerTeamsId: string): Link => ({
  coderKey,
  coderName: `Coder ${coderKey}`,
  coderTeamsId: `29:${coderKey}`,
  managerTeamsId,
  managerName: `Manager ${managerTeamsId}`,
  status: 'pending',
  requestedAt: NOW.toISOString(),
  serviceUrl: 'https://smba.example/',
});

describe('consent between a coder and their line manager', () => {
  it('a request is pending until the named manager accepts; then the coder is in their digest', async () => {
    const repo = memoryRepo();
    await requestLink(repo, request('c1', 'm1'));
    assert.deepEqual(repo.docs.get('m1')?.coders, { c1: { name: 'Coder c1', status: 'pending' } });
    assert.deepEqual(repo.ids, []);
    const answer = { coderKey: 'c1', accept: true, now: NOW };
    assert.equal(await respondToLink(repo, { ...answer, managerTeamsId: 'someone-else' }), undefined);
    const link = await respondToLink(repo, { ...answer, managerTeamsId: 'm1' });
    assert.equal(link?.status, 'accepted');
    assert.equal(link.respondedAt, NOW.toISOString());
    assert.deepEqual(repo.docs.get('m1')?.coders, { c1: { name: 'Coder c1', status: 'accepted' } });
    assert.deepEqual(repo.ids, ['m1']);
    // Answered once: a second answer finds nothing open.
    assert.equal(await respondToLink(repo, { ...answer, managerTeamsId: 'm1' }), undefined);
  });

  it('declining takes the coder off the manager’s list and adds no digest', async () => {
    const repo = memoryRepo();
    await requestLink(repo, request('c1', 'm1'));
    const link = await respondToLink(repo, { coderKey: 'c1', managerTeamsId: 'm1', accept: false, now: NOW });
    assert.equal(link?.status, 'declined');
    assert.deepEqual(repo.docs.get('m1')?.coders, {});
    assert.deepEqual(repo.ids, []);
  });

  it('naming another manager stops sharing with the first at once, and revoking stops it altogether', async () => {
    const repo = memoryRepo();
    await requestLink(repo, request('c1', 'm1'));
    await respondToLink(repo, { coderKey: 'c1', managerTeamsId: 'm1', accept: true, now: NOW });
    await requestLink(repo, request('c1', 'm2'));
    assert.deepEqual(repo.docs.get('m1')?.coders, {});
    assert.equal(repo.links.get('c1')?.managerTeamsId, 'm2');
    assert.equal((await revokeLink(repo, 'c1'))?.managerTeamsId, 'm2');
    assert.deepEqual(repo.docs.get('m2')?.coders, {});
    assert.equal(repo.links.has('c1'), false);
    assert.equal(await revokeLink(repo, 'c1'), undefined);
  });

  it('a manager who leaves ends the links naming them and leaves the weekly run', async () => {
    const repo = memoryRepo();
    for (const c of ['c1', 'c2']) {
      await requestLink(repo, request(c, 'm1'));
      await respondToLink(repo, { coderKey: c, managerTeamsId: 'm1', accept: true, now: NOW });
    }
    await removeManager(repo, 'm1');
    assert.equal(repo.links.size, 0);
    assert.equal(repo.docs.has('m1'), false);
    assert.deepEqual(repo.ids, []);
  });
});

describe('claiming a manager’s digest week', () => {
  const week = '2026-W48';
  async function withTeam() {
    const repo = memoryRepo();
    await requestLink(repo, request('c1', 'm1'));
    await respondToLink(repo, { coderKey: 'c1', managerTeamsId: 'm1', accept: true, now: NOW });
    return repo;
  }
  const digest = {
    snapshots: [{ coderKey: 'c1', gapStatementIds: [], overdue: [] }],
  } as unknown as WeeklyDigest;

  it('one run claims the week; a second within the lease does not, one after the lease takes it over', async () => {
    const repo = await withTeam();
    assert.ok(await claimDigestWeek(repo, { managerId: 'm1', week, now: NOW, claimId: 'a' }));
    assert.equal(await claimDigestWeek(repo, { managerId: 'm1', week, now: NOW, claimId: 'b' }), undefined);
    const later = new Date(NOW.getTime() + CLAIM_LEASE_MS + 1);
    assert.equal(
      (await claimDigestWeek(repo, { managerId: 'm1', week, now: later, claimId: 'c' }))?.digest?.claimId,
      'c',
    );
  });

  it('a sent week is never claimed again; the sending run stamps its own now and keeps the snapshots', async () => {
    const repo = await withTeam();
    await claimDigestWeek(repo, { managerId: 'm1', week, now: NOW, claimId: 'a' });
    const sentAt = new Date(NOW.getTime() + 5_000);
    await markDigestSent(repo, { managerId: 'm1', claimId: 'a', now: sentAt, digest });
    const doc = repo.docs.get('m1')!;
    assert.equal(doc.digest?.status, 'sent');
    assert.equal(doc.digest.sentAt, sentAt.toISOString());
    assert.deepEqual(doc.snapshots, digest.snapshots);
    const muchLater = new Date(NOW.getTime() + 10 * CLAIM_LEASE_MS);
    assert.equal(
      await claimDigestWeek(repo, { managerId: 'm1', week, now: muchLater, claimId: 'b' }),
      undefined,
    );
  });

  it('a week not delivered is given back, or stopped when the manager removed the bot', async () => {
    const repo = await withTeam();
    await claimDigestWeek(repo, { managerId: 'm1', week, now: NOW, claimId: 'a' });
    await releaseDigestWeek(repo, { managerId: 'm1', claimId: 'a', gone: false });
    assert.ok(await claimDigestWeek(repo, { managerId: 'm1', week, now: NOW, claimId: 'b' }));
    await releaseDigestWeek(repo, { managerId: 'm1', claimId: 'b', gone: true });
    assert.equal(await claimDigestWeek(repo, { managerId: 'm1', week, now: NOW, claimId: 'c' }), undefined);
  });

  it('there is nothing to claim for a manager with no consenting coder', async () => {
    const repo = memoryRepo();
    await requestLink(repo, request('c1', 'm1'));
    assert.equal(await claimDigestWeek(repo, { managerId: 'm1', week, now: NOW, claimId: 'a' }), undefined);
  });
});
