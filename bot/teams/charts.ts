import type { AreaId } from '../core/frameworkSchema.js';
import type { CardViews } from './cards.js';

/*
 * The numbers behind the charts in the cards (Teams' Chart.* elements) and behind the text bars they
 * fall back to. Both are read from the rows these helpers return, so a client with charts and one
 * without say the same thing.
 */

const BAR_WIDTH = 10;

/** A share as ten dots, for clients that draw no charts (and for the step card's progress). */
export function bar(percent: number): string {
  const filled = Math.round((percent / 100) * BAR_WIDTH);
  return '●'.repeat(filled) + '○'.repeat(BAR_WIDTH - filled);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface AreaScore {
  areaId: AreaId;
  title: string;
  percentMet: number;
  gaps: number;
}

type AreaRow = CardViews['assessResults']['areas'][number];

/** Per area: the chart's bar (areaId, percent) and the text bar beside its label and figure. */
export function areaRows(areas: readonly AreaScore[]): AreaRow[] {
  return areas.map((a) => ({
    areaId: a.areaId,
    percent: a.percentMet,
    label: `${a.areaId} ${a.title}`,
    bar: bar(a.percentMet),
    // Good and Warning fail text contrast in Teams' light theme; the figure beside says it in words.
    color: a.percentMet >= 80 ? 'Accent' : a.percentMet >= 50 ? 'Default' : 'Attention',
    figure: `${a.percentMet}% met${a.gaps ? ` · ${plural(a.gaps, 'gap')}` : ''}`,
  }));
}

/** The chart in one sentence, for a screen reader: the lowest area (the first of equals), or all equal. */
export function areaSummary(rows: readonly AreaRow[]): string {
  const [first, ...rest] = rows;
  if (!first) return '';
  const lowest = rest.reduce((low, r) => (r.percent < low.percent ? r : low), first);
  const highest = rest.reduce((high, r) => (r.percent > high.percent ? r : high), first);
  if (lowest.percent === highest.percent) return `Every area is at ${lowest.percent}% met.`;
  return `${lowest.label} is your lowest area at ${lowest.percent}% met; ${highest.label} your highest at ${highest.percent}%.`;
}

/** One completed assessment as the line over time reads it. */
export interface TrendPoint {
  /** Local calendar date of completion, "YYYY-MM-DD": the line's x. */
  date: string;
  /** The same date as people read it ("16 November 2026"). */
  day: string;
  percentMet: number;
  areas: { areaId: AreaId; percentMet: number }[];
}

type TrendView = Pick<CardViews['assessResults'], 'trendSummary' | 'trend' | 'trendRows'>;

/**
 * Each area's share met over the completed assessments, oldest first: a series per area for the
 * line chart, and a row per assessment with the same figures for clients without charts. Fewer than
 * two assessments make no line, and no rows.
 */
export function trendView(points: readonly TrendPoint[]): TrendView {
  const [first] = points;
  const last = points.at(-1);
  if (!first || !last || points.length < 2) return { trendSummary: '', trend: [], trendRows: [] };
  const areaIds = [...new Set(points.flatMap((p) => p.areas.map((a) => a.areaId)))];
  return {
    trendSummary: `Over your ${points.length} completed self-assessments, statements met went from ${first.percentMet}% on ${first.day} to ${last.percentMet}% on ${last.day}.`,
    trend: areaIds.map((areaId) => ({
      legend: areaId,
      values: points.flatMap((p) => {
        const area = p.areas.find((a) => a.areaId === areaId);
        return area ? [{ x: p.date, y: area.percentMet }] : [];
      }),
    })),
    trendRows: points.map((p) => ({
      text: `${p.day}: ${p.percentMet}% met (${p.areas.map((a) => `${a.areaId} ${a.percentMet}%`).join(' · ')})`,
    })),
  };
}

type ReviewView = Pick<CardViews['assessResults'], 'reviewChart' | 'reviewRows'>;

/**
 * The coder's share met per area beside the manager's (their review read as an assessment): two
 * series for grouped bars, and an area a line with the same figures. [] for both with no review.
 */
export function reviewBars(
  self: readonly AreaScore[],
  manager: readonly AreaScore[],
  managerName: string,
): ReviewView {
  if (!manager.length) return { reviewChart: [], reviewRows: [] };
  const theirs = (id: AreaId) => manager.find((m) => m.areaId === id)?.percentMet ?? 0;
  return {
    reviewChart: [
      { legend: 'You', values: self.map((a) => ({ x: a.areaId, y: a.percentMet })) },
      { legend: managerName, values: self.map((a) => ({ x: a.areaId, y: theirs(a.areaId) })) },
    ],
    reviewRows: self.map((a) => ({
      text: `${a.areaId} ${a.title}: you ${a.percentMet}% met, ${managerName} ${theirs(a.areaId)}%`,
    })),
  };
}

interface TeamRow {
  cells: { areaId: AreaId; gaps: number }[];
}

/**
 * The team's gap statements per area, summed from the heat map's own cells: the bar chart's bars,
 * and the heat map's "Team" row that clients without charts read instead.
 */
export function teamTotals(
  rows: readonly TeamRow[],
  areas: readonly { id: AreaId; title: string }[],
): CardViews['digest']['teamTotals'] {
  return areas.map((a) => ({
    areaId: a.id,
    label: `${a.id} ${a.title}`,
    gaps: rows.reduce((n, r) => n + (r.cells.find((c) => c.areaId === a.id)?.gaps ?? 0), 0),
  }));
}
