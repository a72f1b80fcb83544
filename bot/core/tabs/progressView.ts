import { completedInOrder, type AssessmentDoc, type CompletedAssessment } from '../assessment/assessment.js';
import { suggestActivities, summarizeAssessment } from '../assessment/gaps.js';
import { checkEligibility } from '../eligibility/eligibility.js';
import type { EligibilityAnswers, EligibilityRules } from '../eligibility/eligibilitySchema.js';
import type { Library } from '../library.js';
import { planOrder, type PlanDoc } from '../plan/plan.js';
import { asReviewed, latestDone, type Review, type ReviewDoc } from '../review/review.js';
import type {
  AreaScore,
  EligibilityMilestone,
  GapView,
  MyProgressView,
  PlanItemView,
  ProgressPoint,
} from './tabViews.js';

/** Activities listed with each gap: the tab shows the gap with what helps most, not all 84. */
const ACTIVITIES_PER_GAP = 3;

export interface ProgressInput {
  displayName: string;
  assessments: AssessmentDoc | undefined;
  reviews: ReviewDoc | undefined;
  plan: PlanDoc | undefined;
  eligibility: EligibilityAnswers | undefined;
}

/** Per area the share met, as /results counts it (met over the level's statements); null with none rated. */
function areaScores(lib: Library, a: CompletedAssessment, review: Review | undefined): AreaScore[] {
  const summary = summarizeAssessment(lib, a);
  // The manager's side is the same summary of the assessment as their review reads it.
  const reviewed = review ? summarizeAssessment(lib, asReviewed(lib, a, review)) : undefined;
  return summary.areas.map((r) => {
    const m = reviewed?.areas.find((x) => x.areaId === r.areaId);
    return {
      area: r.areaId,
      title: r.title,
      self: r.met + r.gaps === 0 ? null : r.percentMet,
      manager: m && m.met + m.gaps > 0 ? m.percentMet : null,
    };
  });
}

/** The latest assessment's gaps by sub-area, each with the best-ranked activities for its area. */
function gapViews(lib: Library, latest: CompletedAssessment | undefined): GapView[] {
  if (!latest) return [];
  const summary = summarizeAssessment(lib, latest);
  const ranked = suggestActivities(lib, summary);
  return summary.gaps.map((g) => ({
    subArea: g.subAreaId,
    label: g.subAreaLabel,
    area: g.areaId,
    level: latest.level,
    statements: g.statements.map((s) => s.text),
    activities: ranked
      .filter((a) => a.supports.includes(g.areaId))
      .slice(0, ACTIVITIES_PER_GAP)
      .map((a) => ({ id: a.id, text: a.text, level: latest.level })),
  }));
}

/**
 * Each programme the person saved answers for: the verdict on today's rules, and the day its time rules
 * (how long a status has been held) are or will be met, from the same engine as /eligibility. No date
 * when a time rule still lacks the date it counts from.
 */
function eligibilityTimeline(
  rules: EligibilityRules,
  answers: EligibilityAnswers | undefined,
  today: string,
): EligibilityMilestone[] {
  if (!answers) return [];
  const answered = new Set(
    // Parsed answers keep a key with no value for a question left blank.
    Object.entries(answers as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k),
  );
  const labels = new Map(rules.questions.map((q) => [q.id, q.label]));
  return rules.programmes
    .filter((p) => rules.questions.some((q) => q.programmes.includes(p.id) && answered.has(q.id)))
    .map((p) => {
      const result = checkEligibility(rules, p.id, answers, today);
      const timed = new Set(
        p.criteria
          .filter(
            (c) =>
              c.phase === 'entry' && (c.kind === 'heldForMoreThanYears' || c.kind === 'heldForAtLeastYears'),
          )
          .map((c) => c.id),
      );
      const dates = result.criteria.filter((c) => timed.has(c.id)).map((c) => c.metOn);
      const known = dates.filter((d): d is string => d !== undefined);
      return {
        programme: p.name,
        metOn: dates.length > 0 && known.length === dates.length ? (known.sort().at(-1) ?? null) : null,
        verdict: result.verdict,
        unknown: result.questionsNeeded.map((id) => labels.get(id) ?? id),
      };
    });
}

/** Everything the "My progress" tab shows of one person, built from their own documents only. */
export function buildProgressView(
  lib: Library,
  rules: EligibilityRules,
  input: ProgressInput,
  clock: { today: string; localDate: (iso: string) => string },
): MyProgressView {
  const history = completedInOrder(input.assessments);
  return {
    displayName: input.displayName,
    history: history.map((a): ProgressPoint => ({
      assessmentId: a.id,
      completedOn: clock.localDate(a.completedAt),
      level: a.level,
      areas: areaScores(lib, a, latestDone(input.reviews, a.id)),
    })),
    gaps: gapViews(lib, history.at(-1)),
    plan: planOrder(input.plan?.items ?? []).map((i): PlanItemView => ({
      id: i.id,
      activity: i.activityText,
      owner: i.owner,
      target: i.targetDate,
      status: i.status,
      overdue: i.status === 'agreed' && i.targetDate < clock.today,
    })),
    eligibility: eligibilityTimeline(rules, input.eligibility, clock.today),
  };
}
