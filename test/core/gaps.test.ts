import assert from 'node:assert/strict';
import { AssessmentSchema, type Assessment, type Rating } from '../../bot/core/assessment/assessment.js';
import type { Activity, AreaId, Level } from '../../bot/core/frameworkSchema.js';
import {
  compareAssessments,
  focusGaps,
  recommendResources,
  suggestActivities,
  summarizeAssessment,
} from '../../bot/core/assessment/gaps.js';
import { allStatements, type Library } from '../../bot/core/library.js';
import { loadLibrary } from '../../bot/data/loadData.js';

let lib: Library;
before(async () => {
  lib = await loadLibrary();
});

function statementIdsAt(level: Level, where: (id: string) => boolean = () => true): string[] {
  return allStatements(lib)
    .filter((s) => s.statement.levels.includes(level) && where(s.statement.id))
    .map((s) => s.statement.id);
}

/** A completed assessment at `level`, each statement rated by `rate` (undefined leaves it unanswered). */
function completed(level: Level, rate: (id: string) => Rating | undefined, id = 'done'): Assessment {
  const ratings: Record<string, Rating> = {};
  for (const sid of statementIdsAt(level)) {
    const r = rate(sid);
    if (r) ratings[sid] = r;
  }
  return AssessmentSchema.parse({
    id,
    level,
    startedAt: '2025-03-03T09:00:00.000Z',
    updatedAt: '2025-03-03T10:00:00.000Z',
    completedAt: '2025-03-03T10:00:00.000Z',
    revision: 40,
    position: 0,
    ratings,
    notes: {},
    skipped: [],
  });
}

const inSub = (subAreaId: string) => (id: string) => id.startsWith(`${subAreaId}.`);

describe('gap analysis: summary of a completed assessment', () => {
  it('reports per area the share met among the level statements, with unanswered apart from gaps', () => {
    // Trainee CC1 has 8 statements: CC1a (3) met, CC1b (2) gaps, CC1d (3) unanswered.
    const a = completed('trainee', (id) =>
      inSub('CC1a')(id)
        ? 'competent'
        : inSub('CC1b')(id)
          ? 'developing'
          : inSub('CC1d')(id)
            ? undefined
            : 'confident',
    );
    const summary = summarizeAssessment(lib, a);
    assert.deepEqual(summary.areas[0], {
      areaId: 'CC1',
      title: 'Audit',
      met: 3,
      gaps: 2,
      unanswered: 3,
      total: 8,
      percentMet: 38,
    });
    assert.deepEqual(
      summary.areas.map((r) => [r.areaId, r.total, r.percentMet]),
      [
        ['CC1', 8, 38],
        ['CC2', 11, 100],
        ['CC3', 20, 100],
        ['CC4', 22, 100],
        ['CC5', 9, 100],
      ],
    );
    assert.deepEqual(summary.gapAreaIds, ['CC1']);
    assert.deepEqual(
      summary.gaps.map((g) => [g.subAreaId, g.subAreaLabel, g.statements.map((s) => [s.id, s.rating])]),
      [
        [
          'CC1b',
          'CC1 b. Audit strategy',
          [
            ['CC1b.2', 'developing'],
            ['CC1b.5', 'developing'],
          ],
        ],
      ],
    );
    assert.deepEqual(
      summary.unanswered.map((g) => [g.subAreaId, g.statements.map((s) => s.id)]),
      [['CC1d', statementIdsAt('trainee', inSub('CC1d'))]],
    );
    assert.equal(summary.strengths.length, 28 - 2, 'every trainee sub-area but CC1b and CC1d has strengths');
    assert.deepEqual(summary.totals, { met: 65, gaps: 2, unanswered: 3, total: 70, percentMet: 93 });
    assert.equal(summary.completedAt, '2025-03-03T10:00:00.000Z');
    assert.equal(summary.level, 'trainee');
  });

  it('does not count ratings of statements outside the level', () => {
    const a = { ...completed('trainee', () => 'competent'), ratings: { 'CC1a.1': 'notYet' as const } };
    const summary = summarizeAssessment(lib, a);
    assert.deepEqual(summary.gaps, []);
    assert.equal(summary.totals.unanswered, 70);
  });
});

describe('gap analysis: comparing with the previous assessment', () => {
  it('lists gaps closed and new gaps, and the change per area', () => {
    const previous = completed('trainee', (id) =>
      inSub('CC4b')(id) || id === 'CC1a.2' ? 'notYet' : 'competent',
    );
    const current = completed('trainee', (id) =>
      id === 'CC1a.2' ? 'developing' : inSub('CC5a')(id) ? 'developing' : 'confident',
    );
    const c = compareAssessments(lib, previous, current);
    assert.deepEqual(c.closed, ['CC4b.1', 'CC4b.2']);
    assert.deepEqual(c.opened, statementIdsAt('trainee', inSub('CC5a')));
    assert.equal(c.comparedStatements, 70);
    assert.deepEqual(
      c.areaChanges.map((x) => [x.areaId, x.beforePercent, x.afterPercent, x.change]),
      [
        ['CC1', 88, 88, 0],
        ['CC2', 100, 100, 0],
        ['CC3', 100, 100, 0],
        ['CC4', 91, 100, 9],
        ['CC5', 100, 67, -33],
      ],
    );
  });

  it('compares only statements asked in both when the level changed (trainee then approved)', () => {
    const previous = completed('trainee', () => 'notYet');
    const current = completed('approved', () => 'competent');
    const c = compareAssessments(lib, previous, current);
    assert.equal(c.comparedStatements, 70);
    assert.deepEqual(c.closed, statementIdsAt('trainee'));
    assert.deepEqual(c.opened, []);
    assert.ok(c.areaChanges.every((x) => x.beforePercent === 0 && x.afterPercent === 100));
  });

  it('does not call a statement closed when it was left unanswered the second time', () => {
    const previous = completed('trainee', (id) => (id === 'CC2a.1' ? 'notYet' : 'competent'));
    const current = completed('trainee', (id) => (id === 'CC2a.1' ? undefined : 'competent'));
    const c = compareAssessments(lib, previous, current);
    assert.deepEqual([c.closed, c.opened], [[], []]);
  });
});

describe('gap analysis: line-manager activities', () => {
  it('when a trainee rates every CC3 statement Not yet, only CC3-supporting trainee activities are suggested', () => {
    const a = completed('trainee', (id) => (id.startsWith('CC3') ? 'notYet' : 'competent'));
    const suggested = suggestActivities(lib, summarizeAssessment(lib, a));
    assert.ok(suggested.length > 0);
    for (const s of suggested) {
      assert.ok(s.supports.includes('CC3'), `${s.id} supports CC3`);
      assert.ok(s.levels.includes('trainee'), `${s.id} is for trainees`);
      assert.deepEqual(s.servesAreas, ['CC3']);
      assert.equal(s.gapStatements, 20);
    }
    const expected = lib.framework.activities.filter(
      (x) => x.supports.includes('CC3') && x.levels.includes('trainee'),
    );
    assert.equal(suggested.length, expected.length);
    assert.deepEqual(
      suggested.map((s) => s.id),
      expected.map((x) => x.id),
      'ties keep framework order',
    );
  });

  it('suggests nothing when there are no gaps, even with unanswered statements', () => {
    const a = completed('approved', (id) => (id.startsWith('CC2') ? undefined : 'confident'));
    assert.deepEqual(suggestActivities(lib, summarizeAssessment(lib, a)), []);
  });

  it('ranks an activity serving two gap areas above one serving one (framework data)', () => {
    const a = completed('approved', (id) =>
      id.startsWith('CC1') || id.startsWith('CC2') ? 'developing' : 'competent',
    );
    const suggested = suggestActivities(lib, summarizeAssessment(lib, a));
    const counts = suggested.map((s) => s.servesAreas.length);
    assert.ok(counts.includes(2) && counts.includes(1), 'the data has both kinds');
    assert.deepEqual(
      counts,
      [...counts].sort((x, y) => y - x),
    );
    assert.ok(suggested.every((s) => s.levels.includes('approved')));
  });

  describe('ranking, on a small set of activities', () => {
    const activity = (
      id: string,
      supports: AreaId[],
      levels: Level[] = ['trainee', 'approved'],
    ): Activity => ({
      id,
      text: `Activity ${id}`,
      levels,
      supports,
    });
    const withActivities = (activities: Activity[]): Library => ({
      ...lib,
      framework: { ...lib.framework, activities },
    });
    // Gaps: CC1 has 1 gap statement, CC3 has 5.
    const gapsIn = () =>
      completed('trainee', (id) =>
        id === 'CC1a.2' || ['CC3b.1', 'CC3b.2', 'CC3b.3', 'CC3b.5', 'CC3b.7'].includes(id)
          ? 'notYet'
          : 'competent',
      );

    const table: { name: string; activities: Activity[]; order: string[] }[] = [
      {
        name: 'two gap areas before one, whatever the framework order',
        activities: [activity('LMA01', ['CC3']), activity('LMA02', ['CC1', 'CC3'])],
        order: ['LMA02', 'LMA01'],
      },
      {
        name: 'with as many areas, the areas holding more gap statements first',
        activities: [activity('LMA01', ['CC1', 'CC2']), activity('LMA02', ['CC3', 'CC4'])],
        order: ['LMA02', 'LMA01'],
      },
      {
        name: 'then framework order',
        activities: [activity('LMA01', ['CC3', 'CC5']), activity('LMA02', ['CC3'])],
        order: ['LMA01', 'LMA02'],
      },
      {
        name: 'leaving out other levels and areas without gaps',
        activities: [
          activity('LMA01', ['CC3'], ['approved']),
          activity('LMA02', ['CC2', 'CC4']),
          activity('LMA03', ['CC1'], ['trainee']),
        ],
        order: ['LMA03'],
      },
    ];
    for (const { name, activities, order } of table) {
      it(`ranks ${name}`, () => {
        const small = withActivities(activities);
        const got = suggestActivities(small, summarizeAssessment(small, gapsIn()));
        assert.deepEqual(
          got.map((s) => s.id),
          order,
        );
      });
    }
  });
});

describe('gap analysis: resources', () => {
  it('a CC4b (SNOMED CT) gap recommends SNOMED CT Awareness for Clinical Coders', () => {
    const a = completed('trainee', (id) => (id === 'CC4b.1' ? 'developing' : 'competent'));
    const recs = recommendResources(lib, summarizeAssessment(lib, a));
    assert.equal(recs[0]?.title, 'SNOMED CT Awareness for Clinical Coders');
    assert.deepEqual(recs[0].matchedSubAreaIds, ['CC4b']);
    assert.deepEqual(
      recs.map((r) => r.id),
      ['snomed-ct-awareness'],
      'no other resource names CC4b or the whole of CC4',
    );
  });

  it('ranks resources for the gap sub-area above those for the whole area', () => {
    const a = completed('approved', (id) => (inSub('CC1d')(id) ? 'notYet' : 'competent'));
    const recs = recommendResources(lib, summarizeAssessment(lib, a));
    const kinds = recs.map((r) => (r.matchedSubAreaIds.length > 0 ? 'sub-area' : 'area'));
    assert.deepEqual(kinds.slice(0, 2), ['sub-area', 'sub-area']);
    assert.ok(kinds.slice(2).every((k) => k === 'area') && kinds.length > 2);
    assert.deepEqual(
      recs.slice(0, 2).map((r) => r.id),
      ['dspt-data-standard-1', 'report-writing-and-presentation'],
    );
    assert.ok(recs.slice(2).every((r) => r.helpsWith.includes('CC1')));
  });

  it('recommends area-wide resources for a gap anywhere in the area (CC5c → the CC5 resources)', () => {
    const a = completed('approved', (id) => (id === 'CC5c.1' ? 'notYet' : 'competent'));
    const recs = recommendResources(lib, summarizeAssessment(lib, a));
    assert.ok(recs.length > 0);
    assert.ok(recs.every((r) => r.matchedAreaIds.includes('CC5')));
  });

  it('recommends nothing without gaps', () => {
    const a = completed('trainee', () => 'confident');
    assert.deepEqual(recommendResources(lib, summarizeAssessment(lib, a)), []);
  });
});

describe('gap analysis: the three biggest gaps first', () => {
  it('ranks sub-areas by how far off their gaps are (Not yet and No weigh twice Developing), framework order on ties', () => {
    const a = completed('trainee', (id) =>
      inSub('CC3b')(id)
        ? 'developing'
        : inSub('CC4d')(id)
          ? 'notYet'
          : inSub('CC3c')(id)
            ? 'notYet'
            : 'competent',
    );
    const focus = focusGaps(lib, summarizeAssessment(lib, a));
    assert.deepEqual(
      focus.map((f) => f.group.subAreaId),
      ['CC3b', 'CC3c', 'CC4d'],
    );
  });

  it('gives each gap the activity most specific to it, a different one each, never the all-area generic one first', () => {
    const a = completed('trainee', (id) =>
      inSub('CC3b')(id) || inSub('CC3c')(id) || inSub('CC2a')(id) ? 'notYet' : 'competent',
    );
    const focus = focusGaps(lib, summarizeAssessment(lib, a));
    const ids = focus.map((f) => f.activity?.id);
    assert.equal(new Set(ids).size, 3, ids.join(', '));
    for (const f of focus) {
      assert.ok(f.activity, `${f.group.subAreaId} has an activity`);
      assert.ok(f.activity.supports.includes(f.group.areaId));
      assert.ok(f.activity.levels.includes('trainee'));
      assert.ok(f.activity.supports.length < 5, `${f.group.subAreaId}: not the generic ${f.activity.id}`);
    }
    const communication = focus.find((f) => f.group.subAreaId === 'CC3b')!;
    assert.match(communication.activity!.text, /communicat/i, 'speaks to communication');
  });

  it('gives each gap a resource aimed at its sub-area before one for its whole area', () => {
    const a = completed('trainee', (id) => (inSub('CC4b')(id) ? 'notYet' : 'competent'));
    const [snomed] = focusGaps(lib, summarizeAssessment(lib, a));
    assert.equal(snomed?.resource?.id, 'snomed-ct-awareness');
  });

  it('counts a factual statement answered No as a gap and Not sure as neither', () => {
    const a = completed('trainee', (id) =>
      id === 'CC2a.1' ? 'no' : id === 'CC2a.2' ? 'notSure' : 'competent',
    );
    const summary = summarizeAssessment(lib, a);
    assert.deepEqual(
      summary.gaps.flatMap((g) => g.statements.map((st) => st.id)),
      ['CC2a.1'],
    );
    assert.deepEqual(
      summary.unanswered.flatMap((g) => g.statements.map((st) => st.id)),
      ['CC2a.2'],
    );
  });
});
