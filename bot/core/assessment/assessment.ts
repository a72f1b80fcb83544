import { z } from 'zod';
import { LevelSchema, type Area, type AreaId, type Level, type SubArea } from '../frameworkSchema.js';
import { ensure } from '../ensure.js';
import { subAreaLabel, subAreasAtLevel, type Library } from '../library.js';
import { withoutKeys } from '../records.js';

// ---------------------------------------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------------------------------------

/**
 * Every answer a statement can get: the four-point scale for skills, and Yes / No / Not sure for the few
 * statements that are facts about a person's record (see FACT_QUESTIONS), which have no degrees.
 */
export const RatingSchema = z.enum([
  'notYet',
  'developing',
  'competent',
  'confident',
  'yes',
  'no',
  'notSure',
]);
export type Rating = z.infer<typeof RatingSchema>;

/** The four-point scale, lowest first, as the card lists it. */
export const RATINGS = [
  'notYet',
  'developing',
  'competent',
  'confident',
] as const satisfies readonly Rating[];
/** The answers to a factual statement, as the card lists them. */
const FACT_ANSWERS = ['yes', 'no', 'notSure'] as const satisfies readonly Rating[];

export const RATING_LABELS: Record<Rating, string> = {
  notYet: 'Not yet',
  developing: 'Developing',
  competent: 'Competent',
  confident: 'Confident',
  yes: 'Yes',
  no: 'No',
  notSure: 'Not sure',
};

/**
 * Statements that are facts, not skills: rating "held ACC for over three years" from Not yet to Confident
 * means nothing, so these are asked as a question and a Yes meets the statement, a No is a gap and Not sure
 * is neither (counted with the unanswered). The framework's own words stay the statement; the question is ours.
 */
export const FACT_QUESTIONS: Readonly<Record<string, string>> = {
  'CC2a.1': 'Have you held accredited clinical coder status (ACC) for over three years?',
  'CC2a.2': 'Have you attended a Clinical Coding Standards Refresher Course (CCSRC) in the last three years?',
  'CC2b.11': 'Do you complete the annual auditor eAssessment modules successfully?',
  'CC2b.12': 'Do you attend the mandatory biannual Auditor Forums?',
  'CC2b.13': 'Do you maintain an individual auditor e-Portfolio?',
};

type StatementKind = 'scale' | 'fact';

function statementKind(statementId: string): StatementKind {
  return Object.hasOwn(FACT_QUESTIONS, statementId) ? 'fact' : 'scale';
}

/** The answers a statement of this kind accepts, in the order the card lists them. */
export function answersFor(statementId: string): readonly Rating[] {
  return statementKind(statementId) === 'fact' ? FACT_ANSWERS : RATINGS;
}

/** Not yet, Developing and No are gaps (the coder does not meet the statement yet); unanswered and Not sure are not: we do not know. */
export function isGap(rating: Rating | undefined): boolean {
  return rating === 'notYet' || rating === 'developing' || rating === 'no';
}

/** Competent, Confident and Yes meet the statement; these are the coder's strengths. */
export function isMet(rating: Rating | undefined): boolean {
  return rating === 'competent' || rating === 'confident' || rating === 'yes';
}

/** Neither met nor a gap: not answered at all, or answered Not sure. */
export function isUnknown(rating: Rating | undefined): boolean {
  return !isGap(rating) && !isMet(rating);
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
  /** Which card of that sub-area, when it is asked over several (absent in documents written before). */
  part: z.number().int().min(0).optional(),
  /** Statement id → rating. A statement without an entry is unanswered. */
  ratings: z.record(z.string(), RatingSchema),
  /** Sub-area id → evidence note. */
  notes: z.record(z.string(), z.string().max(NOTE_MAX_LENGTH)),
  /** Cards whose last action was Skip: the sub-area id, with "#part" after the first card of a sub-area. */
  skipped: z.array(z.string()),
});
export type Assessment = z.infer<typeof AssessmentSchema>;

const CompletedAssessmentSchema = AssessmentSchema.extend({ completedAt: IsoDateTimeSchema });
export type CompletedAssessment = z.infer<typeof CompletedAssessmentSchema>;

const InProgressAssessmentSchema = AssessmentSchema.refine((a) => a.completedAt === undefined, {
  error: 'an assessment in progress has no completedAt',
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

/**
 * When a person's self-assessments were started, last stepped and completed, without their answers:
 * what reminders look at, read for everyone in a pass at a seventh of the cost of the whole document.
 */
export const AssessmentDatesSchema = z.object({
  current: AssessmentSchema.pick({ id: true, revision: true, startedAt: true, updatedAt: true }).optional(),
  history: z.array(CompletedAssessmentSchema.pick({ id: true, completedAt: true })),
});
export type AssessmentDates = z.infer<typeof AssessmentDatesSchema>;

/**
 * Completed assessments in the order they were completed (by completedAt; on a tie, in the order stored).
 * History is appended to as assessments finish, but a document restored, merged or written by an older
 * version may hold them in another order, so "latest" is never read from the position in the list.
 */
export function completedInOrder<A extends { completedAt: string }>(doc: { history: A[] } | undefined): A[] {
  return (doc?.history ?? [])
    .map((a, order) => ({ a, order, at: Date.parse(a.completedAt) }))
    .sort((x, y) => x.at - y.at || x.order - y.order)
    .map(({ a }) => a);
}

/**
 * The latest completed assessment: the one completed last, the later entry on a tie. It is the only one
 * that is current, and every view of "your results" (/results, /gaps, the digest, /team, /export, /mydata)
 * reads it from here, so none can show a different one.
 */
export function latestCompleted<A extends { completedAt: string } = CompletedAssessment>(
  doc: { history: A[] } | undefined,
): A | undefined {
  return completedInOrder(doc).at(-1);
}

/** The assessment completed just before the latest, what "changed since last time" compares with. */
export function previousCompleted(doc: AssessmentDoc | undefined): CompletedAssessment | undefined {
  return completedInOrder(doc).at(-2);
}

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
  /** Which card of the sub-area; 0 for the first (and for cards made before sub-areas were split). */
  part: z.number().int().min(0).default(0),
  action: StepActionSchema,
  ratings: z.record(z.string(), RatingSchema).default({}),
  /** Next or Finish even though statements on this card are unanswered, once the coder has been told. */
  leaveUnanswered: z.boolean().default(false),
  /** Undefined leaves the stored note as it is; an empty (or blank) note removes it. */
  note: z.string().optional(),
});
/** As the glue builds it: part, ratings and leaveUnanswered may be left out. */
export type StepSubmission = z.input<typeof StepSubmissionSchema>;

const ASSESSMENT_ERRORS = {
  NOT_STARTED: 'ASSESSMENT.NOT_STARTED',
  STALE_CARD: 'ASSESSMENT.STALE_CARD',
  UNKNOWN_STATEMENT: 'ASSESSMENT.UNKNOWN_STATEMENT',
  WRONG_ANSWER: 'ASSESSMENT.WRONG_ANSWER',
  NOTE_TOO_LONG: 'ASSESSMENT.NOTE_TOO_LONG',
  CANNOT_FINISH_YET: 'ASSESSMENT.CANNOT_FINISH_YET',
} as const;
type AssessmentErrorCode = (typeof ASSESSMENT_ERRORS)[keyof typeof ASSESSMENT_ERRORS];

/** 'unanswered': answers saved, but the card stays so that the coder sees what is still open. */
type StepOutcome = 'moved' | 'saved' | 'completed' | 'unanswered';

export type ApplyStepResult =
  | { ok: true; doc: AssessmentDoc; outcome: StepOutcome; unanswered: string[] }
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

/** At most this many statements on one card, so a card fits a laptop screen; longer sub-areas are split. */
export const MAX_STATEMENTS_PER_CARD = 4;

/** One card: a sub-area, or a part of one. `subArea.statements` holds only the level's statements. */
export interface PlanCard extends PlanStep {
  subAreaIndex: number;
  statements: SubArea['statements'];
  /** 0-based part of the sub-area, and how many parts it has. */
  part: number;
  parts: number;
}

/**
 * The cards of an assessment at a level: each sub-area in framework order, split into as few cards as keep
 * MAX_STATEMENTS_PER_CARD, evenly (13 statements are 4 + 3 + 3 + 3, never 4 + 4 + 4 + 1).
 */
export function cardPlan(lib: Library, level: Level): PlanCard[] {
  return requirePlan(lib, level).flatMap(({ area, subArea }, subAreaIndex) => {
    const n = subArea.statements.length;
    const parts = Math.ceil(n / MAX_STATEMENTS_PER_CARD);
    const cards: PlanCard[] = [];
    let from = 0;
    for (let part = 0; part < parts; part += 1) {
      const size = Math.floor(n / parts) + (part < n % parts ? 1 : 0);
      cards.push({
        area,
        subArea,
        subAreaIndex,
        statements: subArea.statements.slice(from, from + size),
        part,
        parts,
      });
      from += size;
    }
    return cards;
  });
}

export interface StepView {
  assessmentId: string;
  revision: number;
  level: Level;
  area: { id: AreaId; title: string };
  subArea: { id: string; title: string; label: string };
  /** The statements on this card, each with how it is asked. */
  statements: {
    id: string;
    text: string;
    kind: StatementKind;
    /** What the card asks: the statement itself, or for a fact, our question about it. */
    question: string;
    rating: Rating | undefined;
  }[];
  /** '' when there is none. */
  note: string;
  /** Whether the coder skipped this card last time. */
  skipped: boolean;
  /** 0-based part of the sub-area on this card, and how many parts the sub-area has. */
  part: number;
  parts: number;
  /** 0-based position of this card; `number` is the same 1-based ("card 3 of 34"). */
  index: number;
  number: number;
  total: number;
  answeredCount: number;
  totalStatements: number;
  /** Whole percent of the level's statements that have an answer. */
  percentAnswered: number;
  isFirst: boolean;
  isLast: boolean;
  /** Whether this is the sub-area's last card (where its evidence note is asked). */
  isLastOfSubArea: boolean;
}

/** What the card for the assessment's current position shows; the position is clamped so a shrunk framework still resumes. */
export function currentStep(lib: Library, a: Assessment): StepView {
  const cards = cardPlan(lib, a.level);
  const index = cardIndexOf(cards, a);
  const card = ensure(cards[index], 'a card at the clamped index of the plan');
  const { area, subArea } = card;
  const levelStatementIds = cards.flatMap((c) => c.statements.map((st) => st.id));
  const answeredCount = levelStatementIds.filter((id) => a.ratings[id] !== undefined).length;
  return {
    assessmentId: a.id,
    revision: a.revision,
    level: a.level,
    area: { id: area.id, title: area.title },
    subArea: { id: subArea.id, title: subArea.title, label: subAreaLabel(subArea) },
    statements: card.statements.map((s) => ({
      id: s.id,
      text: s.text,
      kind: statementKind(s.id),
      question: FACT_QUESTIONS[s.id] ?? s.text,
      rating: a.ratings[s.id],
    })),
    note: a.notes[subArea.id] ?? '',
    skipped: a.skipped.includes(cardKey(card)),
    part: card.part,
    parts: card.parts,
    index,
    number: index + 1,
    total: cards.length,
    answeredCount,
    totalStatements: levelStatementIds.length,
    percentAnswered: percent(answeredCount, levelStatementIds.length),
    isFirst: index === 0,
    isLast: index === cards.length - 1,
    isLastOfSubArea: card.part === card.parts - 1,
  };
}

/** The card an assessment is on: its sub-area (clamped) and part (clamped to that sub-area's parts). */
function cardIndexOf(cards: PlanCard[], a: Pick<Assessment, 'position' | 'part'>): number {
  const subAreas = ensure(cards.at(-1), 'a plan with at least one card').subAreaIndex + 1;
  const position = clampPosition(a.position, subAreas);
  const first = cards.findIndex((c) => c.subAreaIndex === position);
  const parts = ensure(cards[first], `a card for sub-area ${position} of the plan`).parts;
  return first + Math.min(a.part ?? 0, parts - 1);
}

function cardKey(card: PlanCard): string {
  return card.part === 0 ? card.subArea.id : `${card.subArea.id}#${card.part}`;
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
 * Applies one card submission: checks it is for the current card (assessment id, revision, sub-area and part, so a
 * stale card cannot overwrite newer answers), saves its answers and note, then moves as the action says. Next and
 * Skip on the last card complete the assessment, like Finish. Next and Finish with statements on the card still
 * unanswered save what was given and stay ('unanswered', naming them), unless the coder chose to leave them for
 * later. Every accepted step bumps the revision; a rejected one returns a stable code and leaves the document as
 * it was. Never mutates its inputs.
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
  const cards = cardPlan(lib, a.level);
  const index = cardIndexOf(cards, a);
  const card = ensure(cards[index], 'a card at the clamped index of the plan');
  const { subArea } = card;
  if (
    submission.revision !== a.revision ||
    submission.subAreaId !== subArea.id ||
    (submission.part ?? 0) !== card.part
  )
    return fail(
      'STALE_CARD',
      'This card is out of date — your assessment has moved on, so it was not saved. Here is where you are now.',
    );

  const asked = new Set(card.statements.map((s) => s.id));
  const given = submission.ratings ?? {};
  const unknown = Object.keys(given).filter((id) => !asked.has(id));
  if (unknown.length > 0)
    return fail(
      'UNKNOWN_STATEMENT',
      `Some answers on this card are not part of ${subAreaLabel(subArea)} at your level, so nothing was saved. Please try the card again.`,
    );
  const wrong = Object.entries(given).filter(([id, r]) => !answersFor(id).includes(r));
  if (wrong.length > 0)
    return fail(
      'WRONG_ANSWER',
      'Some answers on this card are not ones it offers (a question asks Yes, No or Not sure; a skill is rated Not yet to Confident), so nothing was saved. Please try the card again.',
    );

  const note = submission.note?.trim();
  if (note !== undefined && note.length > NOTE_MAX_LENGTH)
    return fail(
      'NOTE_TOO_LONG',
      `Your note is ${note.length} characters long; notes can be up to ${NOTE_MAX_LENGTH}. Please shorten it and try again.`,
    );

  const isLast = index === cards.length - 1;
  const { action } = submission;
  if (action === 'finish' && !isLast)
    return fail(
      'CANNOT_FINISH_YET',
      'You can finish once you reach the last card. Use "Save and finish later" to stop for now.',
    );

  const nowIso = toIso(now);
  const notes =
    note === undefined
      ? { ...a.notes }
      : note === ''
        ? withoutKeys(a.notes, [subArea.id])
        : { ...a.notes, [subArea.id]: note };
  const key = cardKey(card);
  const skipped = a.skipped.filter((id) => id !== key);
  if (action === 'skip') skipped.push(key);
  const ratings = { ...a.ratings, ...given };
  const unanswered = card.statements.map((s) => s.id).filter((id) => ratings[id] === undefined);
  const holds =
    (action === 'next' || action === 'finish') && unanswered.length > 0 && !submission.leaveUnanswered;

  const completes = !holds && isLast && (action === 'next' || action === 'skip' || action === 'finish');
  const target = holds
    ? index
    : action === 'back'
      ? Math.max(0, index - 1)
      : (action === 'next' || action === 'skip') && !isLast
        ? index + 1
        : index;

  const targetCard = ensure(cards[target], 'a card at the target index of the plan');
  const updated: Assessment = {
    ...a,
    revision: a.revision + 1,
    updatedAt: nowIso,
    position: targetCard.subAreaIndex,
    ...(targetCard.part > 0 || a.part !== undefined ? { part: targetCard.part } : {}),
    ratings,
    notes,
    skipped,
  };

  if (completes) {
    const completed: CompletedAssessment = { ...updated, completedAt: nowIso };
    return {
      ok: true,
      outcome: 'completed',
      unanswered: [],
      doc: { schemaVersion: 1, userId: doc.userId, history: [...doc.history, completed] },
    };
  }
  return {
    ok: true,
    outcome: holds ? 'unanswered' : target === index ? 'saved' : 'moved',
    unanswered: holds ? unanswered : [],
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

// ---------------------------------------------------------------------------------------------------------
// Storage, as the assessment needs it (implemented in bot/storage/assessmentRepo.ts)
// ---------------------------------------------------------------------------------------------------------

/** Stored self-assessments, one small document per user. */
export interface AssessmentRepo {
  get(userKey: string): Promise<AssessmentDoc | undefined>;
  /** Only the dates (AssessmentDatesSchema), for reading many people at once. */
  dates(userKey: string): Promise<AssessmentDates | undefined>;
  /** Read-modify-write of the user's document (a new one if they have none); undefined from `change` leaves it. */
  update(
    userKey: string,
    change: (doc: AssessmentDoc) => AssessmentDoc | undefined,
  ): Promise<AssessmentDoc | undefined>;
  remove(userKey: string): Promise<void>;
}

/**
 * Completed assessments older than the retention period dropped (RETENTION_DAYS); undefined when none is,
 * so nothing is written. The assessment in progress is always kept.
 */
function dropCompletedBefore(doc: AssessmentDoc, cutoff: Date): AssessmentDoc | undefined {
  const kept = doc.history.filter((a) => Date.parse(a.completedAt) >= cutoff.getTime());
  return kept.length === doc.history.length ? undefined : { ...doc, history: kept };
}

/** Applies the retention period to one user's assessments; returns how many were dropped. */
export async function applyAssessmentRetention(
  repo: AssessmentRepo,
  userKey: string,
  cutoff: Date,
): Promise<number> {
  let dropped = 0;
  await repo.update(userKey, (doc) => {
    const kept = dropCompletedBefore(doc, cutoff);
    dropped = kept ? doc.history.length - kept.history.length : 0;
    return kept;
  });
  return dropped;
}
