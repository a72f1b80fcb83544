/*
 * Which cells of the organisation view are hidden, so that no group of fewer than `threshold` people
 * can be seen or worked out, directly or by difference, in any of the three level views together.
 *
 * The counts are kept on the finest partition there is: each person counts once, at the level of their
 * latest assessment (trainee or approved), so for every key the "all" view is exactly trainee + approved.
 * The decision is made once for all three views from those counts and is the same whichever view is
 * asked, so comparing views reveals nothing a single decision did not allow for.
 *
 * 1. Primary: a cell is unsafe when it holds fewer than `threshold` people, or when the people with a gap
 *    or the people without one number 1 to threshold − 1 (either reveals a small group). 0 is shown: it
 *    describes nobody.
 * 2. Across levels (all = trainee + approved, an exact relation): at each key either nothing is hidden, or
 *    both trainee and approved are (the sum stays), or all three are. Never exactly one, so no hidden
 *    value is the other two's difference. A key that exists at one level only has all = that level, so
 *    it is hidden in every view or in none.
 * 3. Within each view, the area → sub-area groups and the total → areas group are treated as sums
 *    (parent = Σ children). People with a gap in two sub-areas count in both, so the real counts are not
 *    sums; treating them as sums gives whoever subtracts more equations than are true, which is the
 *    stricter case. In every group either nothing is hidden or at least two members are, the smallest
 *    visible member being hidden next; repeated until nothing changes (each round hides more, so it ends).
 * 4. Two hidden cells per relation is not always enough when relations share cells (a hidden cell can be
 *    the only link between two otherwise closed loops). So the whole system (every level relation and
 *    every group sum of every view) is solved over the hidden cells, and while any hidden value is fixed
 *    by the visible ones, one more related cell is hidden and steps 2–4 run again. With everything
 *    hidden nothing is fixed, so this ends too.
 *
 * Within a level view, an area's or sub-area's `people` is the level's total by construction (everyone
 * at a level is asked every sub-area of it): those counts are equal, not sums, so a level of fewer than
 * `threshold` people is hidden wherever its count appears, in both level views (otherwise the other
 * level's count plus the "all" total would give it), and keys that exist at one level only are hidden in
 * every view. Quarters count other groups (who assessed when) and have only the level relation.
 */

export type SplitLevel = 'trainee' | 'approved';
export type ViewLevel = SplitLevel | 'all';
const SPLITS: readonly SplitLevel[] = ['trainee', 'approved'];
const VIEWS: readonly ViewLevel[] = ['trainee', 'approved', 'all'];

export interface CountCell {
  people: number;
  /** People with a gap in this cell. */
  gap: number;
}

export interface SuppressionInput {
  keys: readonly string[];
  /** Per key, its counts at each level; a level it does not exist at is left out. */
  counts: Readonly<Record<string, Partial<Record<SplitLevel, CountCell>>>>;
  /** Groups whose parent is read as the sum of its children (within each view). */
  groups: readonly { parent: string; children: readonly string[] }[];
  /**
   * Keys whose people count, at each level, is that level's whole group (everyone at a level is asked
   * all of it), so that seeing one of them at a level is seeing them all.
   */
  sharedPeople?: readonly string[];
}

/** 0 shown everywhere; 1 trainee and approved hidden, all shown; 2 hidden in every view. */
type Status = 0 | 1 | 2;

export interface Suppression {
  /** Whether the cell of `key` in `view` is hidden (a key a level does not have is never shown there). */
  hidden(view: ViewLevel, key: string): boolean;
  /** The cell's counts in `view` (all = trainee + approved), or undefined where the level lacks the key. */
  cell(view: ViewLevel, key: string): CountCell | undefined;
}

/** Whether a count reveals a group smaller than the threshold (0 describes nobody). */
function small(n: number, threshold: number): boolean {
  return n > 0 && n < threshold;
}

function unsafe(c: CountCell, threshold: number): boolean {
  return c.people < threshold || small(c.gap, threshold) || small(c.people - c.gap, threshold);
}

/** Decides, once for all three views, which cells are hidden (see the rules above). */
export function suppressCells(input: SuppressionInput, threshold = 5): Suppression {
  const levelsOf = (key: string) => SPLITS.filter((l) => input.counts[key]?.[l] !== undefined);
  const cell = (view: ViewLevel, key: string): CountCell | undefined => {
    const c = input.counts[key];
    if (view !== 'all') return c?.[view];
    const parts = levelsOf(key).map((l) => c?.[l] ?? { people: 0, gap: 0 });
    if (!parts.length) return undefined;
    return parts.reduce((a, b) => ({ people: a.people + b.people, gap: a.gap + b.gap }));
  };
  const status = new Map<string, Status>();
  const raise = (key: string, to: Status) => {
    // A key with one level has all = that level: hiding one hides the other.
    const wanted: Status = levelsOf(key).length < 2 && to > 0 ? 2 : to;
    if ((status.get(key) ?? 0) < wanted) status.set(key, wanted);
  };
  const isHidden = (view: ViewLevel, key: string) =>
    view === 'all' ? status.get(key) === 2 : (status.get(key) ?? 0) >= 1;
  const present = (view: ViewLevel, key: string) => cell(view, key) !== undefined;

  // A level too small to show anywhere is never split out: every shared-people cell of both levels is
  // hidden (else the other level's count, seen anywhere, gives it as all − other), and a key that exists
  // at one level only is hidden everywhere, since its "all" is that level's count.
  const shared = input.sharedPeople ?? [];
  if (SPLITS.some((l) => shared.some((k) => (input.counts[k]?.[l]?.people ?? threshold) < threshold)))
    for (const key of shared) raise(key, 1);

  for (const key of input.keys) {
    const all = cell('all', key);
    if (!all) continue;
    if (unsafe(all, threshold)) raise(key, 2);
    else if (levelsOf(key).some((l) => unsafe(cell(l, key) ?? all, threshold))) raise(key, 1);
  }

  /** Hides the smallest visible member of a relation in `view`. */
  const hideAnother = (view: ViewLevel, members: readonly string[]): boolean => {
    const visible = members
      .filter((k) => present(view, k) && !isHidden(view, k))
      .sort((a, b) => (cell(view, a)?.people ?? 0) - (cell(view, b)?.people ?? 0) || a.localeCompare(b));
    const next = visible[0];
    if (next === undefined) return false;
    raise(next, view === 'all' ? 2 : 1);
    return true;
  };

  const groupsClosed = () => {
    for (let changed = true; changed;) {
      changed = false;
      for (const view of VIEWS)
        for (const g of input.groups) {
          const members = [g.parent, ...g.children].filter((k) => present(view, k));
          if (members.filter((k) => isHidden(view, k)).length === 1)
            changed = hideAnother(view, members) || changed;
        }
    }
  };

  const hiddenCount = () => [...status.values()].reduce<number>((n, s) => n + s, 0);
  for (;;) {
    groupsClosed();
    const first = fixedCells(input, cell, isHidden, present)[0];
    if (!first) break;
    const before = hiddenCount();
    // Hide one more cell of a relation the fixed cell is in: its own key in the "all" view first.
    const [view, key] = first;
    if (view !== 'all' && !isHidden('all', key)) raise(key, 2);
    else
      for (const g of input.groups)
        if ((g.parent === key || g.children.includes(key)) && hideAnother(view, [g.parent, ...g.children]))
          break;
    // Nothing related left to hide: hide the smallest key still shown anywhere.
    if (hiddenCount() === before && !hideAnother('all', input.keys) && !hideAnother('trainee', input.keys))
      hideAnother('approved', input.keys);
    if (hiddenCount() === before) break;
  }
  return { hidden: isHidden, cell };
}

/**
 * The hidden cells whose gap count the visible ones fix exactly, through the level relations and the
 * group sums of every view: reduced row echelon form over the hidden cells; a cell is fixed when a row
 * names it alone.
 */
function fixedCells(
  input: SuppressionInput,
  cell: (view: ViewLevel, key: string) => CountCell | undefined,
  isHidden: (view: ViewLevel, key: string) => boolean,
  present: (view: ViewLevel, key: string) => boolean,
): [ViewLevel, string][] {
  const vars: [ViewLevel, string][] = [];
  const index = new Map<string, number>();
  for (const key of input.keys)
    for (const view of VIEWS)
      if (present(view, key) && isHidden(view, key)) {
        index.set(`${view}\n${key}`, vars.length);
        vars.push([view, key]);
      }
  if (!vars.length) return [];
  const rows: number[][] = [];
  const relation = (terms: [ViewLevel, string, number][]) => {
    const row = new Array<number>(vars.length).fill(0);
    let any = false;
    for (const [view, key, coeff] of terms) {
      const i = index.get(`${view}\n${key}`);
      if (i !== undefined) {
        row[i] = (row[i] ?? 0) + coeff;
        any = true;
      }
    }
    if (any) rows.push(row);
  };
  for (const key of input.keys) {
    if (!cell('all', key)) continue;
    relation([
      ['all', key, 1],
      ...SPLITS.filter((l) => present(l, key)).map((l): [ViewLevel, string, number] => [l, key, -1]),
    ]);
  }
  for (const view of VIEWS)
    for (const g of input.groups) {
      if (!present(view, g.parent) || !g.children.some((k) => present(view, k))) continue;
      relation([
        [view, g.parent, 1],
        ...g.children.filter((k) => present(view, k)).map((k): [ViewLevel, string, number] => [view, k, -1]),
      ]);
    }
  const reduced = rref(rows, vars.length);
  const fixed: [ViewLevel, string][] = [];
  for (const row of reduced) {
    const nonZero = row.flatMap((v, i) => (Math.abs(v) > 1e-9 ? [i] : []));
    const only = nonZero.length === 1 ? nonZero[0] : undefined;
    const v = only === undefined ? undefined : vars[only];
    if (v) fixed.push(v);
  }
  return fixed;
}

/** Reduced row echelon form with partial pivoting; the coefficients are small integers, so floats serve. */
function rref(input: number[][], width: number): number[][] {
  const m = input.map((r) => [...r]);
  let lead = 0;
  for (let col = 0; col < width && lead < m.length; col++) {
    let pivot = lead;
    for (let r = lead + 1; r < m.length; r++)
      if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    const p = m[pivot];
    const pv = p?.[col] ?? 0;
    if (!p || Math.abs(pv) < 1e-9) continue;
    [m[lead], m[pivot]] = [p, m[lead] ?? p];
    for (let c = 0; c < width; c++) p[c] = (p[c] ?? 0) / pv;
    for (let r = 0; r < m.length; r++) {
      const row = m[r];
      if (r === lead || !row) continue;
      const f = row[col] ?? 0;
      if (Math.abs(f) > 1e-12) for (let c = 0; c < width; c++) row[c] = (row[c] ?? 0) - f * (p[c] ?? 0);
    }
    lead++;
  }
  return m;
}
