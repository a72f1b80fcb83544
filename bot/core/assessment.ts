import { z } from 'zod';
import { LevelSchema, type Area, type AreaId, type Level, type SubArea } from './frameworkSchema.js';
import { subAreaLabel, subAreasAtLevel, type Library } from './library.js';

// ---------------------------------------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------------------------------------

/** The four-point scale, lowest first, as the card lists it. */
export const RatingSchema = z.enum(['notYet', 'developing', 'competent', 'confident']);
export type Rating = z.infer<typeof RatingSchema>;

export const RATINGS: readonly Rating[] = RatingSchema.options;

export const RATING_LABELS: Record<Rating, string> = {
  notYet: 'Not yet',
  developing: 'Developing',
  competent: 'Competent',
  confident: 'Confident',
};

/** Not yet and Developing are gaps (the coder does not meet the statement yet); unanswered is not a gap, we do not know. */
export function isGap(rating: Rating | undefined): boolean {
  return rating === 'notYet' || rating === 'developing';
}

/** Competent and Confident meet the statement; these are the coder's strengths. */
export function isMet(rating: Rating | undefined): boolean {
  return rating === 'competent' || rating === 'confident';
}

/** A sub-area's evidence note is free text up to this many characters, so a card and a stored document stay small. */
export const NOTE_MAX_LENGTH = 1000;

// ---------------------------------------------------------------------------------------------------------
// Stored state
// ---------------------------------------------------------------------------------------------------------

const IsoDateTimeSchema = z.iso.datetime({ offset: true });

export const AssessmentSchema = z.object({
  /** Given by the caller (a UUID in the glue); a restart gets a new id, so cards of the old one are stale. */
  id: z.string().min(1),
  level: LevelSchema,
  startedAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  completedAt: IsoDateTimeSchema.optional(),
  /** Bumped on every accepted step; a card carries the revision it was rendered at. */
  revision: z.number().int().min(0),
  /** Index of the current sub-area in `assessmentPlan(lib, level)`. */
  position: z.number().int().min(0),
  /** Statement id → rating. A statement without an entry is unanswered. */
  ratings: z.record(z.string(), RatingSchema),
  /** Sub-area id → evidence note. */
  notes: z.record(z.string(), z.string().max(NOTE_MAX_LENGTH)),
  /** Sub-areas whose last action was Skip. */
  skipped: z.array(z.string()),
});
export type Assessment = z.infer<typeof AssessmentSchema>;

export const CompletedAssessmentSchema = AssessmentSchema.extend({ completedAt: IsoDateTimeSchema });
export type CompletedAssessment = z.infer<typeof CompletedAssessmentSchema>;

const InProgressAssessmentSchema = AssessmentSchema.refine((a) => a.completedAt === undefined, {
  message: 'an assessment in progress has no completedAt',
  path: ['completedAt'],
});

/** One small document per user: the assessment in progress, if any, and the completed ones, oldest first. */
export const AssessmentDocSchema = z
  .object({
    schemaVersion: z.literal(1),
    userId: z.string().min(1),
    current: InProgressAssessmentSchema.optional(),
    history: z.array(CompletedAssessmentSchema),
  })
  .superRefine((doc, ctx) => {
    const ids = [...doc.history.map((a) => a.id), ...(doc.current ? [doc.current.id] : [])];
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', message: 'assessment ids must be unique', path: ['history'] });
  });
export type AssessmentDoc = z.infer<typeof AssessmentDocSchema>;

// ---------------------------------------------------------------------------------------------------------
// Card submissions
// ---------------------------------------------------------------------------------------------------------

export const StepActionSchema = z.enum(['next', 'back', 'skip', 'save', 'finish']);
export type StepAction = z.infer<typeof StepActionSchema>;

/**
 * What a step card sends back, after the glue has mapped the card's inputs to statement ratings. The note's
 * length is not limited here on purpose: the engine answers ASSESSMENT.NOTE_TOO_LONG with words for the coder.
 */
export const StepSubmissionSchema = z.object({
  assessmentId: z.string().min(1),
  revision: z.number().int().min(0),
  subAreaId: z.string().min(1),
  action: StepActionSchema,
  ratings: z.record(z.string(), RatingSchema).default({}),
  /** Undefined leaves the stored note as it is; an empty (or blank) note removes it. */
  note: z.string().optional(),
});
export type StepSubmission = z.infer<typeof StepSubmissionSchema>;

export const ASSESSMENT_ERRORS = {
  NOT_STARTED: 'ASSESSMENT.NOT_STARTED',
  STALE_CARD: 'ASSESSMENT.STALE_CARD',
  UNKNOWN_STATEMENT: 'ASSESSMENT.UNKNOWN_STATEMENT',
  NOTE_TOO_LONG: 'ASSESSMENT.NOTE_TOO_LONG',
  CANNOT_FINISH_YET: 'ASSESSMENT.CANNOT_FINISH_YET',
} as const;
export type AssessmentErrorCode = (typeof ASSESSMENT_ERRORS)[keyof typeof ASSESSMENT_ERRORS];

export type StepOutcome = 'moved' | 'saved' | 'completed';

export type ApplyStepResult =
  | { ok: true; doc: AssessmentDoc; outcome: StepOutcome }
  | { ok: false; code: AssessmentErrorCode; message: string };

// ---------------------------------------------------------------------------------------------------------
// The plan and the current step
// ---------------------------------------------------------------------------------------------------------

/** A sub-area as asked at a level: `subArea.statements` holds only the statements at that level. */
export interface PlanStep {
  area: Area;
  subArea: SubArea;
}

/** One card per sub-area with at least one statement at the level, in framework order, so nobody is asked what their level does not need. */
export function assessmentPlan(lib: Library, level: Level): PlanStep[] {
  return subAreasAtLevel(lib, level);
}

export interface StepView {
  assessmentId: string;
  revision: number;
  level: Level;
  area: { id: AreaId; title: string };
  subArea: { id: string; title: string; label: string };
  statements: { id: string; text: string; rating: Rating | undefined }[];
  /** '' when there is none. */
  note: string;
  /** Whether the coder skipped this sub-area last time. */
  skipped: boolean;
  /** 0-based position of this card; `number` is the same 1-based ("sub-area 3 of 28"). */
  index: number;
  number: number;
  total: number;
  answeredCount: number;
  totalStatements: number;
  /** Whole percent of the level's statements that have a rating. */
  percentAnswered: number;
  isFirst: boolean;
  isLast: boolean;
}

/** What the card for the assessment's current position shows; the position is clamped so a shrunk framework still resumes. */
export function currentStep(lib: Library, a: Assessment): StepView {
  const plan = requirePlan(lib, a.level);
  const index = clampPosition(a.position, plan.length);
  const { area, subArea } = plan[index]!;
  const levelStatementIds = plan.flatMap((s) => s.subArea.statements.map((st) => st.id));
  const answeredCount = levelStatementIds.filter((id) => a.ratings[id] !== undefined).length;
  return {
    assessmentId: a.id,
    revision: a.revision,
    level: a.level,
    area: { id: area.id, title: area.title },
    subArea: { id: subArea.id, title: subArea.title, label: subAreaLabel(subArea) },
    statements: subArea.statements.map((s) => ({ id: s.id, text: s.text, rating: a.ratings[s.id] })),
    note: a.notes[subArea.id] ?? '',
    skipped: a.skipped.includes(subArea.id),
    index,
    number: index + 1,
    total: plan.length,
    answeredCount,
    totalStatements: levelStatementIds.length,
    percentAnswered: percent(answeredCount, levelStatementIds.length),
    isFirst: index === 0,
    isLast: index === plan.length - 1,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Starting, stepping, restarting
// ---------------------------------------------------------------------------------------------------------

/** A fresh assessment at the first card, revision 0; the id comes from the caller so the core stays deterministic. */
export function startAssessment(
  lib: Library,
  level: Level,
  opts: { id: string; now: string | Date },
): Assessment {
  requirePlan(lib, level);
  return newAssessment(level, opts);
}

/** An empty per-user document, for a coder who has never assessed themselves. */
export function newAssessmentDoc(userId: string): AssessmentDoc {
  return { schemaVersion: 1, userId, history: [] };
}

/**
 * Discards the assessment in progress (the glue has asked for confirmation) and starts another; also how to begin
 * one when none is in progress. The new id must differ from every earlier one, or old cards would pass as current.
 */
export function restartAssessment(
  doc: AssessmentDoc,
  level: Level,
  opts: { id: string; now: string | Date },
): AssessmentDoc {
  if (doc.current?.id === opts.id || doc.history.some((a) => a.id === opts.id))
    throw new Error(`assessment id "${opts.id}" has been used before; a restart needs a new id`);
  return {
    schemaVersion: 1,
    userId: doc.userId,
    current: newAssessment(level, opts),
    history: doc.history,
  };
}

/**
 * Applies one card submission: checks it is for the current card (assessment id, revision and sub-area, so a
 * stale card cannot overwrite newer answers), saves its ratings and note, then moves as the action says. Next and
 * Skip on the last card complete the assessment, like Finish. Every accepted step bumps the revision; a rejected
 * one returns a stable code and leaves the document as it was. Never mutates its inputs.
 */
export function applyStep(
  lib: Library,
  doc: AssessmentDoc,
  submission: StepSubmission,
  now: string | Date,
): ApplyStepResult {
  const a = doc.current;
  if (!a)
    return fail('NOT_STARTED', "You don't have a self-assessment in progress. Start a new one to carry on.");
  if (submission.assessmentId !== a.id)
    return fail(
      'STALE_CARD',
      'This card belongs to an assessment you have since started over, so it was not saved. Here is where you are now.',
    );
  const plan = requirePlan(lib, a.level);
  const index = clampPosition(a.position, plan.length);
  const { subArea } = plan[index]!;
  if (submission.revision !== a.revision || submission.subAreaId !== subArea.id)
    return fail(
      'STALE_CARD',
      'This card is out of date — your assessment has moved on, so it was not saved. Here is where you are now.',
    );

  const asked = new Set(subArea.statements.map((s) => s.id));
  const unknown = Object.keys(submission.ratings).filter((id) => !asked.has(id));
  if (unknown.length > 0)
    return fail(
      'UNKNOWN_STATEMENT',
      `Some answers on this card are not part of ${subAreaLabel(subArea)} at your level, so nothing was saved. Please try the card again.`,
    );

  const note = submission.note?.trim();
  if (note !== undefined && note.length > NOTE_MAX_LENGTH)
    return fail(
      'NOTE_TOO_LONG',
      `Your note is ${note.length} characters long; notes can be up to ${NOTE_MAX_LENGTH}. Please shorten it and try again.`,
    );

  const isLast = index === plan.length - 1;
  const { action } = submission;
  if (action === 'finish' && !isLast)
    return fail(
      'CANNOT_FINISH_YET',
      'You can finish once you reach the last card. Use "Save and finish later" to stop for now.',
    );

  const nowIso = toIso(now);
  const notes = { ...a.notes };
  if (note !== undefined) {
    if (note === '') delete notes[subArea.id];
    else notes[subArea.id] = note;
  }
  const skipped = a.skipped.filter((id) => id !== subArea.id);
  if (action === 'skip') skipped.push(subArea.id);

  const completes = isLast && (action === 'next' || action === 'skip' || action === 'finish');
  const position =
    action === 'back'
      ? Math.max(0, index - 1)
      : (action === 'next' || action === 'skip') && !isLast
        ? index + 1
        : index;

  const updated: Assessment = {
    ...a,
    revision: a.revision + 1,
    updatedAt: nowIso,
    position,
    ratings: { ...a.ratings, ...submission.ratings },
    notes,
    skipped,
  };

  if (completes) {
    const completed: CompletedAssessment = { ...updated, completedAt: nowIso };
    return {
      ok: true,
      outcome: 'completed',
      doc: { schemaVersion: 1, userId: doc.userId, history: [...doc.history, completed] },
    };
  }
  return {
    ok: true,
    outcome: position === index ? 'saved' : 'moved',
    doc: { schemaVersion: 1, userId: doc.userId, current: updated, history: doc.history },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/** Whole percent, 0 when there is nothing to count. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((100 * part) / whole);
}

function newAssessment(level: Level, opts: { id: string; now: string | Date }): Assessment {
  if (opts.id.length === 0) throw new Error('an assessment needs an id');
  const now = toIso(opts.now);
  return {
    id: opts.id,
    level,
    startedAt: now,
    updatedAt: now,
    revision: 0,
    position: 0,
    ratings: {},
    notes: {},
    skipped: [],
  };
}

function requirePlan(lib: Library, level: Level): PlanStep[] {
  const plan = assessmentPlan(lib, level);
  if (plan.length === 0) throw new Error(`the framework has no statements at level "${level}"`);
  return plan;
}

function clampPosition(position: number, length: number): number {
  return Math.min(Math.max(0, position), length - 1);
}

function toIso(now: string | Date): string {
  const date = new Date(now);
  if (Number.isNaN(date.getTime())) throw new RangeError(`"${String(now)}" is not a date`);
  return date.toISOString();
}

function fail(code: keyof typeof ASSESSMENT_ERRORS, message: string): ApplyStepResult {
  return { ok: false, code: ASSESSMENT_ERRORS[code], message };
}
