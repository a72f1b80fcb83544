import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FrameworkSchema, type Framework, type Level } from '../../bot/core/frameworkSchema.js';

/*
 * Hand count of the Clinical Coding Auditor Competency Framework
 * (../shared/seeds/001_c7238c7010bddaff.txt), made from the seed text,
 * not from data/framework.json. "trainee" = statements whose levels include
 * trainee; "approved" likewise. No statement is trainee-only, so
 * approved = total and trainee = the "both" rows.
 *
 *   Statements per area
 *   area  sub-areas                   total  trainee  approved
 *   CC1   a b c d                        27        8        27
 *   CC2   a b c d e f g                  31       11        31
 *   CC3   a b c d e f g h                31       20        31
 *   CC4   a b c d e f g h i j            27       22        27
 *   CC5   general a b c d e              22        9        22
 *   all                                 138       70       138
 *
 *   Statements per sub-area (total / trainee)
 *   CC1  a 6/3   b 5/2   c 8/0 (1 + 6 bullets + 1)   d 8/3
 *   CC2  a 5/5   b 13/0  c 1/1   d 4/3 (mean/median/mode read as both)
 *        e 3/1   f 4/1   g 1/0
 *   CC3  a 4/0   b 11/8  c 3/3   d 4/0   e 4/4   f 1/1   g 2/2   h 2/2
 *   CC4  a 1/1   b 2/2   c 2/1   d 2/2   e 2/1   f 3/1   g 5/5   h 3/3
 *        i 1/0   j 6/6
 *   CC5  general 8/2   a 3/3   b 1/0   c 4/2 (page-break statement rejoined)
 *        d 5/1   e 1/1
 *
 *   Suggested Line Manager Activities
 *   total 84 = trainee-only 7 + approved-only 12 + both 65
 *     trainee-only:  LMA50 51 72 73 74 75 76
 *     approved-only: LMA03 10 60 63 64 65 66 67 79 80 81 83
 *   supported areas: CC1 37, CC2 15, CC3 69, CC4 18, CC5 3
 *
 *   Recommended resources: 24 items
 */

const HAND_COUNTS = {
  CC1: { total: 27, trainee: 8, approved: 27 },
  CC2: { total: 31, trainee: 11, approved: 31 },
  CC3: { total: 31, trainee: 20, approved: 31 },
  CC4: { total: 27, trainee: 22, approved: 27 },
  CC5: { total: 22, trainee: 9, approved: 22 },
} as const;

const SUB_AREA_COUNTS: Record<string, [total: number, trainee: number]> = {
  CC1a: [6, 3],
  CC1b: [5, 2],
  CC1c: [8, 0],
  CC1d: [8, 3],
  CC2a: [5, 5],
  CC2b: [13, 0],
  CC2c: [1, 1],
  CC2d: [4, 3],
  CC2e: [3, 1],
  CC2f: [4, 1],
  CC2g: [1, 0],
  CC3a: [4, 0],
  CC3b: [11, 8],
  CC3c: [3, 3],
  CC3d: [4, 0],
  CC3e: [4, 4],
  CC3f: [1, 1],
  CC3g: [2, 2],
  CC3h: [2, 2],
  CC4a: [1, 1],
  CC4b: [2, 2],
  CC4c: [2, 1],
  CC4d: [2, 2],
  CC4e: [2, 1],
  CC4f: [3, 1],
  CC4g: [5, 5],
  CC4h: [3, 3],
  CC4i: [1, 0],
  CC4j: [6, 6],
  'CC5-general': [8, 2],
  CC5a: [3, 3],
  CC5b: [1, 0],
  CC5c: [4, 2],
  CC5d: [5, 1],
  CC5e: [1, 1],
};

const SUB_AREA_LETTERS = {
  CC1: ['a', 'b', 'c', 'd'],
  CC2: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
  CC3: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
  CC4: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
  CC5: [null, 'a', 'b', 'c', 'd', 'e'],
} as const;

const BOTH: Level[] = ['trainee', 'approved'];
const APPROVED: Level[] = ['approved'];
const TRAINEE: Level[] = ['trainee'];

const framework: Framework = FrameworkSchema.parse(
  JSON.parse(readFileSync(new URL('../../data/framework.json', import.meta.url), 'utf8')),
);

const allStatements = framework.areas.flatMap((a) =>
  a.subAreas.flatMap((s) => s.statements.map((st) => ({ ...st, areaId: a.id, subAreaId: s.id }))),
);

function statement(id: string) {
  const found = allStatements.find((s) => s.id === id);
  assert.ok(found, `statement ${id} exists`);
  return found;
}

function sortedLevels(levels: readonly Level[]): Level[] {
  return [...levels].sort((a, b) => (a === b ? 0 : a === 'trainee' ? -1 : 1));
}

describe('framework.json against the hand count of the seed', () => {
  it('has the five areas in order with the framework titles', () => {
    assert.deepEqual(
      framework.areas.map((a) => [a.id, a.title]),
      [
        ['CC1', 'Audit'],
        ['CC2', 'Technical Skills'],
        ['CC3', 'Interpersonal Skills'],
        ['CC4', 'Knowledge'],
        ['CC5', 'Digital Literacy'],
      ],
    );
  });

  it('has the hand-counted statements per area: total, trainee, approved', () => {
    for (const area of framework.areas) {
      const sts = area.subAreas.flatMap((s) => s.statements);
      const got = {
        total: sts.length,
        trainee: sts.filter((s) => s.levels.includes('trainee')).length,
        approved: sts.filter((s) => s.levels.includes('approved')).length,
      };
      assert.deepEqual(got, HAND_COUNTS[area.id], `counts for ${area.id}`);
    }
    assert.equal(allStatements.length, 138);
    assert.equal(allStatements.filter((s) => s.levels.includes('trainee')).length, 70);
    assert.equal(allStatements.filter((s) => s.levels.includes('approved')).length, 138);
  });

  it('has no trainee-only statement', () => {
    assert.deepEqual(
      allStatements.filter((s) => !s.levels.includes('approved')).map((s) => s.id),
      [],
    );
  });

  it('has the hand-counted statements per sub-area', () => {
    const got = Object.fromEntries(
      framework.areas.flatMap((a) =>
        a.subAreas.map((s) => [
          s.id,
          [s.statements.length, s.statements.filter((st) => st.levels.includes('trainee')).length],
        ]),
      ),
    );
    assert.deepEqual(got, SUB_AREA_COUNTS);
  });

  it('has the sub-areas per area with their letters', () => {
    for (const area of framework.areas) {
      const letters = SUB_AREA_LETTERS[area.id];
      assert.equal(area.subAreas.length, letters.length, `sub-area count for ${area.id}`);
      assert.deepEqual(
        area.subAreas.map((s) => s.letter),
        [...letters],
        `letters for ${area.id}`,
      );
      for (const s of area.subAreas) {
        assert.equal(s.id, s.letter === null ? `${area.id}-general` : `${area.id}${s.letter}`);
      }
    }
    const general = framework.areas[4]?.subAreas[0];
    assert.ok(general, 'CC5 has a first sub-area');
    assert.equal(general.id, 'CC5-general');
    assert.equal(general.title, 'General');
  });

  it('keeps the cleaned-up sub-area titles', () => {
    const titles = Object.fromEntries(framework.areas.flatMap((a) => a.subAreas.map((s) => [s.id, s.title])));
    assert.equal(titles.CC2a, 'Clinical Coding (core)');
    assert.equal(titles.CC2e, 'Statistical Process Control and its Charts');
    assert.equal(titles.CC4h, 'NHS data flows and information management');
    assert.equal(titles.CC4j, 'NHS: What it is and how it works');
    assert.equal(titles.CC5e, 'Digital identity, wellbeing, safety and security');
  });

  it('gives every statement a unique id matching its sub-area and position', () => {
    const ids = allStatements.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length, 'statement ids are unique');
    for (const area of framework.areas) {
      for (const sub of area.subAreas) {
        sub.statements.forEach((st, i) => {
          assert.equal(st.id, `${sub.id}.${i + 1}`);
          assert.equal(st.text, st.text.trim().replace(/\s+/g, ' '), `${st.id} text is clean`);
        });
      }
    }
  });

  it('reads the lone mean/median/mode tick as both levels, with a reading note', () => {
    const st = statement('CC2d.2');
    assert.equal(st.text, 'Understand and calculate common summary measures; mean, median and mode');
    assert.deepEqual(sortedLevels(st.levels), BOTH);
    assert.ok(st.readingNote && st.readingNote.length > 20, 'CC2d.2 has a readingNote');
    const withNotes = allStatements.filter((s) => s.readingNote !== undefined).map((s) => s.id);
    assert.deepEqual(withNotes, ['CC2d.2']);
  });

  it('has the exact text and levels of selected statements', () => {
    const expected: Array<[string, string, Level[]]> = [
      [
        'CC1a.1',
        'Understands basic principles of risk management, risk appraisal, and risk assessment',
        APPROVED,
      ],
      ['CC1b.4', 'Is able to draft audit plans including details of time and resources', APPROVED],
      [
        'CC1c.2',
        'Ability to identify the key individuals when conducting an audit and is able to: appraise the system to identify key risks',
        APPROVED,
      ],
      [
        'CC1c.7',
        'Ability to identify the key individuals when conducting an audit and is able to: contribute to the development of the action plan and timetable for implementing recommendations',
        APPROVED,
      ],
      [
        'CC1d.2',
        'Basic report writing skills in terms of the difference between Findings, Conclusions and Recommendations’',
        BOTH,
      ],
      [
        'CC2a.1',
        'Evidences they have held accredited clinical coder status (ACC) for over three years',
        BOTH,
      ],
      ['CC2b.13', 'Maintains an individual auditor e-Portfolio', APPROVED],
      ['CC2f.1', 'Create and manage worksheets and workbooks', BOTH],
      [
        'CC3b.4',
        'Understands when negotiation with management is appropriate to ensure key findings and follow up action are agreed',
        APPROVED,
      ],
      ['CC3f.1', 'Manages and resolves conflict.', BOTH],
      ['CC3h.1', 'Acts as a champion for change', BOTH],
      ['CC4a.1', 'Has a sound understanding of the purpose, uses and users of a classification’', BOTH],
      ['CC4b.1', 'Basic knowledge of content, structure, and uses of SNOMED CT', BOTH],
      [
        'CC4c.1',
        'Detailed knowledge of Healthcare Resource Groups (HRGs), including chapter summaries, code to group, and interactive CC score',
        APPROVED,
      ],
      ['CC5-general.1', 'Understand what is meant by data and awareness of possible types of data', BOTH],
      ['CC5-general.6', 'Able to evaluate data critically', APPROVED],
      [
        'CC5c.2',
        'The ability to understand and act upon appropriate guidelines, protocols, regulations and safeguards in the use of differing media, information, data and content to meet legal, ethical, cultural and security rules, requirements and expectations when working with personal, public, professional and/or confidential information, data and content',
        BOTH,
      ],
      [
        'CC5c.3',
        'The ability to critically analyse, evaluate and/or interpret information, data, content and their sources',
        APPROVED,
      ],
      [
        'CC5e.1',
        'The ability to recognise and act upon digital situations and events that might compromise personal, professional or organisational security',
        BOTH,
      ],
    ];
    for (const [id, text, levels] of expected) {
      const st = statement(id);
      assert.equal(st.text, text, `${id} text`);
      assert.deepEqual(sortedLevels(st.levels), levels, `${id} levels`);
    }
  });

  it('does not treat the CC1 c. lead-in as a statement of its own', () => {
    assert.ok(
      !allStatements.some((s) => s.text.trim().endsWith('is able to:')),
      'no statement ends at the lead-in',
    );
  });

  it('has the hand-counted line manager activities by level', () => {
    const acts = framework.activities;
    const key = (l: readonly Level[]) => sortedLevels(l).join('+');
    assert.equal(acts.length, 84);
    assert.equal(acts.filter((a) => key(a.levels) === 'trainee').length, 7);
    assert.equal(acts.filter((a) => key(a.levels) === 'approved').length, 12);
    assert.equal(acts.filter((a) => key(a.levels) === 'trainee+approved').length, 65);
    assert.deepEqual(
      acts.filter((a) => key(a.levels) === 'trainee').map((a) => a.id),
      ['LMA50', 'LMA51', 'LMA72', 'LMA73', 'LMA74', 'LMA75', 'LMA76'],
    );
    assert.deepEqual(
      acts.filter((a) => key(a.levels) === 'approved').map((a) => a.id),
      [
        'LMA03',
        'LMA10',
        'LMA60',
        'LMA63',
        'LMA64',
        'LMA65',
        'LMA66',
        'LMA67',
        'LMA79',
        'LMA80',
        'LMA81',
        'LMA83',
      ],
    );
  });

  it('has the hand-counted line manager activities by supported area', () => {
    const count = (id: string) => framework.activities.filter((a) => a.supports.includes(id as never)).length;
    assert.deepEqual(
      { CC1: count('CC1'), CC2: count('CC2'), CC3: count('CC3'), CC4: count('CC4'), CC5: count('CC5') },
      { CC1: 37, CC2: 15, CC3: 69, CC4: 18, CC5: 3 },
    );
  });

  it('numbers the activities LMA01… in order, and keeps selected rows exactly', () => {
    framework.activities.forEach((a, i) => {
      assert.equal(a.id, `LMA${String(i + 1).padStart(2, '0')}`);
      assert.equal(new Set(a.supports).size, a.supports.length, `${a.id} supports do not repeat`);
    });
    const byId = (id: string) => framework.activities.find((a) => a.id === id)!;
    assert.deepEqual(byId('LMA01'), {
      id: 'LMA01',
      text: 'Highlight aspects of inefficiency in delivering objectives and ask for an improvement plan.',
      levels: BOTH,
      supports: ['CC1', 'CC3', 'CC4', 'CC5'],
    });
    assert.deepEqual(byId('LMA48').supports, ['CC1', 'CC2', 'CC3', 'CC4', 'CC5']);
    assert.deepEqual(byId('LMA50'), {
      id: 'LMA50',
      text: 'Take staff member through stakeholder mapping to ensure good practice.',
      levels: TRAINEE,
      supports: ['CC1', 'CC3'],
    });
    assert.deepEqual(byId('LMA84'), {
      id: 'LMA84',
      text: 'Ensure that all mandatory training is up to date.',
      levels: BOTH,
      supports: ['CC2', 'CC4'],
    });
  });

  it('has the hand-counted resources, each pointing at real areas or sub-areas', () => {
    assert.equal(framework.resources.length, 24);
    const ids = framework.resources.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'resource ids are unique');
    const known = new Set<string>([
      ...framework.areas.map((a) => a.id),
      ...framework.areas.flatMap((a) => a.subAreas.map((s) => s.id)),
    ]);
    for (const r of framework.resources) {
      assert.ok(r.helpsWith.length > 0, `${r.id} helps with something`);
      for (const h of r.helpsWith) assert.ok(known.has(h), `${r.id}: ${h} is a known area or sub-area`);
    }
  });

  it('has the framework levels and purpose', () => {
    assert.equal(framework.source, 'framework');
    assert.deepEqual(
      framework.levels.map((l) => [l.id, l.name]),
      [
        ['trainee', 'Trainee Clinical Coding Auditor'],
        ['approved', 'Approved Clinical Coding Auditor'],
      ],
    );
    assert.equal(
      framework.purpose,
      'To confirm the core competencies required to become an NHS Digital Approved Clinical Coding Auditor and to maintain ‘approved’ status.',
    );
  });
});
