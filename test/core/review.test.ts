import assert from 'node:assert/strict';
import type { CompletedAssessment, Rating } from '../../bot/core/assessment/assessment.js';
import type { Level } from '../../bot/core/frameworkSchema.js';
import { allStatements, type Library } from '../../bot/core/library.js';
import {
  compareWithReview,
  openReview,
  recordVerdicts,
  reviewPages,
  reviewedSubAreas,
  selfInWords,
  waitingFor,
  waitingTooLong,
  withdrawReviews,
  type ReviewDoc,
} from '../../bot/core/review/review.js';
import { loadLibrary } from '../../bot/data/loadData.js';

let lib: Library;
before(async () => {
  lib = await loadLibrary();
});

const NOW = new Date('2026-11-23T10:00:00Z');
const who = { coderName: 'Test coder', managerTeamsId: '29:m', managerName: 'Pat Lead' };

function completed(level: Level, rate: (id: string) => Rating | undefined, id = 'a1'): CompletedAssessment {
  const ratings: Record<string, Rating> = {};
  for (const { statement } of allStatements(lib)) {
    const r = statement.levels.includes(level) ? rate(statement.id) : undefined;
    if (r) ratings[statement.id] = r;
  }
  return {
    id,
    level,
    startedAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    completedAt: '2026-11-20T10:00:00.000Z',
    revision: 40,
    position: 0,
    ratings,
    notes: {},
    skipped: [],
  };
}

function opened(done: CompletedAssessment): ReviewDoc {
  const doc = openReview({ reviews: [] }, done, who, NOW);
  assert.ok(doc);
  return doc;
}

describe('the manager’s review (core)', () => {
  it('covers the sub-areas of the assessment’s level, area by area in framework order', () => {
    const subs = reviewedSubAreas(lib, { level: 'trainee' });
    assert.ok(subs.length > 10);
    for (const s of subs) assert.ok(s.statements.length > 0, `${s.subAreaId} has statements at the level`);
  });

  it('pages the card so each fits a screen: one area a page, at most two sub-areas and six statements unless one is longer', () => {
    for (const level of ['trainee', 'approved'] as const) {
      const pages = reviewPages(lib, { level });
      assert.deepEqual(
        pages.flatMap((p) => p.subAreas.map((s) => s.subAreaId)),
        reviewedSubAreas(lib, { level }).map((s) => s.subAreaId),
        'every sub-area once, in order',
      );
      for (const p of pages) {
        assert.ok(
          p.subAreas.every((s) => s.areaId === p.areaId),
          'one area a page',
        );
        const statements = p.subAreas.reduce((n, s) => n + s.statements.length, 0);
        assert.ok(p.subAreas.length === 1 || (p.subAreas.length <= 2 && statements <= 6));
      }
      assert.deepEqual([...new Set(pages.map((p) => p.areaId))], ['CC1', 'CC2', 'CC3', 'CC4', 'CC5']);
    }
  });

  it('opens one review per completed assessment, and a newer one overtakes one left waiting', () => {
    const first = opened(completed('trainee', () => 'competent', 'a1'));
    assert.equal(
      openReview(
        first,
        completed('trainee', () => 'competent', 'a1'),
        who,
        NOW,
      ),
      undefined,
    );
    const second = openReview(
      first,
      completed('trainee', () => 'competent', 'a2'),
      who,
      NOW,
    );
    assert.deepEqual(
      second?.reviews.map((r) => [r.assessmentId, r.status]),
      [
        ['a1', 'withdrawn'],
        ['a2', 'waiting'],
      ],
    );
    assert.equal(waitingFor(second, '29:m')?.assessmentId, 'a2');
    assert.equal(waitingFor(second, '29:someone-else'), undefined);
  });

  it('records verdicts only from the manager it was opened for, only while waiting, only for its sub-areas', () => {
    const doc = opened(completed('trainee', () => 'competent'));
    const [first] = reviewedSubAreas(lib, { level: 'trainee' });
    assert.ok(first);
    const base = { assessmentId: 'a1', finish: false, now: NOW };
    const agree = { [first.subAreaId]: { choice: 'agree' as const } };
    assert.deepEqual(recordVerdicts(lib, doc, { ...base, managerTeamsId: '29:other', verdicts: agree }), {
      ok: false,
      problem: 'not-yours',
    });
    assert.deepEqual(
      recordVerdicts(lib, doc, { ...base, managerTeamsId: '29:m', verdicts: { CC9z: { choice: 'agree' } } }),
      { ok: false, problem: 'unknown-sub-area' },
    );
    const finished = recordVerdicts(lib, doc, {
      ...base,
      managerTeamsId: '29:m',
      verdicts: { [first.subAreaId]: { choice: 'developing', comment: 'More practice needed.' } },
      finish: true,
    });
    assert.ok(finished.ok);
    assert.equal(finished.review.status, 'done');
    const all = reviewedSubAreas(lib, { level: 'trainee' }).map((s) => s.subAreaId);
    assert.deepEqual(Object.keys(finished.review.verdicts).sort(), [...all].sort(), 'the rest agreed');
    assert.equal(finished.review.verdicts[first.subAreaId]?.choice, 'developing');
    assert.deepEqual(
      recordVerdicts(lib, finished.doc, { ...base, managerTeamsId: '29:m', verdicts: agree }),
      {
        ok: false,
        problem: 'closed',
      },
    );
  });

  it('puts differences first, the biggest first, with the coder’s ratings in words', () => {
    const done = completed('trainee', () => 'confident');
    const doc = opened(done);
    const [a, b] = reviewedSubAreas(lib, { level: 'trainee' });
    assert.ok(a && b);
    const r = recordVerdicts(lib, doc, {
      assessmentId: 'a1',
      managerTeamsId: '29:m',
      verdicts: {
        [a.subAreaId]: { choice: 'competent', comment: 'one step' },
        [b.subAreaId]: { choice: 'notYet', comment: 'three steps' },
      },
      finish: true,
      now: NOW,
    });
    assert.ok(r.ok);
    const rows = compareWithReview(lib, done, r.review);
    assert.deepEqual(
      rows.slice(0, 2).map((x) => [x.subAreaId, x.manager, x.difference]),
      [
        [b.subAreaId, 'Not yet', 3],
        [a.subAreaId, 'Competent', 1],
      ],
    );
    assert.ok(rows.slice(2).every((x) => x.difference === 0 && x.manager === 'Agrees'));
    assert.equal(
      selfInWords(['competent', 'competent', 'developing', undefined]),
      'Competent ×2, Developing, Not answered',
    );
  });

  it('withdraws what the manager could see when sharing stops, and says which reviews waited too long', () => {
    const doc = opened(completed('trainee', () => 'competent'));
    const review = doc.reviews[0]!;
    assert.equal(waitingTooLong(review, new Date('2026-11-30T09:59:00Z')), false);
    assert.equal(waitingTooLong(review, new Date('2026-11-30T10:01:00Z')), true);
    const withdrawn = withdrawReviews(doc, NOW);
    assert.equal(withdrawn?.reviews[0]?.status, 'withdrawn');
    assert.equal(withdrawReviews(withdrawn, NOW), undefined, 'nothing left to withdraw');
  });
});
