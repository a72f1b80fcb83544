import { z } from 'zod';
import { RATINGS, RATING_LABELS, type CompletedAssessment, type Rating } from '../assessment/assessment.js';
import { LevelSchema, type AreaId } from '../frameworkSchema.js';
import { subAreaLabel, subAreasAtLevel, type Library } from '../library.js';

/*
 * The manager's review of a completed self-assessment: per sub-area the manager agrees, or gives
 * their own rating on the four-point scale with a comment. One review per completed assessment,
 * opened for the manager the coder shares with when it completes; withdrawn when the coder stops
 * sharing, so the manager no longer sees it.
 */

/** What a manager may say about a sub-area: agree, or one of the four points of the scale. */
export const VerdictChoiceSchema = z.enum(['agree', ...RATINGS]);

export const REVIEW_COMMENT_MAX = 500;

const VerdictSchema = z.object({
  choice: VerdictChoiceSchema,
  comment: z.string().max(REVIEW_COMMENT_MAX).optional(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

const IsoDateTime = z.iso.datetime({ offset: true });

const ReviewSchema = z.object({
  assessmentId: z.string().min(1),
  level: LevelSchema,
  completedAt: IsoDateTime,
  coderName: z.string(),
  managerTeamsId: z.string().min(1),
  managerName: z.string(),
  status: z.enum(['waiting', 'done', 'withdrawn']),
  openedAt: IsoDateTime,
  /** When the review card reached the manager; absent while it has not (they can open it with /review). */
  sentAt: IsoDateTime.optional(),
  doneAt: IsoDateTime.optional(),
  withdrawnAt: IsoDateTime.optional(),
  /** Sub-area id → the manager's verdict. */
  verdicts: z.record(z.string(), VerdictSchema),
});
export type Review = z.infer<typeof ReviewSchema>;

/** One small document per coder: their reviews, oldest first. */
export const ReviewDocSchema = z.object({ reviews: z.array(ReviewSchema).default([]) });
export type ReviewDoc = z.infer<typeof ReviewDocSchema>;

export interface ReviewRepo {
  get(coderKey: string): Promise<ReviewDoc | undefined>;
  update(coderKey: string, change: (doc: ReviewDoc) => ReviewDoc | undefined): Promise<ReviewDoc | undefined>;
  remove(coderKey: string): Promise<void>;
}

/** A review days old past which the digest and /team call it waiting too long. */
const REVIEW_WAITING_DAYS = 7;

/** The review for a newly completed assessment; one already open for it is kept as it is. */
export function openReview(
  doc: ReviewDoc,
  done: CompletedAssessment,
  who: { coderName: string; managerTeamsId: string; managerName: string },
  now: Date,
): ReviewDoc | undefined {
  if (doc.reviews.some((r) => r.assessmentId === done.id)) return undefined;
  const review: Review = {
    assessmentId: done.id,
    level: done.level,
    completedAt: done.completedAt,
    ...who,
    status: 'waiting',
    openedAt: now.toISOString(),
    verdicts: {},
  };
  // An earlier review nobody finished is overtaken by the newer assessment.
  const reviews = doc.reviews.map((r) =>
    r.status === 'waiting' ? { ...r, status: 'withdrawn' as const, withdrawnAt: now.toISOString() } : r,
  );
  return { reviews: [...reviews, review] };
}

export function reviewOf(doc: ReviewDoc | undefined, assessmentId: string): Review | undefined {
  return doc?.reviews.find((r) => r.assessmentId === assessmentId);
}

/** The review waiting for this manager, if any (the newest). */
export function waitingFor(doc: ReviewDoc | undefined, managerTeamsId: string): Review | undefined {
  return doc?.reviews.filter((r) => r.status === 'waiting' && r.managerTeamsId === managerTeamsId).at(-1);
}

/** The last review the manager finished, for the coder's /results. */
export function latestDone(doc: ReviewDoc | undefined, assessmentId: string): Review | undefined {
  const r = reviewOf(doc, assessmentId);
  return r?.status === 'done' ? r : undefined;
}

/** The coder stopped sharing (or named someone else): what was waiting is no longer the manager's to see. */
export function withdrawReviews(doc: ReviewDoc, now: Date): ReviewDoc | undefined {
  if (!doc.reviews.some((r) => r.status === 'waiting' || r.status === 'done')) return undefined;
  return {
    reviews: doc.reviews.map((r) =>
      r.status === 'withdrawn' ? r : { ...r, status: 'withdrawn' as const, withdrawnAt: now.toISOString() },
    ),
  };
}

export type ReviewProblem = 'not-yours' | 'closed' | 'unknown-sub-area';

/**
 * Records the manager's verdicts on some sub-areas (one area's page of the card). `finish` closes
 * the review, agreeing with every sub-area not yet given a verdict ("Agree to all the rest").
 */
export function recordVerdicts(
  lib: Library,
  doc: ReviewDoc,
  input: {
    assessmentId: string;
    managerTeamsId: string;
    verdicts: Record<string, Verdict>;
    finish: boolean;
    now: Date;
  },
): { ok: true; doc: ReviewDoc; review: Review } | { ok: false; problem: ReviewProblem } {
  const review = reviewOf(doc, input.assessmentId);
  if (!review || review.managerTeamsId !== input.managerTeamsId) return { ok: false, problem: 'not-yours' };
  if (review.status !== 'waiting') return { ok: false, problem: 'closed' };
  const known = new Set(reviewedSubAreas(lib, review).map((s) => s.subAreaId));
  if (Object.keys(input.verdicts).some((id) => !known.has(id)))
    return { ok: false, problem: 'unknown-sub-area' };
  const verdicts = { ...review.verdicts, ...input.verdicts };
  if (input.finish) for (const id of known) verdicts[id] ??= { choice: 'agree' };
  const updated: Review = input.finish
    ? { ...review, verdicts, status: 'done', doneAt: input.now.toISOString() }
    : { ...review, verdicts };
  return {
    ok: true,
    doc: { reviews: doc.reviews.map((r) => (r.assessmentId === review.assessmentId ? updated : r)) },
    review: updated,
  };
}

export interface ReviewedSubArea {
  areaId: AreaId;
  areaTitle: string;
  subAreaId: string;
  label: string;
  statements: { id: string; text: string }[];
}

/** The sub-areas a review covers: those of the assessment's level, in framework order. */
export function reviewedSubAreas(lib: Library, review: Pick<Review, 'level'>): ReviewedSubArea[] {
  return subAreasAtLevel(lib, review.level).map(({ area, subArea }) => ({
    areaId: area.id,
    areaTitle: area.title,
    subAreaId: subArea.id,
    label: subAreaLabel(subArea),
    statements: subArea.statements.map((s) => ({ id: s.id, text: s.text })),
  }));
}

/** At most this many sub-areas and statements on one page of the review card, so it fits a laptop screen. */
const PAGE_SUB_AREAS = 2;
const PAGE_STATEMENTS = 6;

export interface ReviewPage {
  areaId: AreaId;
  areaTitle: string;
  subAreas: ReviewedSubArea[];
}

/**
 * The review card's pages: sub-areas in framework order, a page never spanning two areas, with at most
 * PAGE_SUB_AREAS sub-areas and PAGE_STATEMENTS statements (a longer sub-area has a page of its own).
 */
export function reviewPages(lib: Library, review: Pick<Review, 'level'>): ReviewPage[] {
  const pages: ReviewPage[] = [];
  for (const sub of reviewedSubAreas(lib, review)) {
    const page = pages.at(-1);
    const statements = (page?.subAreas ?? []).reduce((n, s) => n + s.statements.length, 0);
    if (
      page?.areaId === sub.areaId &&
      page.subAreas.length < PAGE_SUB_AREAS &&
      statements + sub.statements.length <= PAGE_STATEMENTS
    ) {
      page.subAreas.push(sub);
    } else {
      pages.push({ areaId: sub.areaId, areaTitle: sub.areaTitle, subAreas: [sub] });
    }
  }
  return pages;
}

/** Where a rating sits on the four-point scale (facts: Yes as Competent, No as Not yet); undefined when unknown. */
function scaleIndex(rating: Rating | undefined): number | undefined {
  if (rating === 'yes') return 2;
  if (rating === 'no') return 0;
  const i = RATINGS.indexOf(rating as (typeof RATINGS)[number]);
  return i >= 0 ? i : undefined;
}

/** The coder's ratings in a sub-area in words: "Competent ×2, Developing". */
export function selfInWords(ratings: (Rating | undefined)[]): string {
  const counts = new Map<string, number>();
  for (const r of ratings) {
    const label = r ? RATING_LABELS[r] : 'Not answered';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(', ');
}

export interface ComparedSubArea {
  subAreaId: string;
  label: string;
  self: string;
  manager: string;
  comment: string;
  /** How far apart on the four-point scale (0 when the manager agrees); differences sort first. */
  difference: number;
}

/** The coder's rating and the manager's side by side, differences first (biggest first), then agreements. */
export function compareWithReview(
  lib: Library,
  done: CompletedAssessment,
  review: Review,
): ComparedSubArea[] {
  const rows = reviewedSubAreas(lib, review).map((s): ComparedSubArea => {
    const ratings = s.statements.map((st) => done.ratings[st.id]);
    const verdict = review.verdicts[s.subAreaId] ?? { choice: 'agree' as const };
    if (verdict.choice === 'agree') {
      return {
        subAreaId: s.subAreaId,
        label: s.label,
        self: selfInWords(ratings),
        manager: 'Agrees',
        comment: verdict.comment ?? '',
        difference: 0,
      };
    }
    const known = ratings
      .map(scaleIndex)
      .filter((i): i is number => i !== undefined)
      .sort((a, b) => a - b);
    const median = known.length ? (known[Math.floor((known.length - 1) / 2)] ?? 0) : undefined;
    const theirs = RATINGS.indexOf(verdict.choice);
    return {
      subAreaId: s.subAreaId,
      label: s.label,
      self: selfInWords(ratings),
      manager: RATING_LABELS[verdict.choice],
      comment: verdict.comment ?? '',
      // A rating given where the coder gave none still differs.
      difference: median === undefined ? 1 : Math.max(Math.abs(theirs - median), 1),
    };
  });
  return rows
    .map((row, order) => ({ row, order }))
    .sort((a, b) => b.row.difference - a.row.difference || a.order - b.order)
    .map(({ row }) => row);
}

/**
 * The assessment as the manager's review reads it: in a sub-area they rated, every statement takes their
 * rating; where they agreed, the coder's own ratings stand. Summarised like any assessment, it gives the
 * manager's share met per area beside the coder's.
 */
export function asReviewed(lib: Library, done: CompletedAssessment, review: Review): CompletedAssessment {
  const ratings: Record<string, Rating> = { ...done.ratings };
  for (const s of reviewedSubAreas(lib, review)) {
    const verdict = review.verdicts[s.subAreaId];
    if (verdict && verdict.choice !== 'agree') for (const st of s.statements) ratings[st.id] = verdict.choice;
  }
  return { ...done, ratings };
}

/** Reviews waiting longer than REVIEW_WAITING_DAYS, for the manager's digest and /team. */
export function waitingTooLong(review: Review, now: Date): boolean {
  return (
    review.status === 'waiting' &&
    now.getTime() - Date.parse(review.openedAt) > REVIEW_WAITING_DAYS * 86_400_000
  );
}

/** What the manager's digest and /team say about one coder's reviews. */
export interface ReviewStatus {
  /** The review waiting for this manager, with whether it has waited too long. */
  waiting?: { completedAt: string; tooLong: boolean };
  /** From this manager's last finished review: where they differ most, biggest first (at most three). */
  differences: { label: string; self: string; manager: string }[];
}

export function reviewStatus(
  lib: Library,
  doc: ReviewDoc | undefined,
  history: readonly CompletedAssessment[],
  managerTeamsId: string,
  now: Date,
): ReviewStatus {
  const waiting = waitingFor(doc, managerTeamsId);
  const done = doc?.reviews.filter((r) => r.status === 'done' && r.managerTeamsId === managerTeamsId).at(-1);
  const assessed = done && history.find((a) => a.id === done.assessmentId);
  const differences =
    done && assessed
      ? compareWithReview(lib, assessed, done)
          .filter((r) => r.difference > 0)
          .slice(0, 3)
          .map(({ label, self, manager }) => ({ label, self, manager }))
      : [];
  return {
    ...(waiting
      ? { waiting: { completedAt: waiting.completedAt, tooLong: waitingTooLong(waiting, now) } }
      : {}),
    differences,
  };
}
