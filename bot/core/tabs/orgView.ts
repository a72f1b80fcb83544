import type { Level } from '../frameworkSchema.js';
import { subAreaLabel, type Library } from '../library.js';
import {
  suppressCells,
  type CountCell,
  type SplitLevel,
  type SuppressionInput,
  type ViewLevel,
} from './suppression.js';
import type { OrgCell, OrgView } from './tabViews.js';

/** The smallest group the organisation view shows. */
const ORG_THRESHOLD = 5;
/** Quarters shown over time, the current one last: a fixed window, so no label tells that someone assessed then. */
const QUARTERS = 8;

/** One consenting coder as the organisation view counts them; no name, no id. */
export interface OrgPerson {
  /** Their latest completed assessment: its level and the sub-areas it has a gap in. */
  latest: { level: Level; gapSubAreas: readonly string[] };
  /** Per quarter ("2026 Q3") they completed an assessment in: the last of that quarter. */
  quarters: readonly { quarter: string; level: Level; hasGap: boolean }[];
}

/** "2026 Q3" for a local date. */
export function quarterOf(isoDate: string): string {
  const year = isoDate.slice(0, 4);
  const month = Number(isoDate.slice(5, 7));
  return `${year} Q${Math.ceil(month / 3)}`;
}

function lastQuarters(today: string, n: number): string[] {
  let year = Number(today.slice(0, 4));
  let q = Math.ceil(Number(today.slice(5, 7)) / 3);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.unshift(`${year} Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return out;
}

const TOTAL = 'total';
const quarterKey = (q: string) => `quarter:${q}`;

interface OrgTable {
  input: SuppressionInput;
  labels: Map<string, string>;
  areaKeys: string[];
  subAreaKeys: string[];
  quarterKeys: string[];
}

/**
 * The counts behind the organisation view on the finest partition (trainee, approved): people at the
 * level of their latest assessment and how many have a gap, overall, per area and per sub-area (a key
 * exists at a level only where the framework asks it there), and per quarter.
 */
function countOrg(lib: Library, people: readonly OrgPerson[], today: string): OrgTable {
  const counts: Record<string, Partial<Record<SplitLevel, CountCell>>> = {};
  const labels = new Map<string, string>([[TOTAL, 'Everyone']]);
  const groups: { parent: string; children: string[] }[] = [];
  const at = (level: Level) => people.filter((p) => p.latest.level === level);
  const put = (key: string, level: SplitLevel, cell: CountCell) => {
    counts[key] = { ...(counts[key] ?? {}), [level]: cell };
  };
  const areaKeys: string[] = [];
  const subAreaKeys: string[] = [];
  for (const level of ['trainee', 'approved'] as const) {
    const group = at(level);
    put(TOTAL, level, {
      people: group.length,
      gap: group.filter((p) => p.latest.gapSubAreas.length > 0).length,
    });
    for (const area of lib.framework.areas) {
      const subs = area.subAreas.filter((s) => s.statements.some((st) => st.levels.includes(level)));
      if (!subs.length) continue;
      const ids = new Set(subs.map((s) => s.id));
      put(area.id, level, {
        people: group.length,
        gap: group.filter((p) => p.latest.gapSubAreas.some((g) => ids.has(g))).length,
      });
      for (const sub of subs)
        put(sub.id, level, {
          people: group.length,
          gap: group.filter((p) => p.latest.gapSubAreas.includes(sub.id)).length,
        });
    }
  }
  for (const area of lib.framework.areas) {
    if (!counts[area.id]) continue;
    areaKeys.push(area.id);
    labels.set(area.id, `${area.id} ${area.title}`);
    const children = area.subAreas.filter((s) => counts[s.id]).map((s) => s.id);
    for (const sub of area.subAreas) if (counts[sub.id]) labels.set(sub.id, subAreaLabel(sub));
    subAreaKeys.push(...children);
    groups.push({ parent: area.id, children });
  }
  groups.push({ parent: TOTAL, children: areaKeys });
  const quarterKeys = lastQuarters(today, QUARTERS).map((q) => {
    const key = quarterKey(q);
    labels.set(key, q);
    for (const level of ['trainee', 'approved'] as const) {
      const done = people.flatMap((p) => p.quarters.filter((x) => x.quarter === q && x.level === level));
      put(key, level, { people: done.length, gap: done.filter((x) => x.hasGap).length });
    }
    return key;
  });
  return {
    input: {
      keys: [TOTAL, ...areaKeys, ...subAreaKeys, ...quarterKeys],
      counts,
      groups,
      sharedPeople: [TOTAL, ...areaKeys, ...subAreaKeys],
    },
    labels,
    areaKeys,
    subAreaKeys,
    quarterKeys,
  };
}

/**
 * Gaps across all consenting coders by area, sub-area and quarter, at one level or both. Suppression is
 * decided once over all three level views (see suppression.ts), so asking for another level never
 * uncovers what this one hides.
 */
export function buildOrgView(
  lib: Library,
  people: readonly OrgPerson[],
  level: ViewLevel,
  today: string,
): OrgView {
  const table = countOrg(lib, people, today);
  const s = suppressCells(table.input, ORG_THRESHOLD);
  const cellOf = (key: string): OrgCell[] => {
    const c = s.cell(level, key);
    if (!c) return [];
    const hidden = s.hidden(level, key);
    return [
      {
        key: key.replace(/^quarter:/, ''),
        label: table.labels.get(key) ?? key,
        people: hidden ? null : c.people,
        gapPeople: hidden ? null : c.gap,
        suppressed: hidden,
      },
    ];
  };
  const total = cellOf(TOTAL)[0] ?? {
    key: TOTAL,
    label: 'Everyone',
    people: null,
    gapPeople: null,
    suppressed: true,
  };
  return {
    threshold: ORG_THRESHOLD,
    level,
    total,
    byArea: table.areaKeys.flatMap(cellOf),
    bySubArea: table.subAreaKeys.flatMap(cellOf),
    overTime: table.quarterKeys.flatMap(cellOf),
  };
}
