import assert from 'node:assert/strict';
import {
  AssessmentDocSchema,
  newAssessmentDoc,
  restartAssessment,
  startAssessment,
  type AssessmentDoc,
  type Rating,
} from '../../bot/core/assessment/assessment.js';
import {
  buildCoderDigest,
  buildWeeklyDigest,
  DigestSnapshotSchema,
  exportRows,
  toCsv,
  type CoderDigestInput,
  type CoderSnapshot,
  type ExportRow,
} from '../../bot/core/digest/digest.js';
import type { Level } from '../../bot/core/frameworkSchema.js';
import { allStatements, findStatement, type Library } from '../../bot/core/library.js';
import { loadLibrary } from '../../bot/data/loadData.js';

let lib: Library;
before(async () => {
  lib = await loadLibrary();
});

const NOW = new Date('2026-06-10T08:00:00.000Z');
const text = (id: string) => findStatement(lib, id)!.statement.text;

/**
 * A document with one completed assessment, built the way the engine starts one (startAssessment) with the
 * ratings set directly: every statement at the level Competent unless `gaps` names it (Developing).
 */
function assessed(
  level: Level,
  gaps: string[],
  opts: { id?: string; completedAt?: string; unanswered?: string[]; userId?: string } = {},
): AssessmentDoc {
  const completedAt = opts.completedAt ?? '2026-06-01T10:00:00.000Z';
  const a = startAssessment(lib, level, { id: opts.id ?? 'a1', now: completedAt });
  const ratings: Record<string, Rating> = {};
  for (const { statement } of allStatements(lib)) {
    if (!statement.levels.includes(level) || opts.unanswered?.includes(statement.id)) continue;
    ratings[statement.id] = gaps.includes(statement.id) ? 'developing' : 'competent';
  }
  return AssessmentDocSchema.parse({
    schemaVersion: 1,
    userId: opts.userId ?? 'user',
    history: [{ ...a, ratings, revision: 30, completedAt, updatedAt: completedAt }],
  });
}

function coder(
  coderKey: string,
  coderName: string,
  assessments: AssessmentDoc | undefined,
  extra: Partial<CoderDigestInput> = {},
): CoderDigestInput {
  return { coderKey, coderName, assessments, ...extra };
}

describe('digest: one coder', () => {
  it('reports the latest results, with gaps grouped by area and sub-area', () => {
    const d = buildCoderDigest(
      lib,
      coder('k1', 'Alys Morgan', assessed('trainee', ['CC3b.1', 'CC3b.2', 'CC3e.1'])),
      NOW,
    );
    assert.equal(d.latest?.level, 'trainee');
    assert.equal(d.latest.date, '2026-06-01');
    assert.equal(d.latest.totalGaps, 3);
    assert.deepEqual(
      d.latest.areas.map((a) => [a.areaId, a.gaps]),
      [
        ['CC1', 0],
        ['CC2', 0],
        ['CC3', 3],
        ['CC4', 0],
        ['CC5', 0],
      ],
    );
    assert.equal(d.latest.areas[0]?.percentMet, 100);
    assert.deepEqual(d.gapsByArea, [
      {
        areaId: 'CC3',
        title: 'Interpersonal Skills',
        subAreas: [
          { label: 'CC3 b. Communication', count: 2 },
          { label: 'CC3 e. Personal effectiveness', count: 1 },
        ],
      },
    ]);
    assert.deepEqual(d.snapshot, {
      coderKey: 'k1',
      assessmentId: 'a1',
      gapStatementIds: ['CC3b.1', 'CC3b.2', 'CC3e.1'],
      overdue: [],
    });
    assert.deepEqual(d.changes, { closed: [], opened: [], isNew: true, changed: true });
  });

  it('uses the most recently completed assessment in the history', () => {
    const older = assessed('trainee', ['CC3b.1'], { id: 'old', completedAt: '2026-01-05T10:00:00Z' });
    const newer = assessed('approved', [], { id: 'new', completedAt: '2026-05-05T10:00:00Z' });
    const doc = AssessmentDocSchema.parse({ ...older, history: [...older.history, ...newer.history] });
    const d = buildCoderDigest(lib, coder('k', 'Bryn Hughes', doc), NOW);
    assert.equal(d.latest?.assessmentId, 'new');
    assert.equal(d.latest.level, 'approved');
    assert.deepEqual(d.gapsByArea, []);
  });

  it('lists statements closed and opened since the previous snapshot', () => {
    const previous: CoderSnapshot = {
      coderKey: 'k1',
      assessmentId: 'a0',
      gapStatementIds: ['CC1a.2', 'CC3b.1'],
      overdue: [],
    };
    const d = buildCoderDigest(
      lib,
      coder('k1', 'Alys Morgan', assessed('trainee', ['CC3b.1', 'CC3e.1']), { previous }),
      NOW,
    );
    assert.deepEqual(d.changes, {
      closed: [text('CC1a.2')],
      opened: [text('CC3e.1')],
      isNew: false,
      changed: true,
    });
  });

  it('counts a new assessment with the same gaps as a change', () => {
    const previous = { coderKey: 'k1', assessmentId: 'a0', gapStatementIds: ['CC3b.1'] };
    const d = buildCoderDigest(
      lib,
      coder('k1', 'Alys Morgan', assessed('trainee', ['CC3b.1']), { previous }),
      NOW,
    );
    assert.deepEqual(d.changes, { closed: [], opened: [], isNew: false, changed: true });
  });

  it('handles a coder with no assessment: no results, overdue, no assessment id in the snapshot', () => {
    const d = buildCoderDigest(lib, coder('k9', 'Ceri Price', undefined), NOW);
    assert.equal(d.latest, undefined);
    assert.deepEqual(d.gapsByArea, []);
    assert.deepEqual(d.overdue, ['No self-assessment yet']);
    assert.equal(d.inProgress, false);
    assert.deepEqual(d.snapshot, {
      coderKey: 'k9',
      gapStatementIds: [],
      overdue: ['No self-assessment yet'],
    });
    assert.deepEqual(DigestSnapshotSchema.parse(d.snapshot), d.snapshot);
  });

  it('flags an assessment in progress while there is no completed one', () => {
    const doc = restartAssessment(newAssessmentDoc('u'), 'trainee', {
      id: 'p1',
      now: '2026-06-09T09:00:00Z',
    });
    const d = buildCoderDigest(lib, coder('k', 'Dewi Evans', doc), NOW);
    assert.equal(d.inProgress, true);
    assert.deepEqual(d.overdue, ['No self-assessment yet']);
  });

  describe('overdue self-assessment', () => {
    const doc = () => assessed('trainee', [], { completedAt: '2026-03-01T10:00:00Z' });

    it('is not overdue exactly 90 days after the last one', () => {
      const d = buildCoderDigest(lib, coder('k', 'Efa Jones', doc()), new Date('2026-05-30T20:00:00Z'));
      assert.deepEqual(d.overdue, []);
    });

    it('is overdue 91 days after the last one', () => {
      const d = buildCoderDigest(lib, coder('k', 'Efa Jones', doc()), new Date('2026-05-31T07:00:00Z'));
      assert.deepEqual(d.overdue, ['No self-assessment for 90 days (last 1 March 2026)']);
    });

    it('counts days in London: 23:30 UTC on 30 May is already 31 May there', () => {
      const d = buildCoderDigest(lib, coder('k', 'Efa Jones', doc()), new Date('2026-05-30T23:30:00Z'));
      assert.equal(d.overdue.length, 1);
    });
  });

  describe('refresher course (CCSRC)', () => {
    const withRefresher = (ccsrcDate: string, completedAt?: string) =>
      coder('k', 'Ffion Rees', assessed('approved', [], completedAt ? { completedAt } : {}), {
        eligibility: { ccsrcDate },
      });

    it('still counts on the third anniversary', () => {
      const d = buildCoderDigest(lib, withRefresher('2023-06-01'), new Date('2026-06-01T12:00:00Z'));
      assert.deepEqual(d.overdue, []);
    });

    it('is overdue the day after the third anniversary', () => {
      const d = buildCoderDigest(lib, withRefresher('2023-06-01'), new Date('2026-06-02T12:00:00Z'));
      assert.deepEqual(d.overdue, ['Refresher course (CCSRC) over three years old (1 June 2023)']);
    });

    it('moves a 29 February refresher to 28 February, like the eligibility engine', () => {
      const lastDay = buildCoderDigest(
        lib,
        withRefresher('2024-02-29', '2027-02-01T10:00:00Z'),
        new Date('2027-02-28T12:00:00Z'),
      );
      const dayAfter = buildCoderDigest(
        lib,
        withRefresher('2024-02-29', '2027-02-01T10:00:00Z'),
        new Date('2027-03-01T12:00:00Z'),
      );
      assert.deepEqual(lastDay.overdue, []);
      assert.deepEqual(dayAfter.overdue, [
        'Refresher course (CCSRC) over three years old (29 February 2024)',
      ]);
    });

    it('does not flag "none" or no answer', () => {
      for (const eligibility of [{ ccsrcDate: 'none' }, {}, undefined]) {
        const d = buildCoderDigest(
          lib,
          coder('k', 'Ffion Rees', assessed('approved', []), { eligibility }),
          NOW,
        );
        assert.deepEqual(d.overdue, []);
      }
    });
  });
});

describe('digest: the team', () => {
  const trainees = () => [
    coder('t1', 'Gwen Parry', assessed('trainee', ['CC3b.1', 'CC3b.2'])),
    coder('t2', 'Huw Lloyd', assessed('trainee', ['CC3e.1'])),
  ];

  it('sorts coders by name and counts gaps per area in the heat map, leaving out coders never assessed', () => {
    const digest = buildWeeklyDigest(
      lib,
      {
        managerName: 'Iola Manager',
        week: '2026-W24',
        coders: [
          coder('z', 'Zara Bell', assessed('approved', ['CC1a.2', 'CC3a.1', 'CC3b.1'])),
          coder('n', 'Nia Vaughan', undefined),
          ...trainees(),
        ],
      },
      NOW,
    );
    assert.deepEqual(
      digest.coders.map((c) => c.coderName),
      ['Gwen Parry', 'Huw Lloyd', 'Nia Vaughan', 'Zara Bell'],
    );
    assert.deepEqual(
      digest.team.heatMap.map((r) => [r.coderName, r.cells.map((c) => c.gaps)]),
      [
        ['Gwen Parry', [0, 0, 2, 0, 0]],
        ['Huw Lloyd', [0, 0, 1, 0, 0]],
        ['Zara Bell', [1, 0, 2, 0, 0]],
      ],
    );
    assert.deepEqual(
      digest.team.heatMap[0]?.cells.map((c) => c.areaId),
      ['CC1', 'CC2', 'CC3', 'CC4', 'CC5'],
    );
    assert.deepEqual(
      digest.team.gapCountsByArea.map((a) => [a.areaId, a.coders, a.gaps]),
      [
        ['CC1', 1, 1],
        ['CC2', 0, 0],
        ['CC3', 3, 5],
        ['CC4', 0, 0],
        ['CC5', 0, 0],
      ],
    );
    assert.deepEqual(digest.team.commonGapAreas, ['CC3', 'CC1']);
    assert.deepEqual(
      digest.snapshots.map((s) => s.coderKey),
      ['t1', 't2', 'n', 'z'],
    );
  });

  it('suggests for two trainees with CC3 gaps only trainee activities that support CC3', () => {
    const digest = buildWeeklyDigest(
      lib,
      {
        managerName: 'Iola Manager',
        week: '2026-W24',
        coders: [...trainees(), coder('a', 'Owain Approved', assessed('approved', []))],
      },
      NOW,
    );
    assert.deepEqual(digest.team.commonGapAreas, ['CC3']);
    const acts = digest.team.suggestedActivities;
    assert.deepEqual(
      acts.map((a) => a.id),
      ['LMA01', 'LMA02', 'LMA04', 'LMA05', 'LMA06'],
    );
    for (const a of acts) {
      assert.ok(a.levels.includes('trainee'), a.id);
      assert.ok(a.supports.includes('CC3'), a.id);
      assert.deepEqual(a.servesAreas, ['CC3']);
    }
  });

  it('includes approved-only activities once an approved coder has gaps in the area', () => {
    const digest = buildWeeklyDigest(
      lib,
      {
        managerName: 'Iola Manager',
        week: '2026-W24',
        coders: [...trainees(), coder('a', 'Owain Approved', assessed('approved', ['CC3a.1']))],
      },
      NOW,
    );
    assert.deepEqual(
      digest.team.suggestedActivities.map((a) => a.id),
      ['LMA01', 'LMA02', 'LMA03', 'LMA04', 'LMA05'],
    );
  });

  it('ranks activities serving both common gap areas first, then framework order', () => {
    const digest = buildWeeklyDigest(
      lib,
      {
        managerName: 'Iola Manager',
        week: '2026-W24',
        coders: [
          coder('t1', 'Gwen Parry', assessed('trainee', ['CC3b.1', 'CC2a.1'])),
          coder('t2', 'Huw Lloyd', assessed('trainee', ['CC3e.1'])),
        ],
      },
      NOW,
    );
    assert.deepEqual(digest.team.commonGapAreas, ['CC3', 'CC2']);
    const acts = digest.team.suggestedActivities;
    // LMA79 serves CC2 and CC3 too, but only approved auditors, and both coders are trainees.
    assert.deepEqual(
      acts.map((a) => a.id),
      ['LMA28', 'LMA30', 'LMA48', 'LMA51', 'LMA76'],
    );
    for (const a of acts) assert.deepEqual(a.servesAreas, ['CC3', 'CC2']);
  });

  it('has no common gap areas or activities when nobody has gaps', () => {
    const digest = buildWeeklyDigest(
      lib,
      {
        managerName: 'M',
        week: '2026-W24',
        coders: [coder('a', 'Owain Approved', assessed('approved', []))],
      },
      NOW,
    );
    assert.deepEqual(digest.team.commonGapAreas, []);
    assert.deepEqual(digest.team.suggestedActivities, []);
    assert.equal(digest.summary, '1 coder shares their results; none has gaps.');
  });

  it('writes a one-line summary with counts and the common area but no coder names', () => {
    const team = [...trainees(), coder('n', 'Nia Vaughan', undefined)];
    const digest = buildWeeklyDigest(
      lib,
      { managerName: 'Iola Manager', week: '2026-W24', coders: team },
      NOW,
    );
    assert.equal(
      digest.summary,
      '3 coders share their results; 2 have gaps, mostly in CC3 Interpersonal Skills; 1 is overdue.',
    );
    for (const name of [...team.map((c) => c.coderName), 'Iola Manager']) {
      for (const word of name.split(' ')) assert.ok(!digest.summary.includes(word), word);
    }
    assert.doesNotMatch(digest.summary, /\n/);
  });

  it('says so when there are no coders', () => {
    const digest = buildWeeklyDigest(lib, { managerName: 'M', week: '2026-W24', coders: [] }, NOW);
    assert.equal(digest.summary, 'No coders share their results with you yet.');
    assert.equal(digest.nothingChanged, true);
  });

  describe('changes since the last digest', () => {
    const team = () => [...trainees(), coder('n', 'Nia Vaughan', undefined)];
    const feedBack = (inputs: CoderDigestInput[], snapshots: CoderSnapshot[]) =>
      inputs.map((c) => ({ ...c, previous: snapshots.find((s) => s.coderKey === c.coderKey) }));

    it('reports everything as changed the first time', () => {
      const first = buildWeeklyDigest(lib, { managerName: 'M', week: '2026-W24', coders: team() }, NOW);
      assert.equal(first.nothingChanged, false);
      assert.ok(first.coders.every((c) => c.changes.isNew && c.changes.changed));
    });

    it('reports nothing changed when the same snapshot is fed back, overdue already flagged included', () => {
      const first = buildWeeklyDigest(lib, { managerName: 'M', week: '2026-W24', coders: team() }, NOW);
      const stored = DigestSnapshotSchema.array().parse(JSON.parse(JSON.stringify(first.snapshots)));
      const nextWeek = new Date('2026-06-17T08:00:00Z');
      const second = buildWeeklyDigest(
        lib,
        { managerName: 'M', week: '2026-W25', coders: feedBack(team(), stored) },
        nextWeek,
      );
      assert.equal(second.nothingChanged, true);
      assert.ok(second.coders.every((c) => !c.changes.changed && c.newlyOverdue.length === 0));
      assert.deepEqual(second.snapshots, first.snapshots);
      // Still overdue, still reported; only not news.
      assert.deepEqual(second.coders.find((c) => c.coderKey === 'n')?.overdue, ['No self-assessment yet']);
    });

    it('reports a change when a gap closes', () => {
      const first = buildWeeklyDigest(lib, { managerName: 'M', week: '2026-W24', coders: team() }, NOW);
      const improved = team().map((c) =>
        c.coderKey === 't2' ? { ...c, assessments: assessed('trainee', [], { id: 'a2' }) } : c,
      );
      const second = buildWeeklyDigest(
        lib,
        { managerName: 'M', week: '2026-W25', coders: feedBack(improved, first.snapshots) },
        NOW,
      );
      assert.equal(second.nothingChanged, false);
      const huw = second.coders.find((c) => c.coderKey === 't2')!;
      assert.deepEqual(huw.changes.closed, [text('CC3e.1')]);
      assert.deepEqual(huw.changes.opened, []);
    });

    it('reports a change when a coder becomes overdue with nothing else new', () => {
      const coders = () => [
        coder('t1', 'Gwen Parry', assessed('trainee', [], { completedAt: '2026-03-01T10:00:00Z' })),
      ];
      const first = buildWeeklyDigest(
        lib,
        { managerName: 'M', week: 'w1', coders: coders() },
        new Date('2026-05-25T08:00:00Z'),
      );
      assert.deepEqual(first.coders[0]?.overdue, []);
      const second = buildWeeklyDigest(
        lib,
        { managerName: 'M', week: 'w2', coders: feedBack(coders(), first.snapshots) },
        new Date('2026-06-01T08:00:00Z'),
      );
      assert.equal(second.coders[0]?.changes.changed, false);
      assert.deepEqual(second.coders[0].newlyOverdue, ['No self-assessment for 90 days (last 1 March 2026)']);
      assert.equal(second.nothingChanged, false);
    });

    it('accepts an older snapshot stored without overdue reasons', () => {
      const d = buildCoderDigest(
        lib,
        coder('n', 'Nia Vaughan', undefined, { previous: { coderKey: 'n', gapStatementIds: [] } }),
        NOW,
      );
      assert.equal(d.changes.changed, false);
      assert.deepEqual(d.newlyOverdue, ['No self-assessment yet']);
    });
  });
});

describe('digest: export', () => {
  it('has one row per statement asked at the level, with rating labels and gap flags', () => {
    const doc = assessed('trainee', ['CC3b.1'], { unanswered: ['CC1a.2'] });
    const rows = exportRows(lib, [
      { coderName: 'Nia Vaughan', assessments: undefined },
      { coderName: 'Gwen Parry', assessments: doc },
    ]);
    const traineeStatements = allStatements(lib).filter((s) => s.statement.levels.includes('trainee'));
    assert.equal(rows.length, traineeStatements.length);
    assert.ok(rows.every((r) => r.coderName === 'Gwen Parry' && r.level === 'trainee'));
    assert.deepEqual(rows[0], {
      coderName: 'Gwen Parry',
      assessmentDate: '2026-06-01',
      level: 'trainee',
      areaId: 'CC1',
      areaTitle: 'Audit',
      subArea: 'CC1 a. Risk, control and governance',
      statementId: 'CC1a.2',
      statement: text('CC1a.2'),
      rating: '',
      gap: '',
      managerView: '',
      managerComment: '',
    });
    const gapRow = rows.find((r) => r.statementId === 'CC3b.1');
    assert.equal(gapRow?.rating, 'Developing');
    assert.equal(gapRow.gap, 'yes');
    const metRow = rows.find((r) => r.statementId === 'CC1a.3');
    assert.equal(metRow?.rating, 'Competent');
    assert.equal(metRow.gap, 'no');
  });

  const row = (coderName: string, statement = 'Plain text'): ExportRow => ({
    coderName,
    assessmentDate: '2026-06-01',
    level: 'trainee',
    areaId: 'CC3',
    areaTitle: 'Interpersonal Skills',
    subArea: 'CC3 b. Communication',
    statementId: 'CC3b.1',
    statement,
    rating: 'Not yet',
    gap: 'yes',
    managerView: 'Developing',
    managerComment: 'Needs "more" practice',
  });

  it('writes RFC 4180 CSV with a header row, quoting and CRLF line endings', () => {
    const csv = toCsv([row('Parry, Gwen', 'Says "hello"\nthen leaves')]);
    assert.equal(
      csv,
      "Coder,Assessment date,Level,Area,Area title,Sub-area,Statement id,Statement,Rating,Gap,Manager's view (sub-area),Manager's comment\r\n" +
        '"Parry, Gwen",2026-06-01,trainee,CC3,Interpersonal Skills,CC3 b. Communication,CC3b.1,' +
        '"Says ""hello""\nthen leaves",Not yet,yes,Developing,"Needs ""more"" practice"\r\n',
    );
    assert.equal(
      toCsv([]),
      "Coder,Assessment date,Level,Area,Area title,Sub-area,Statement id,Statement,Rating,Gap,Manager's view (sub-area),Manager's comment\r\n",
    );
  });

  it('neutralises spreadsheet formulas in untrusted names', () => {
    const names = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tTab', '\rReturn', 'Anne-Marie'];
    const firstFields = toCsv(names.map((n) => row(n)))
      .split('\r\n')
      .slice(1, -1);
    assert.deepEqual(
      firstFields.map((l) => l.slice(0, l.indexOf(',2026-06-01'))),
      [
        `"'=HYPERLINK(""http://x"",""y"")"`,
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTab",
        `"'\rReturn"`,
        'Anne-Marie',
      ],
    );
  });
});
