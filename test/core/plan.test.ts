import assert from 'node:assert/strict';
import { closeItem, confirmItem, planOrder, proposeItem, type PlanDoc } from '../../bot/core/plan/plan.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const TODAY = '2026-11-23';
const activity = (n: number) => ({
  id: `LMA${String(n).padStart(2, '0')}`,
  text: `Activity ${n}`,
  servesAreas: ['CC3' as const],
});

function propose(doc: PlanDoc, n: number, over: Partial<Parameters<typeof proposeItem>[1]> = {}) {
  return proposeItem(doc, {
    id: `i${n}`,
    activity: activity(n),
    targetDate: '2026-12-21',
    owner: 'coder',
    by: 'coder',
    today: TODAY,
    now: NOW,
    ...over,
  });
}

describe('the development plan (core)', () => {
  it('takes a target date from today up to two years on', () => {
    const empty: PlanDoc = { items: [] };
    assert.deepEqual(propose(empty, 1, { targetDate: '2026-11-22' }), { ok: false, problem: 'date-past' });
    assert.equal(propose(empty, 1, { targetDate: TODAY }).ok, true);
    assert.equal(propose(empty, 1, { targetDate: '2028-11-23' }).ok, true);
    assert.deepEqual(propose(empty, 1, { targetDate: '2029-01-01' }), { ok: false, problem: 'date-far' });
  });

  it('holds an activity once while open, and at most twelve open items', () => {
    let doc: PlanDoc = { items: [] };
    for (let n = 1; n <= 12; n += 1) {
      const r = propose(doc, n);
      assert.ok(r.ok);
      doc = r.doc;
    }
    assert.deepEqual(propose(doc, 3), { ok: false, problem: 'already-planned' });
    assert.deepEqual(propose(doc, 13), { ok: false, problem: 'plan-full' });
    const dropped = closeItem(doc, 'i3', { as: 'dropped', note: 'not now', by: 'coder', now: NOW });
    assert.ok(dropped.ok);
    assert.equal(
      propose(dropped.doc, 3, { id: 'again' }).ok,
      true,
      'a dropped activity can be planned again',
    );
  });

  it('is agreed when the other side confirms; the proposer cannot confirm their own', () => {
    const r = propose({ items: [] }, 1, { by: 'manager', owner: 'manager' });
    assert.ok(r.ok);
    assert.deepEqual(confirmItem(r.doc, 'i1', 'manager', NOW), {
      ok: false,
      problem: 'not-yours-to-confirm',
    });
    const agreed = confirmItem(r.doc, 'i1', 'coder', NOW);
    assert.ok(agreed.ok);
    assert.equal(agreed.item.status, 'agreed');
    assert.deepEqual(confirmItem(agreed.doc, 'i1', 'coder', NOW), { ok: false, problem: 'not-open' });
    assert.deepEqual(confirmItem(agreed.doc, 'nope', 'coder', NOW), { ok: false, problem: 'not-found' });
  });

  it('a coder with no manager agrees their own plan at once', () => {
    const r = propose({ items: [] }, 1, { alone: true });
    assert.ok(r.ok);
    assert.equal(r.item.status, 'agreed');
  });

  it('is done only once agreed and with a note; a proposal can be declined; closed items come after open ones', () => {
    const r = propose({ items: [] }, 1);
    assert.ok(r.ok);
    assert.deepEqual(closeItem(r.doc, 'i1', { as: 'done', note: 'did it', by: 'coder', now: NOW }), {
      ok: false,
      problem: 'not-open',
    });
    const agreed = confirmItem(r.doc, 'i1', 'manager', NOW);
    assert.ok(agreed.ok);
    assert.deepEqual(closeItem(agreed.doc, 'i1', { as: 'done', note: '  ', by: 'coder', now: NOW }), {
      ok: false,
      problem: 'note-needed',
    });
    const done = closeItem(agreed.doc, 'i1', {
      as: 'done',
      note: ' Ran the session. ',
      by: 'manager',
      now: NOW,
    });
    assert.ok(done.ok);
    assert.deepEqual(
      [done.item.status, done.item.note, done.item.closedBy],
      ['done', 'Ran the session.', 'manager'],
    );
    const second = propose(done.doc, 2, { targetDate: '2027-01-10' });
    assert.ok(second.ok);
    const third = propose(second.doc, 3, { targetDate: '2026-12-01' });
    assert.ok(third.ok);
    assert.deepEqual(
      planOrder(third.doc.items).map((i) => i.id),
      ['i3', 'i2', 'i1'],
    );
    const declined = closeItem(third.doc, 'i2', {
      as: 'dropped',
      note: 'Not this year',
      by: 'manager',
      now: NOW,
    });
    assert.equal(declined.ok && declined.item.status, 'dropped');
  });
});
