import assert from 'node:assert/strict';
import { Calendar } from '../../bot/core/calendar.js';
import type { Library } from '../../bot/core/library.js';
import type { EligibilityRules } from '../../bot/core/eligibility/eligibilitySchema.js';
import type { PlanDoc } from '../../bot/core/plan/plan.js';
import type { ReviewDoc } from '../../bot/core/review/review.js';
import { buildProgressView } from '../../bot/core/tabs/progressView.js';
import { buildTeamView } from '../../bot/core/tabs/teamView.js';
import { sharedAssets } from '../support/botServer.js';
import { completedAssessment } from '../support/tabsWorld.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const calendar = new Calendar('Europe/London');
const clock = {
  now: NOW,
  today: calendar.today(NOW),
  localDate: (iso: string) => calendar.localDate(new Date(Date.parse(iso))),
};

describe('the tabs’ views', () => {
  let lib: Library;
  let rules: EligibilityRules;
  before(async () => {
    ({ lib, rules } = await sharedAssets());
  });

  const history = () => [
    completedAssessment(lib, {
      id: 'a1',
      level: 'trainee',
      completedAt: '2026-06-30T23:30:00Z',
      gapAreas: ['CC1', 'CC2'],
    }),
    completedAssessment(lib, {
      id: 'a2',
      level: 'trainee',
      completedAt: '2026-11-02T10:00:00Z',
      gapAreas: ['CC2'],
    }),
  ];
  const doc = () => ({ schemaVersion: 1 as const, userId: 'u', history: history().reverse() });

  it('lists every completed assessment oldest first, on its local day, with the share met per area', () => {
    const v = buildProgressView(
      lib,
      rules,
      {
        displayName: 'Test Coder',
        assessments: doc(),
        reviews: undefined,
        plan: undefined,
        eligibility: undefined,
      },
      clock,
    );
    assert.deepEqual(
      v.history.map((h) => [h.assessmentId, h.completedOn]),
      [
        ['a1', '2026-07-01'],
        ['a2', '2026-11-02'],
      ],
      'half past eleven at night in June is the next day in London',
    );
    const area = (i: number, id: string) => v.history[i]?.areas.find((a) => a.area === id);
    assert.deepEqual([area(0, 'CC1')?.self, area(1, 'CC1')?.self, area(1, 'CC2')?.self], [0, 100, 0]);
    assert.equal(area(1, 'CC1')?.manager, null, 'no review, no manager side');
    assert.ok(v.gaps.every((g) => g.area === 'CC2' && g.level === 'trainee'));
    assert.ok(v.gaps.every((g) => g.activities.length > 0 && g.activities.length <= 3));
    assert.deepEqual(v.eligibility, []);
  });

  it("shows the manager's side from a finished review: their rating stands for a whole sub-area", () => {
    const reviews: ReviewDoc = {
      reviews: [
        {
          assessmentId: 'a2',
          level: 'trainee',
          completedAt: '2026-11-02T10:00:00Z',
          coderName: 'Test Coder',
          managerTeamsId: '29:m',
          managerName: 'Test Manager',
          status: 'done',
          openedAt: '2026-11-02T10:00:00Z',
          doneAt: '2026-11-03T10:00:00Z',
          verdicts: { CC1d: { choice: 'notYet', comment: 'Not seen yet' } },
        },
      ],
    };
    const v = buildProgressView(
      lib,
      rules,
      { displayName: 'Test Coder', assessments: doc(), reviews, plan: undefined, eligibility: undefined },
      clock,
    );
    const cc1 = v.history[1]?.areas.find((a) => a.area === 'CC1');
    const cc3 = v.history[1]?.areas.find((a) => a.area === 'CC3');
    assert.equal(cc1?.self, 100);
    assert.ok(cc1.manager !== null && cc1.manager < 100);
    assert.equal(cc3?.manager, 100, 'agreed elsewhere');
    assert.equal(v.history[0]?.areas[0]?.manager, null, 'the first assessment was not reviewed');
  });

  it('gives the eligibility timeline from saved answers, by the same rules as /eligibility', () => {
    const v = buildProgressView(
      lib,
      rules,
      {
        displayName: 'Test Coder',
        assessments: undefined,
        reviews: undefined,
        plan: undefined,
        eligibility: { hasAcc: true, accDate: '2024-03-14' },
      },
      clock,
    );
    const ccap = v.eligibility.find((e) => e.programme.includes('CCAP'));
    assert.equal(ccap?.metOn, '2027-03-15', 'more than three years holding ACC');
    assert.equal(ccap.verdict, 'not-yet');
    assert.ok(ccap.unknown.some((q) => /refresher/i.test(q)));
    assert.ok(!v.eligibility.some((e) => /apprenticeship/i.test(e.programme)), 'nothing answered for it');
  });

  it('lists the plan open items first and marks an agreed item past its date as overdue', () => {
    const plan: PlanDoc = {
      items: [
        {
          id: 'p1',
          activityId: 'LMA01',
          activityText: 'Shadow an audit',
          servesAreas: ['CC1'],
          targetDate: '2026-11-20',
          owner: 'coder',
          proposedBy: 'manager',
          status: 'agreed',
          createdAt: '2026-10-01T10:00:00Z',
        },
        {
          id: 'p2',
          activityId: 'LMA02',
          activityText: 'Read the standards',
          servesAreas: ['CC4'],
          targetDate: '2026-12-20',
          owner: 'manager',
          proposedBy: 'coder',
          status: 'proposed',
          createdAt: '2026-10-01T10:00:00Z',
        },
      ],
    };
    const v = buildProgressView(
      lib,
      rules,
      { displayName: 'Test Coder', assessments: undefined, reviews: undefined, plan, eligibility: undefined },
      clock,
    );
    assert.deepEqual(
      v.plan.map((p) => [p.id, p.status, p.overdue]),
      [
        ['p1', 'agreed', true],
        ['p2', 'proposed', false],
      ],
    );
  });

  it("builds a manager's heat map with the change since the last assessment and a review waiting", () => {
    const reviews: ReviewDoc = {
      reviews: [
        {
          assessmentId: 'a2',
          level: 'trainee',
          completedAt: '2026-11-02T10:00:00Z',
          coderName: 'Test Coder',
          managerTeamsId: '29:m',
          managerName: 'Test Manager',
          status: 'waiting',
          openedAt: '2026-11-13T10:00:00Z',
          verdicts: {},
        },
      ],
    };
    const team = buildTeamView(
      lib,
      [
        { coderKey: 'k2', displayName: 'Zoe', assessments: undefined, reviews: undefined, plan: undefined },
        { coderKey: 'k1', displayName: 'Amy', assessments: doc(), reviews, plan: undefined },
      ],
      '29:m',
      clock,
    );
    assert.equal(team.subAreas.length, lib.framework.areas.flatMap((a) => a.subAreas).length);
    const [amy, zoe] = team.coders;
    assert.deepEqual([amy?.displayName, zoe?.displayName], ['Amy', 'Zoe']);
    assert.deepEqual([amy?.change.CC1, amy?.change.CC2], [100, 0]);
    assert.deepEqual([amy?.review, amy?.reviewWaitingDays], ['waiting', 10]);
    assert.equal(amy?.subAreas.CC2a, 0);
    assert.equal(amy.subAreas.CC1c, null, 'approved only: not asked of a trainee');
    assert.deepEqual([zoe?.lastCompletedOn, zoe?.review, zoe?.change.CC1], [null, 'none', null]);
  });
});
