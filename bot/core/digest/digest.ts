import { z } from 'zod';
import {
  assessmentPlan,
  isGap,
  isMet,
  latestCompleted,
  RATING_LABELS,
  type AssessmentDoc,
  type CompletedAssessment,
} from '../assessment/assessment.js';
import {
  addDays,
  addYears,
  DEFAULT_TIME_ZONE,
  formatLongDate,
  localDate,
  parseIsoDate,
} from '../calendar.js';
import type { AreaId, Level } from '../frameworkSchema.js';
import { csvTable } from '../csv.js';
import { suggestActivities, summarizeAssessment, type AssessmentSummary } from '../assessment/gaps.js';
import { findStatement, subAreaLabel, type Library } from '../library.js';
import type { Review, ReviewStatus } from '../review/review.js';
import type { PlanStatus } from '../plan/plan.js';

/*
 * The weekly line-manager digest, as data: per coder, their latest results, what changed since the digest the
 * manager last saw and what is overdue; for the team, a heat map, the areas most coders share gaps in and the
 * line-manager activities that help there. Pure: no I/O and no clock; `now` is always an argument and calendar
 * dates are read in the time zone given (the bot's TIME_ZONE), through the one calendar (core/calendar.ts).
 */

/** A coder is overdue a self-assessment when the latest was completed more than this many days ago. */
const ASSESSMENT_OVERDUE_DAYS = 90;

/** The refresher course (CCSRC) counts for this many years, up to and including the anniversary. */
const REFRESHER_VALID_YEARS = 3;

// ---------------------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------------------

/** What the manager was last shown about one coder, stored after each digest is sent. */
export const DigestSnapshotSchema = z.object({
  coderKey: z.string().min(1),
  /** The latest completed assessment shown; absent when the coder had none. */
  assessmentId: z.string().min(1).optional(),
  /** Gap statements shown, in framework order. */
  gapStatementIds: z.array(z.string()),
  /** Overdue reasons shown, so a reason already flagged does not count as news again. */
  overdue: z.array(z.string()).default([]),
});
/** A snapshot as stored and as returned (overdue always present). */
export type CoderSnapshot = z.output<typeof DigestSnapshotSchema>;
/** A snapshot as accepted back (overdue may be missing from an older one). */
export type CoderSnapshotInput = z.input<typeof DigestSnapshotSchema>;

// ---------------------------------------------------------------------------------------------------------
// One coder
// ---------------------------------------------------------------------------------------------------------

export interface CoderDigestInput {
  /** Stable id of the coder (their AAD object id, say); never shown. */
  coderKey: string;
  coderName: string;
  assessments: AssessmentDoc | undefined;
  /** From the coder's eligibility answers: refresher course date, "YYYY-MM-DD" or "none". */
  eligibility?: { ccsrcDate?: string | undefined } | undefined;
  /** What the manager was shown last time; absent for a coder new to the digest. */
  previous?: CoderSnapshotInput | undefined;
  /** The manager's reviews of this coder: one waiting, and where the last one differed. */
  review?: ReviewStatus | undefined;
  /** The coder's development plan, as counts. */
  plan?: PlanStatus | undefined;
}

interface DigestAreaResult {
  areaId: AreaId;
  title: string;
  percentMet: number;
  gaps: number;
}

interface LatestResult {
  assessmentId: string;
  completedAt: string;
  /** Local calendar date of completion, "YYYY-MM-DD". */
  date: string;
  level: Level;
  /** Every area asked at the level, in framework order. */
  areas: DigestAreaResult[];
  totalGaps: number;
  percentMet: number;
}

interface GapArea {
  areaId: AreaId;
  title: string;
  /** Sub-areas with gaps, in framework order: "CC3 b. Communication", 2. */
  subAreas: { label: string; count: number }[];
}

interface CoderChanges {
  /** Statement texts that were gaps last time and are not now. */
  closed: string[];
  /** Statement texts that are gaps now and were not last time. */
  opened: string[];
  /** No previous snapshot: everything is new to the manager, so closed and opened stay empty. */
  isNew: boolean;
  changed: boolean;
}

export interface CoderDigest {
  coderKey: string;
  coderName: string;
  latest?: LatestResult;
  /** Only areas with gaps. */
  gapsByArea: GapArea[];
  changes: CoderChanges;
  overdue: string[];
  /** Overdue reasons not in the previous snapshot (all of them for a coder new to the digest). */
  newlyOverdue: string[];
  /** A self-assessment has been started and not finished. */
  inProgress: boolean;
  review?: ReviewStatus | undefined;
  plan?: PlanStatus | undefined;
  /** The best activity for this coder's gaps not already in their plan: this week's suggestion. */
  suggestion?: { activityId: string; text: string; servesAreas: AreaId[] } | undefined;
  snapshot: CoderSnapshot;
}

/**
 * One coder's part of the digest: latest completed results, gaps by area and sub-area, changes against the
 * previous snapshot (so the manager sees what moved since they last looked) and overdue reasons: no assessment
 * in more than 90 days, or a refresher past its third anniversary (same rule as the eligibility engine).
 */
function suggestionFor(
  lib: Library,
  summary: AssessmentSummary | undefined,
  plan: PlanStatus | undefined,
): { suggestion?: CoderDigest['suggestion'] } {
  if (!summary) return {};
  const planned = new Set(plan?.openActivityIds ?? []);
  const best = suggestActivities(lib, summary).find((a) => !planned.has(a.id));
  return best ? { suggestion: { activityId: best.id, text: best.text, servesAreas: best.servesAreas } } : {};
}

export function buildCoderDigest(
  lib: Library,
  input: CoderDigestInput,
  now: Date,
  timeZone = DEFAULT_TIME_ZONE,
): CoderDigest {
  const today = localDate(now, timeZone);
  const completed = latestCompleted(input.assessments);
  const summary = completed ? summarizeAssessment(lib, completed) : undefined;

  const latest: LatestResult | undefined =
    completed && summary
      ? {
          assessmentId: completed.id,
          completedAt: completed.completedAt,
          date: localDate(new Date(completed.completedAt), timeZone),
          level: completed.level,
          areas: summary.areas.map((a) => ({
            areaId: a.areaId,
            title: a.title,
            percentMet: a.percentMet,
            gaps: a.gaps,
          })),
          totalGaps: summary.totals.gaps,
          percentMet: summary.totals.percentMet,
        }
      : undefined;

  const gapsByArea: GapArea[] = [];
  for (const group of summary?.gaps ?? []) {
    let area = gapsByArea.find((a) => a.areaId === group.areaId);
    if (!area) {
      const title = summary?.areas.find((a) => a.areaId === group.areaId)?.title ?? group.areaId;
      area = { areaId: group.areaId, title, subAreas: [] };
      gapsByArea.push(area);
    }
    area.subAreas.push({ label: group.subAreaLabel, count: group.statements.length });
  }

  const gapStatementIds = (summary?.gaps ?? []).flatMap((g) => g.statements.map((s) => s.id));
  const previous: CoderSnapshot | undefined = input.previous
    ? { ...input.previous, overdue: input.previous.overdue ?? [] }
    : undefined;
  const changes = compareWithSnapshot(lib, previous, completed?.id, gapStatementIds);

  const overdue = overdueReasons(completed, latest?.date, input.eligibility?.ccsrcDate, today);
  const newlyOverdue = previous ? overdue.filter((r) => !previous.overdue.includes(r)) : overdue;

  return {
    coderKey: input.coderKey,
    coderName: input.coderName,
    ...(latest ? { latest } : {}),
    gapsByArea,
    changes,
    overdue,
    newlyOverdue,
    inProgress: input.assessments?.current !== undefined,
    ...(input.review ? { review: input.review } : {}),
    ...(input.plan ? { plan: input.plan } : {}),
    ...suggestionFor(lib, summary, input.plan),
    snapshot: {
      coderKey: input.coderKey,
      ...(completed ? { assessmentId: completed.id } : {}),
      gapStatementIds,
      overdue,
    },
  };
}

function compareWithSnapshot(
  lib: Library,
  previous: CoderSnapshot | undefined,
  assessmentId: string | undefined,
  gapStatementIds: string[],
): CoderChanges {
  if (!previous) return { closed: [], opened: [], isNew: true, changed: true };
  const before = new Set(previous.gapStatementIds);
  const after = new Set(gapStatementIds);
  const closedIds = inFrameworkOrder(
    lib,
    previous.gapStatementIds.filter((id) => !after.has(id)),
  );
  const openedIds = gapStatementIds.filter((id) => !before.has(id));
  const text = (id: string) => findStatement(lib, id)?.statement.text ?? id;
  return {
    closed: closedIds.map(text),
    opened: openedIds.map(text),
    isNew: false,
    changed: closedIds.length > 0 || openedIds.length > 0 || previous.assessmentId !== assessmentId,
  };
}

/** Known statements in framework order, then any the framework no longer has, in the order given. */
function inFrameworkOrder(lib: Library, ids: string[]): string[] {
  const wanted = new Set(ids);
  const known = lib.framework.areas.flatMap((a) =>
    a.subAreas.flatMap((s) => s.statements.map((st) => st.id).filter((id) => wanted.has(id))),
  );
  const knownSet = new Set(known);
  return [...known, ...ids.filter((id) => !knownSet.has(id))];
}

function overdueReasons(
  completed: CompletedAssessment | undefined,
  lastDate: string | undefined,
  ccsrcDate: string | undefined,
  today: string,
): string[] {
  const reasons: string[] = [];
  if (!completed || !lastDate) reasons.push('No self-assessment yet');
  else if (addDays(lastDate, ASSESSMENT_OVERDUE_DAYS) < today)
    reasons.push(`No self-assessment for ${ASSESSMENT_OVERDUE_DAYS} days (last ${formatLongDate(lastDate)})`);
  // 'none', a blank or a malformed answer is not a date to lapse; a future date has not lapsed either.
  if (ccsrcDate && parseIsoDate(ccsrcDate) && addYears(ccsrcDate, REFRESHER_VALID_YEARS) < today)
    reasons.push(`Refresher course (CCSRC) over three years old (${formatLongDate(ccsrcDate)})`);
  return reasons;
}

// ---------------------------------------------------------------------------------------------------------
// The team
// ---------------------------------------------------------------------------------------------------------

export interface WeeklyDigestInput {
  managerName: string;
  /** From weekOf(now). */
  week: string;
  coders: CoderDigestInput[];
}

interface HeatMapRow {
  coderKey: string;
  coderName: string;
  /** Every framework area, in framework order. */
  cells: { areaId: AreaId; gaps: number }[];
}

interface AreaGapCount {
  areaId: AreaId;
  title: string;
  /** Coders with at least one gap in the area. */
  coders: number;
  /** Gap statements in the area, summed over coders. */
  gaps: number;
}

interface TeamActivity {
  id: string;
  text: string;
  levels: Level[];
  supports: AreaId[];
  /** Common gap areas this activity helps with at a level a coder with gaps there holds. */
  servesAreas: AreaId[];
}

interface TeamView {
  /** Coders with a completed assessment only: a row of zeros for someone never assessed would read as "no gaps". */
  heatMap: HeatMapRow[];
  /** Every framework area, in framework order. */
  gapCountsByArea: AreaGapCount[];
  commonGapAreas: AreaId[];
  suggestedActivities: TeamActivity[];
}

export interface WeeklyDigest {
  week: string;
  managerName: string;
  /** Sorted by name. */
  coders: CoderDigest[];
  team: TeamView;
  nothingChanged: boolean;
  /** One plain-English line with no coder names, safe for a notification preview. */
  summary: string;
  /** Store these once the digest is sent; feed them back next week as each coder's `previous`. */
  snapshots: CoderSnapshot[];
}

const COMMON_GAP_AREAS_MAX = 2;
const TEAM_ACTIVITIES_MAX = 5;

/**
 * The whole week's digest: each coder's part sorted by name, the team heat map and gap counts, the two areas
 * most coders share gaps in with up to five activities for them at the levels those coders hold, whether
 * anything is new since last time (so an unchanged week can be skipped) and a one-line summary without names.
 */
export function buildWeeklyDigest(
  lib: Library,
  input: WeeklyDigestInput,
  now: Date,
  timeZone = DEFAULT_TIME_ZONE,
): WeeklyDigest {
  const coders = sortByName(input.coders.map((c) => buildCoderDigest(lib, c, now, timeZone)));
  const areas = lib.framework.areas;

  const assessed = coders.filter((c): c is CoderDigest & { latest: LatestResult } => !!c.latest);
  const gapsIn = (c: { latest: LatestResult }, areaId: AreaId) =>
    c.latest.areas.find((a) => a.areaId === areaId)?.gaps ?? 0;

  const heatMap: HeatMapRow[] = assessed.map((c) => ({
    coderKey: c.coderKey,
    coderName: c.coderName,
    cells: areas.map((a) => ({ areaId: a.id, gaps: gapsIn(c, a.id) })),
  }));

  const gapCountsByArea: AreaGapCount[] = areas.map((a) => ({
    areaId: a.id,
    title: a.title,
    coders: assessed.filter((c) => gapsIn(c, a.id) > 0).length,
    gaps: assessed.reduce((n, c) => n + gapsIn(c, a.id), 0),
  }));

  const commonGapAreas = gapCountsByArea
    .map((count, order) => ({ count, order }))
    .filter(({ count }) => count.coders > 0)
    .sort((x, y) => y.count.coders - x.count.coders || y.count.gaps - x.count.gaps || x.order - y.order)
    .slice(0, COMMON_GAP_AREAS_MAX)
    .map(({ count }) => count.areaId);

  // Per common area, the levels held by coders with gaps there: an activity must apply at one of them.
  const levelsWithGaps = new Map<AreaId, Set<Level>>(
    commonGapAreas.map((id) => [
      id,
      new Set(assessed.filter((c) => gapsIn(c, id) > 0).map((c) => c.latest.level)),
    ]),
  );
  const suggestedActivities: TeamActivity[] = lib.framework.activities
    .map((activity, order) => ({
      order,
      activity: {
        id: activity.id,
        text: activity.text,
        levels: [...activity.levels],
        supports: [...activity.supports],
        servesAreas: commonGapAreas.filter(
          (id) =>
            activity.supports.includes(id) &&
            activity.levels.some((level) => levelsWithGaps.get(id)?.has(level)),
        ),
      },
    }))
    .filter(({ activity }) => activity.servesAreas.length > 0)
    .sort((x, y) => y.activity.servesAreas.length - x.activity.servesAreas.length || x.order - y.order)
    .slice(0, TEAM_ACTIVITIES_MAX)
    .map(({ activity }) => activity);

  const nothingChanged = coders.every((c) => !c.changes.changed && c.newlyOverdue.length === 0);

  return {
    week: input.week,
    managerName: input.managerName,
    coders,
    team: { heatMap, gapCountsByArea, commonGapAreas, suggestedActivities },
    nothingChanged,
    summary: summaryLine(lib, coders, commonGapAreas),
    snapshots: coders.map((c) => c.snapshot),
  };
}

const byName = new Intl.Collator('en-GB', { sensitivity: 'base' });

/** Names are compared the way people read them (case and accents aside), then by key so the order is stable. */
function sortByName<T extends { coderName: string; coderKey: string }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) =>
      byName.compare(a.coderName, b.coderName) ||
      (a.coderKey < b.coderKey ? -1 : a.coderKey > b.coderKey ? 1 : 0),
  );
}

function summaryLine(lib: Library, coders: CoderDigest[], commonGapAreas: AreaId[]): string {
  const n = coders.length;
  if (n === 0) return 'No coders share their results with you yet.';
  const parts = [`${n} ${n === 1 ? 'coder shares' : 'coders share'} their results`];
  const assessed = coders.filter((c) => c.latest).length;
  const withGaps = coders.filter((c) => (c.latest?.totalGaps ?? 0) > 0).length;
  if (assessed === 0) parts.push('none has completed a self-assessment yet');
  else if (withGaps === 0) parts.push('none has gaps');
  else {
    const areaNames = commonGapAreas.map((id) => {
      const area = lib.framework.areas.find((a) => a.id === id);
      return area ? `${id} ${area.title}` : id;
    });
    parts.push(`${withGaps} ${withGaps === 1 ? 'has' : 'have'} gaps, mostly in ${areaNames.join(' and ')}`);
  }
  const overdue = coders.filter((c) => c.overdue.length > 0).length;
  if (overdue > 0) parts.push(`${overdue} ${overdue === 1 ? 'is' : 'are'} overdue`);
  return `${parts.join('; ')}.`;
}

// ---------------------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------------------

export interface ExportRow {
  coderName: string;
  /** Local calendar date of completion, "YYYY-MM-DD". */
  assessmentDate: string;
  level: Level;
  areaId: AreaId;
  areaTitle: string;
  /** "CC2 d. Statistics". */
  subArea: string;
  statementId: string;
  statement: string;
  /** "Not yet" … "Confident", or '' when unanswered. */
  rating: string;
  /** 'yes' for Not yet or Developing, 'no' for Competent or Confident, '' when unanswered. */
  gap: 'yes' | 'no' | '';
  /** The manager's review of the sub-area: "Agrees", their own rating, or '' when not reviewed. */
  managerView: string;
  managerComment: string;
}

/** Columns in export order, with the header a spreadsheet shows; shared by the CSV here and any XLSX writer. */
export const EXPORT_COLUMNS: readonly { key: keyof ExportRow; header: string }[] = [
  { key: 'coderName', header: 'Coder' },
  { key: 'assessmentDate', header: 'Assessment date' },
  { key: 'level', header: 'Level' },
  { key: 'areaId', header: 'Area' },
  { key: 'areaTitle', header: 'Area title' },
  { key: 'subArea', header: 'Sub-area' },
  { key: 'statementId', header: 'Statement id' },
  { key: 'statement', header: 'Statement' },
  { key: 'rating', header: 'Rating' },
  { key: 'gap', header: 'Gap' },
  { key: 'managerView', header: "Manager's view (sub-area)" },
  { key: 'managerComment', header: "Manager's comment" },
];

/**
 * One row per statement asked at the coder's level in their latest completed assessment, coders sorted by
 * name, statements in framework order; coders with no completed assessment have no rows (nothing was asked).
 */
export function exportRows(
  lib: Library,
  coders: {
    coderName: string;
    assessments: AssessmentDoc | undefined;
    /** The manager's finished reviews of this coder. */
    reviews?: readonly Review[];
  }[],
  timeZone = DEFAULT_TIME_ZONE,
): ExportRow[] {
  const sorted = coders
    .map((c, order) => ({ c, order }))
    .sort((x, y) => byName.compare(x.c.coderName, y.c.coderName) || x.order - y.order)
    .map(({ c }) => c);
  return sorted.flatMap(({ coderName, assessments, reviews }) => {
    const a = latestCompleted(assessments);
    if (!a) return [];
    const review = reviews?.find((r) => r.assessmentId === a.id && r.status === 'done');
    const assessmentDate = localDate(new Date(a.completedAt), timeZone);
    return assessmentPlan(lib, a.level).flatMap(({ area, subArea }) =>
      subArea.statements.map((s): ExportRow => {
        const rating = a.ratings[s.id];
        return {
          coderName,
          assessmentDate,
          level: a.level,
          areaId: area.id,
          areaTitle: area.title,
          subArea: subAreaLabel(subArea),
          statementId: s.id,
          statement: s.text,
          rating: rating ? RATING_LABELS[rating] : '',
          gap: isGap(rating) ? 'yes' : isMet(rating) ? 'no' : '',
          ...managerSide(review, subArea.id),
        };
      }),
    );
  });
}

function managerSide(
  review: Review | undefined,
  subAreaId: string,
): Pick<ExportRow, 'managerView' | 'managerComment'> {
  const verdict = review?.verdicts[subAreaId];
  if (!verdict) return { managerView: '', managerComment: '' };
  return {
    managerView: verdict.choice === 'agree' ? 'Agrees' : RATING_LABELS[verdict.choice],
    managerComment: verdict.comment ?? '',
  };
}

/** RFC 4180 CSV with a header row and CRLF after every record, every field made safe to open in a spreadsheet. */
export function toCsv(rows: readonly ExportRow[]): string {
  return csvTable(EXPORT_COLUMNS, rows);
}
