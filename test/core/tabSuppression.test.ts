import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Level } from '../../bot/core/frameworkSchema.js';
import type { Library } from '../../bot/core/library.js';
import { buildOrgView, type OrgPerson } from '../../bot/core/tabs/orgView.js';
import { suppressCells } from '../../bot/core/tabs/suppression.js';
import type { OrgCell, OrgView } from '../../bot/core/tabs/tabViews.js';
import { sharedAssets } from '../support/botServer.js';

/*
 * What an organisation viewer can learn from the three level views of the same organisation, checked
 * from the published JSON alone, with no knowledge of how suppression decided.
 */

const TODAY = '2026-11-23';
const T = 5;
const VIEWS = ['trainee', 'approved', 'all'] as const;
type View = (typeof VIEWS)[number];

const areaOf = (key: string) => key.slice(0, 3);
const isQuarter = (key: string) => /^\d{4} Q[1-4]$/.test(key);

function cellsOf(v: OrgView): OrgCell[] {
  return [v.total, ...v.byArea, ...v.bySubArea, ...v.overTime];
}

/** A small-group count: 1 to 4 people. */
const small = (n: number) => n > 0 && n < T;

/** One linear equation Σ coeff·x = 0 over named values ("view|key|measure"). */
type Equation = [string, number][];

/**
 * Every linear relation a viewer can write from the three views: all = trainee + approved per key and
 * measure; within each view, an area as the sum of its sub-areas and the total as the sum of the areas
 * (not true of people with gaps in two places, so stricter than the truth); and in a level view,
 * every area and sub-area holds the level's whole group of people.
 */
function relations(views: Record<View, OrgView>): Equation[] {
  const eqs: Equation[] = [];
  const keys = (v: View) => new Set(cellsOf(views[v]).map((c) => c.key));
  const name = (v: View, key: string, m: string) => `${v}|${key}|${m}`;
  for (const m of ['people', 'gap']) {
    for (const key of keys('all')) {
      const parts = (['trainee', 'approved'] as const).filter((l) => keys(l).has(key));
      eqs.push([[name('all', key, m), 1], ...parts.map((l): [string, number] => [name(l, key, m), -1])]);
    }
    // People are not sums: a level's whole group is in every area (the equalities below).
    if (m === 'people') continue;
    for (const v of VIEWS) {
      const areas = views[v].byArea.map((c) => c.key);
      eqs.push([[name(v, 'total', m), 1], ...areas.map((a): [string, number] => [name(v, a, m), -1])]);
      for (const a of areas) {
        const subs = views[v].bySubArea.filter((c) => areaOf(c.key) === a).map((c) => c.key);
        eqs.push([[name(v, a, m), 1], ...subs.map((s): [string, number] => [name(v, s, m), -1])]);
      }
    }
  }
  for (const l of ['trainee', 'approved'] as const)
    for (const c of [...views[l].byArea, ...views[l].bySubArea])
      eqs.push([
        [name(l, c.key, 'people'), 1],
        [name(l, 'total', 'people'), -1],
      ]);
  return eqs;
}

/** The published values, and the names of the hidden ones. */
function knowns(views: Record<View, OrgView>): { known: Map<string, number>; hidden: string[] } {
  const known = new Map<string, number>();
  const hidden: string[] = [];
  for (const v of VIEWS)
    for (const c of cellsOf(views[v]))
      for (const [m, value] of [
        ['people', c.people],
        ['gap', c.gapPeople],
      ] as const) {
        const n = `${v}|${c.key}|${m}`;
        if (value === null) hidden.push(n);
        else known.set(n, value);
      }
  return { known, hidden };
}

/** Solving by substitution, as a person with a spreadsheet would: any equation with one unknown left. */
function solveBySubstitution(eqs: Equation[], known: Map<string, number>): Map<string, number> {
  const solved = new Map(known);
  for (let changed = true; changed;) {
    changed = false;
    for (const eq of eqs) {
      const unknown = eq.filter(([n]) => !solved.has(n));
      const only = unknown.length === 1 ? unknown[0] : undefined;
      if (!only) continue;
      const rest = eq.reduce((s, [n, c]) => (solved.has(n) ? s + c * (solved.get(n) ?? 0) : s), 0);
      solved.set(only[0], -rest / only[1]);
      changed = true;
    }
  }
  return solved;
}

/** The hidden values fixed by the equations together: Gauss–Jordan over the hidden ones, modulo a prime. */
function fixedByAllEquations(eqs: Equation[], hidden: string[]): Set<string> {
  const P = 1_000_003;
  const col = new Map(hidden.map((h, i) => [h, i]));
  const rows = eqs
    .map((eq) => {
      const row = new Array<number>(hidden.length).fill(0);
      for (const [n, c] of eq) {
        const i = col.get(n);
        if (i !== undefined) row[i] = ((((row[i] ?? 0) + c) % P) + P) % P;
      }
      return row;
    })
    .filter((r) => r.some((x) => x !== 0));
  const inv = (a: number) => {
    let [r, x, e] = [1, a % P, P - 2];
    while (e > 0) {
      if (e & 1) r = (r * x) % P;
      x = (x * x) % P;
      e >>= 1;
    }
    return r;
  };
  let lead = 0;
  for (let c = 0; c < hidden.length && lead < rows.length; c++) {
    const p = rows.findIndex((r, i) => i >= lead && r[c] !== 0);
    if (p < 0) continue;
    [rows[lead], rows[p]] = [rows[p]!, rows[lead]!];
    const pivot = rows[lead]!;
    const k = inv(pivot[c]!);
    for (let j = 0; j < pivot.length; j++) pivot[j] = (pivot[j]! * k) % P;
    rows.forEach((r, i) => {
      const f = r[c]!;
      if (i === lead || f === 0) return;
      for (let j = 0; j < r.length; j++) r[j] = (((r[j]! - f * pivot[j]!) % P) + P) % P;
    });
    lead++;
  }
  const fixed = new Set<string>();
  for (const r of rows) {
    const nz = r.flatMap((x, i) => (x !== 0 ? [i] : []));
    if (nz.length === 1) fixed.add(hidden[nz[0]!]!);
  }
  return fixed;
}

/** The true counts behind a cell, to tell a harmless derivation (a level's 40 people) from a leak. */
function truth(lib: Library, people: OrgPerson[], view: View, key: string): { people: number; gap: number } {
  const at = people.filter((p) => view === 'all' || p.latest.level === view);
  if (isQuarter(key)) {
    const done = people.flatMap((p) =>
      p.quarters.filter((q) => q.quarter === key && (view === 'all' || q.level === view)),
    );
    return { people: done.length, gap: done.filter((q) => q.hasGap).length };
  }
  const asked = at.filter((p) => {
    if (key === 'total') return true;
    const subs = lib.framework.areas
      .flatMap((a) => a.subAreas)
      .filter((s) => s.id === key || areaOf(s.id) === key);
    return subs.some((s) => s.statements.some((st) => st.levels.includes(p.latest.level)));
  });
  const gap = asked.filter((p) =>
    key === 'total'
      ? p.latest.gapSubAreas.length > 0
      : p.latest.gapSubAreas.some((g) => g === key || (key.length === 3 && areaOf(g) === key)),
  );
  return { people: asked.length, gap: gap.length };
}

/** Everything a viewer must not learn, checked over the three views together. */
function assertNothingSmallRevealed(lib: Library, people: OrgPerson[]): void {
  const views = Object.fromEntries(VIEWS.map((v) => [v, buildOrgView(lib, people, v, TODAY)])) as Record<
    View,
    OrgView
  >;
  for (const v of VIEWS)
    for (const c of cellsOf(views[v])) {
      assert.equal(c.suppressed, c.people === null, `${v} ${c.key}: suppressed says what is shown`);
      assert.equal(c.people === null, c.gapPeople === null);
      if (c.people === null || c.gapPeople === null) continue;
      const real = truth(lib, people, v, c.key);
      assert.deepEqual([c.people, c.gapPeople], [real.people, real.gap], `${v} ${c.key}: the true counts`);
      assert.ok(c.people >= T, `${v} ${c.key}: ${c.people} people shown`);
      assert.ok(
        !small(c.gapPeople) && !small(c.people - c.gapPeople),
        `${v} ${c.key}: ${c.gapPeople} of ${c.people} with a gap`,
      );
    }
  const eqs = relations(views);
  const { known, hidden } = knowns(views);
  const bySubstitution = solveBySubstitution(eqs, known);
  const together = fixedByAllEquations(eqs, hidden);
  for (const h of hidden) {
    const [v, key, m] = h.split('|') as [View, string, 'people' | 'gap'];
    const real = truth(lib, people, v, key);
    // A hidden cell's people count may be the level's whole group seen elsewhere (5 or more); a
    // small one, and any hidden gap count, must stay unknown.
    const sensitive = m === 'gap' || real.people < T;
    if (!sensitive) continue;
    assert.ok(!bySubstitution.has(h), `${h} (${real[m]}) worked out by subtraction`);
    assert.ok(!together.has(h), `${h} (${real[m]}) fixed by the equations together`);
  }
}

describe('organisation view: no group under 5, directly or by difference', function () {
  this.timeout(120_000);
  let lib: Library;
  let subAreas: Record<Level, string[]>;
  before(async () => {
    lib = (await sharedAssets()).lib;
    const at = (level: Level) =>
      lib.framework.areas.flatMap((a) =>
        a.subAreas.filter((s) => s.statements.some((st) => st.levels.includes(level))).map((s) => s.id),
      );
    subAreas = { trainee: at('trainee'), approved: at('approved') };
  });

  /** Random organisations: some tiny, some with a level of only a few, gaps common or rare. */
  const organisation = () =>
    fc
      .record({
        size: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 9, max: 60 })),
        traineeShare: fc.double({ min: 0, max: 1, noNaN: true }),
        gapRate: fc.oneof(fc.constant(0.02), fc.double({ min: 0, max: 1, noNaN: true })),
        seed: fc.integer(),
      })
      .map(({ size, traineeShare, gapRate, seed }) => {
        let s = seed >>> 0 || 1;
        const rand = () => {
          s ^= s << 13;
          s ^= s >>> 17;
          s ^= s << 5;
          return (s >>> 0) / 4294967296;
        };
        return Array.from({ length: size }, (): OrgPerson => {
          const level: Level = rand() < traineeShare ? 'trainee' : 'approved';
          const quarters = ['2026 Q1', '2026 Q2', '2026 Q3', '2026 Q4']
            .filter(() => rand() < 0.5)
            .map((quarter) => ({
              quarter,
              level: rand() < traineeShare ? ('trainee' as const) : ('approved' as const),
              hasGap: rand() < 0.5,
            }));
          return {
            latest: { level, gapSubAreas: subAreas[level].filter(() => rand() < gapRate) },
            quarters,
          };
        });
      });

  it('never shows a cell under 5 nor lets a hidden one be worked out from the three views (property)', () => {
    fc.assert(
      fc.property(organisation(), (people) => {
        assertNothingSmallRevealed(lib, people);
      }),
      { numRuns: 150 },
    );
  });

  it('shows an organisation of comfortable groups in full', () => {
    const people: OrgPerson[] = Array.from({ length: 40 }, (_, i) => ({
      latest: {
        level: i < 20 ? 'trainee' : 'approved',
        gapSubAreas: i % 2 ? [] : [...subAreas.trainee.slice(0, 1)],
      },
      quarters: [],
    }));
    const all = buildOrgView(lib, people, 'all', TODAY);
    assert.deepEqual([all.total.people, all.total.gapPeople, all.total.suppressed], [40, 20, false]);
    assertNothingSmallRevealed(lib, people);
  });

  it('hides a level of 3 wherever its count would show, and the views still add up for the rest', () => {
    const people: OrgPerson[] = Array.from({ length: 23 }, (_, i) => ({
      latest: { level: i < 3 ? 'trainee' : 'approved', gapSubAreas: [] },
      quarters: [],
    }));
    const trainee = buildOrgView(lib, people, 'trainee', TODAY);
    const approved = buildOrgView(lib, people, 'approved', TODAY);
    const all = buildOrgView(lib, people, 'all', TODAY);
    assert.equal(trainee.total.people, null);
    assert.equal(approved.total.people, null, 'else 23 − 20 gives the trainees');
    assert.equal(all.total.people, 23);
    assert.ok([...approved.byArea, ...approved.bySubArea].every((c) => c.suppressed));
    assertNothingSmallRevealed(lib, people);
  });

  it('hides a sub-area where 2 people have a gap, and another beside it so the area total does not give it away', () => {
    const people: OrgPerson[] = Array.from({ length: 30 }, (_, i) => ({
      latest: { level: 'trainee', gapSubAreas: i < 2 ? ['CC2a'] : [] },
      quarters: [],
    }));
    const view = buildOrgView(lib, people, 'trainee', TODAY);
    const cc2 = view.bySubArea.filter((c) => c.key.startsWith('CC2'));
    assert.equal(cc2.find((c) => c.key === 'CC2a')?.suppressed, true);
    assert.ok(
      cc2.filter((c) => c.suppressed).length + Number(view.byArea.find((c) => c.key === 'CC2')?.suppressed) >=
        2,
    );
    assertNothingSmallRevealed(lib, people);
  });
});

describe('complementary suppression on its own', () => {
  it('never leaves exactly one hidden cell in a relation (table)', () => {
    const s = suppressCells({
      keys: ['total', 'A', 'B', 'a1', 'a2', 'b1'],
      counts: {
        total: { trainee: { people: 20, gap: 10 }, approved: { people: 20, gap: 10 } },
        A: { trainee: { people: 20, gap: 8 }, approved: { people: 20, gap: 6 } },
        B: { trainee: { people: 20, gap: 6 }, approved: { people: 20, gap: 6 } },
        a1: { trainee: { people: 20, gap: 3 }, approved: { people: 20, gap: 6 } },
        a2: { trainee: { people: 20, gap: 6 }, approved: { people: 20, gap: 6 } },
        b1: { trainee: { people: 20, gap: 6 }, approved: { people: 20, gap: 6 } },
      },
      groups: [
        { parent: 'total', children: ['A', 'B'] },
        { parent: 'A', children: ['a1', 'a2'] },
        { parent: 'B', children: ['b1'] },
      ],
    });
    assert.equal(s.hidden('trainee', 'a1'), true, '3 with a gap');
    assert.equal(s.hidden('approved', 'a1'), true, 'else all − approved gives the trainees');
    assert.equal(s.hidden('all', 'a1'), false, '9 of 40 is safe');
    assert.equal(s.hidden('trainee', 'a2') || s.hidden('trainee', 'A'), true, 'else A − a2 gives a1');
  });
});
