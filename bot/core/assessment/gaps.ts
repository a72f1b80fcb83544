import { stemmer } from 'stemmer';
import { eng } from 'stopword';
import {
  assessmentPlan,
  isGap,
  isMet,
  isUnknown,
  percent,
  type Assessment,
  type Rating,
} from './assessment.js';
import type { Activity, AreaId, Level, Resource } from '../frameworkSchema.js';
import { subAreaLabel, type Library } from '../library.js';

interface StatementResult {
  id: string;
  text: string;
  rating: Rating | undefined;
}

/** Statements of one sub-area, in framework order; lists of groups are in framework order too. */
interface SubAreaGroup {
  areaId: AreaId;
  subAreaId: string;
  subAreaLabel: string;
  statements: StatementResult[];
}

interface AreaResult {
  areaId: AreaId;
  title: string;
  /** Rated Competent or Confident. */
  met: number;
  /** Rated Not yet or Developing. */
  gaps: number;
  /** Not rated, or answered Not sure: counted as not met, reported apart from gaps. */
  unanswered: number;
  /** Statements of the area at the assessment's level. */
  total: number;
  percentMet: number;
}

export interface AssessmentSummary {
  assessmentId: string;
  level: Level;
  completedAt: string | undefined;
  areas: AreaResult[];
  gaps: SubAreaGroup[];
  unanswered: SubAreaGroup[];
  strengths: SubAreaGroup[];
  /** Areas with at least one gap, in framework order. */
  gapAreaIds: AreaId[];
  totals: { met: number; gaps: number; unanswered: number; total: number; percentMet: number };
}

/**
 * Per area, the share of the level's statements met; gaps, strengths and unanswered statements grouped by
 * sub-area. Only statements at the assessment's level count, since those are what the coder was asked.
 */
export function summarizeAssessment(lib: Library, assessment: Assessment): AssessmentSummary {
  const areas: AreaResult[] = [];
  const gaps: SubAreaGroup[] = [];
  const unanswered: SubAreaGroup[] = [];
  const strengths: SubAreaGroup[] = [];
  const byArea = new Map<AreaId, AreaResult>();

  for (const { area, subArea } of assessmentPlan(lib, assessment.level)) {
    let result = byArea.get(area.id);
    if (!result) {
      result = {
        areaId: area.id,
        title: area.title,
        met: 0,
        gaps: 0,
        unanswered: 0,
        total: 0,
        percentMet: 0,
      };
      byArea.set(area.id, result);
      areas.push(result);
    }
    const group = (statements: StatementResult[]): SubAreaGroup => ({
      areaId: area.id,
      subAreaId: subArea.id,
      subAreaLabel: subAreaLabel(subArea),
      statements,
    });
    const rated = subArea.statements.map((s) => ({
      id: s.id,
      text: s.text,
      rating: assessment.ratings[s.id],
    }));
    const subGaps = rated.filter((s) => isGap(s.rating));
    const subMet = rated.filter((s) => isMet(s.rating));
    const subUnanswered = rated.filter((s) => isUnknown(s.rating));
    if (subGaps.length) gaps.push(group(subGaps));
    if (subMet.length) strengths.push(group(subMet));
    if (subUnanswered.length) unanswered.push(group(subUnanswered));
    result.total += rated.length;
    result.met += subMet.length;
    result.gaps += subGaps.length;
    result.unanswered += subUnanswered.length;
  }
  for (const r of areas) r.percentMet = percent(r.met, r.total);

  const sum = (key: 'met' | 'gaps' | 'unanswered' | 'total') => areas.reduce((n, r) => n + r[key], 0);
  return {
    assessmentId: assessment.id,
    level: assessment.level,
    completedAt: assessment.completedAt,
    areas,
    gaps,
    unanswered,
    strengths,
    gapAreaIds: areas.filter((r) => r.gaps > 0).map((r) => r.areaId),
    totals: {
      met: sum('met'),
      gaps: sum('gaps'),
      unanswered: sum('unanswered'),
      total: sum('total'),
      percentMet: percent(sum('met'), sum('total')),
    },
  };
}

interface AreaChange {
  areaId: AreaId;
  title: string;
  /** Percent met among the statements both assessments asked, before and after. */
  beforePercent: number;
  afterPercent: number;
  change: number;
}

export interface AssessmentComparison {
  /** Gaps before, met now. */
  closed: string[];
  /** Gaps now that were not gaps before (met, or unanswered then). */
  opened: string[];
  areaChanges: AreaChange[];
  /** How many statements both assessments asked. */
  comparedStatements: number;
}

/**
 * What changed since the previous completed assessment. Only statements asked in both count, so moving from
 * trainee to approved does not show the new approved-only statements as "new gaps" against nothing.
 */
export function compareAssessments(
  lib: Library,
  previous: Assessment,
  current: Assessment,
): AssessmentComparison {
  const closed: string[] = [];
  const opened: string[] = [];
  const areaChanges: AreaChange[] = [];
  let comparedStatements = 0;

  for (const area of lib.framework.areas) {
    let shared = 0;
    let metBefore = 0;
    let metAfter = 0;
    for (const sub of area.subAreas) {
      for (const s of sub.statements) {
        if (!s.levels.includes(previous.level) || !s.levels.includes(current.level)) continue;
        const before = previous.ratings[s.id];
        const after = current.ratings[s.id];
        shared += 1;
        if (isMet(before)) metBefore += 1;
        if (isMet(after)) metAfter += 1;
        if (isGap(before) && isMet(after)) closed.push(s.id);
        if (isGap(after) && !isGap(before)) opened.push(s.id);
      }
    }
    if (shared === 0) continue;
    comparedStatements += shared;
    const beforePercent = percent(metBefore, shared);
    const afterPercent = percent(metAfter, shared);
    areaChanges.push({
      areaId: area.id,
      title: area.title,
      beforePercent,
      afterPercent,
      change: afterPercent - beforePercent,
    });
  }
  return { closed, opened, areaChanges, comparedStatements };
}

export type SuggestedActivity = Activity & {
  /** The coder's gap areas this activity supports, in framework order. */
  servesAreas: AreaId[];
  /** Gap statements in those areas, summed. */
  gapStatements: number;
};

/**
 * Line-manager activities for the coder's level that support at least one gap area, ranked by how many gap
 * areas they serve, then by how many gap statements those areas hold, then framework order, so one activity that
 * helps in several places comes before several that help in one.
 */
export function suggestActivities(lib: Library, summary: AssessmentSummary): SuggestedActivity[] {
  const gapsByArea = new Map(summary.areas.filter((a) => a.gaps > 0).map((a) => [a.areaId, a.gaps]));
  if (gapsByArea.size === 0) return [];
  // Only the activities that serve a gap are copied: the weekly digest ranks every coder's (10,000 a
  // run), and copying all 84 for each was two thirds of the time it took to build the digests.
  const ranked: { order: number; activity: Activity; servesAreas: AreaId[]; gapStatements: number }[] = [];
  for (const { activity, order } of activitiesAt(lib, summary.level)) {
    const servesAreas = summary.gapAreaIds.filter((id) => activity.supports.includes(id));
    if (!servesAreas.length) continue;
    const gapStatements = servesAreas.reduce((n, id) => n + (gapsByArea.get(id) ?? 0), 0);
    ranked.push({ order, activity, servesAreas, gapStatements });
  }
  return ranked
    .sort(
      (x, y) =>
        y.servesAreas.length - x.servesAreas.length || y.gapStatements - x.gapStatements || x.order - y.order,
    )
    .map(({ activity: a, servesAreas, gapStatements }) => ({
      // Named rather than spread: spreading the parsed framework's objects cost 3 µs each.
      id: a.id,
      text: a.text,
      levels: a.levels,
      supports: a.supports,
      servesAreas,
      gapStatements,
    }));
}

/** The framework's activities for a level with their place in the framework, worked out once per library. */
const activitiesByLevel = new WeakMap<Library, Map<Level, { activity: Activity; order: number }[]>>();
function activitiesAt(lib: Library, level: Level): { activity: Activity; order: number }[] {
  let byLevel = activitiesByLevel.get(lib);
  if (!byLevel) {
    byLevel = new Map();
    activitiesByLevel.set(lib, byLevel);
  }
  let list = byLevel.get(level);
  if (!list) {
    list = lib.framework.activities
      .map((activity, order) => ({ activity, order }))
      .filter(({ activity }) => activity.levels.includes(level));
    byLevel.set(level, list);
  }
  return list;
}

export type RecommendedResource = Resource & {
  /** Gap sub-areas named in the resource's helpsWith. */
  matchedSubAreaIds: string[];
  /** Gap areas named in the resource's helpsWith. */
  matchedAreaIds: AreaId[];
};

/**
 * Resources whose helpsWith names a gap sub-area or a gap area; a resource aimed at the exact sub-area (a CC4b
 * SNOMED CT gap → SNOMED CT awareness) ranks above one for the whole area, then more matches, then framework order.
 */
export function recommendResources(lib: Library, summary: AssessmentSummary): RecommendedResource[] {
  const gapSubAreas = new Set(summary.gaps.map((g) => g.subAreaId));
  const gapAreas = new Set<string>(summary.gapAreaIds);
  return lib.framework.resources
    .map((resource, order) => ({
      order,
      rec: {
        ...resource,
        matchedSubAreaIds: resource.helpsWith.filter((h) => gapSubAreas.has(h)),
        matchedAreaIds: resource.helpsWith.filter((h): h is AreaId => gapAreas.has(h)),
      },
    }))
    .filter(({ rec }) => rec.matchedSubAreaIds.length + rec.matchedAreaIds.length > 0)
    .sort(
      (x, y) =>
        Number(y.rec.matchedSubAreaIds.length > 0) - Number(x.rec.matchedSubAreaIds.length > 0) ||
        y.rec.matchedSubAreaIds.length +
          y.rec.matchedAreaIds.length -
          (x.rec.matchedSubAreaIds.length + x.rec.matchedAreaIds.length) ||
        x.order - y.order,
    )
    .map(({ rec }) => rec);
}

/** One of the biggest gaps, with the line-manager activity and the resource most specific to it. */
export interface GapFocus {
  group: SubAreaGroup;
  activity: Activity | undefined;
  resource: Resource | undefined;
}

/** How far a gap statement is from met: Not yet and No weigh twice Developing. */
function gapWeight(rating: Rating | undefined): number {
  return rating === 'notYet' || rating === 'no' ? 2 : rating === 'developing' ? 1 : 0;
}

const STOP = new Set([
  ...eng,
  'staff',
  'member',
  'members',
  'ensure',
  'able',
  'ability',
  'understand',
  'understands',
]);

/** The content words of a text, stemmed, for telling which activity speaks to which gap. */
function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 3 && !STOP.has(w))
      .map((w) => stemmer(w)),
  );
}

/**
 * The `count` biggest gaps (sub-areas by the weight of their gap statements, then framework order), each with
 * the activity most specific to it and a resource. The framework ties activities to whole areas only, so
 * "specific" is read from the activity itself: one that shares words with the gap's statements and sub-area
 * comes first, then one that supports fewer areas (an activity for all five areas is the generic "consider
 * courses" kind, the last resort). No activity is given for two gaps. Resources aimed at the sub-area come
 * before those for its whole area.
 */
export function focusGaps(lib: Library, summary: AssessmentSummary, count = 3): GapFocus[] {
  const ranked = summary.gaps
    .map((group, order) => ({
      group,
      order,
      weight: group.statements.reduce((n, s) => n + gapWeight(s.rating), 0),
    }))
    .sort((x, y) => y.weight - x.weight || x.order - y.order)
    .slice(0, count)
    .map((x) => x.group);
  const used = new Set<string>();
  return ranked.map((group) => {
    const gapWords = words(`${group.subAreaLabel} ${group.statements.map((s) => s.text).join(' ')}`);
    const candidates = lib.framework.activities
      .map((activity, order) => {
        const own = words(activity.text);
        const overlap = [...own].filter((w) => gapWords.has(w)).length;
        return { activity, order, overlap };
      })
      .filter(
        ({ activity }) =>
          activity.levels.includes(summary.level) &&
          activity.supports.includes(group.areaId) &&
          !used.has(activity.id),
      )
      .sort(
        (x, y) =>
          y.overlap - x.overlap ||
          x.activity.supports.length - y.activity.supports.length ||
          x.order - y.order,
      );
    const activity = candidates[0]?.activity;
    if (activity) used.add(activity.id);
    const resource =
      lib.framework.resources.find((r) => r.helpsWith.includes(group.subAreaId)) ??
      lib.framework.resources.find((r) => r.helpsWith.includes(group.areaId));
    return { group, activity, resource };
  });
}
