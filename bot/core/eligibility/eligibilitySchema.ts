import { z } from 'zod';
import { parseIsoDate } from '../calendar.js';

/*
 * Schemas for data/eligibility.json (the entry rules of CCAP, CCTP and the
 * ST0535 apprenticeship), for the answers a coder submits, and for the
 * per-user document those answers are stored in. Types are inferred here and
 * nowhere else.
 */

// ---------------------------------------------------------------- dates

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written "YYYY-MM-DD" (no time, no zone). */
const IsoDateSchema = z
  .string()
  .regex(ISO_DATE, 'Give the date as YYYY-MM-DD')
  .refine((s) => parseIsoDate(s) !== null, 'Not a real calendar date');

// ---------------------------------------------------------------- rules file

const id = z.string().regex(/^[a-z][a-zA-Z0-9-]*$/);
const years = z.number().int().min(1).max(50);

const ChoiceSchema = z.object({ value: z.string().regex(/^[a-z][a-z0-9-]*$/), label: z.string().min(1) });

const questionBase = {
  id,
  /** The question as the coder sees it, in plain English. */
  label: z.string().min(3),
  /** Programme ids whose criteria need this answer. */
  programmes: z.array(id).min(1),
  /** Whether "I don't know" (or leaving it blank) is accepted; if not, a submission without it is rejected. */
  allowUnknown: z.boolean(),
  help: z.string().min(1),
  /** Ask only when another yes/no question has this answer (the ACC date only for ACCs). */
  askWhen: z.object({ question: id, equals: z.enum(['yes', 'no']) }).optional(),
};

const QuestionSchema = z.discriminatedUnion('type', [
  z.object({
    ...questionBase,
    type: z.literal('date'),
    /** Completes "The date you gave for ___, 1 May 2030, is in the future." */
    dateNoun: z.string().min(1),
    /** When set, "none" is an accepted answer with this label ("I have not attended one"). */
    noneLabel: z.string().min(1).optional(),
  }),
  z.object({ ...questionBase, type: z.literal('yesNo') }),
  z.object({ ...questionBase, type: z.literal('choice'), choices: z.array(ChoiceSchema).min(2) }),
  z.object({ ...questionBase, type: z.literal('multiSelect'), choices: z.array(ChoiceSchema).min(1) }),
]);
export type Question = z.infer<typeof QuestionSchema>;
export type QuestionType = Question['type'];

const DurationKindSchema = z.enum(['heldForMoreThanYears', 'heldForAtLeastYears']);

/** Another reading of a duration rule: an older one (history) or a related current one (context). */
const RelatedRuleSchema = z.object({
  /** How the detail names it: "the 2012/13 rule", "the CCAP rule we apply". */
  label: z.string().min(1),
  rule: z.string().min(1),
  kind: DurationKindSchema,
  parameters: z.object({ years }),
  source: z.string().min(1),
  quote: z.string().min(1),
});
export type RelatedRule = z.infer<typeof RelatedRuleSchema>;

const criterionBase = {
  id,
  /** Short name of the requirement. */
  label: z.string().min(3),
  /** The rule in plain English, for "what is the rule?" answers. */
  rule: z.string().min(3),
  /** Names an old rule applied because nothing newer is held ("the 2012/13 rule"). */
  ruleLabel: z.string().min(1).optional(),
  /**
   * "entry" criteria decide the verdict; "afterProgramme" ones never do: what follows the programme,
   * or something a source lists without saying when it is needed (then `reading` says so).
   */
  phase: z.enum(['entry', 'afterProgramme']).default('entry'),
  /** Question ids whose answers this criterion reads. */
  questions: z.array(id),
  /** Source id from data/sources.json. */
  source: z.string().min(1),
  /**
   * The source's own words, verbatim ("…" where text is left out); test/core/quotes.test.ts
   * holds it to the source document.
   */
  quote: z.string().min(3),
  /**
   * The bot's reading, where the data makes a judgement the source does not state (that a
   * framework statement is needed before applying, which of two rules decides, that an item
   * with no stated timing does not count either way), and why. Shown apart from the quote,
   * labelled as ours.
   */
  reading: z.string().min(1).optional(),
};

const CriterionSchema = z.discriminatedUnion('kind', [
  z.object({
    ...criterionBase,
    /** More than N years: met from the day after the Nth anniversary. N years or more: met on it. */
    kind: DurationKindSchema,
    /** what: the status held, as a sentence names it ("ACC status"). */
    parameters: z.object({ years, what: z.string().min(1), dateQuestion: id, gateQuestion: id.optional() }),
    history: RelatedRuleSchema.optional(),
    context: RelatedRuleSchema.optional(),
  }),
  z.object({
    ...criterionBase,
    kind: z.literal('withinLastYears'),
    parameters: z.object({ years, dateQuestion: id, what: z.string().min(1) }),
  }),
  z.object({
    ...criterionBase,
    kind: z.literal('includesAll'),
    parameters: z.object({
      question: id,
      values: z.array(z.string().min(1)).min(1),
      what: z.string().min(1),
    }),
  }),
  z.object({
    ...criterionBase,
    kind: z.literal('yes'),
    parameters: z.object({ question: id, met: z.string().min(1), missing: z.string().min(1) }),
  }),
  z.object({
    ...criterionBase,
    kind: z.literal('apprenticeshipEnglishMaths'),
    parameters: z.object({
      subject: z.string().min(1),
      levelQuestion: id,
      ehcQuestion: id,
      bslQuestion: id.optional(),
      level: z.string().min(1),
      ehcMinimum: z.string().min(1),
    }),
  }),
  z.object({
    ...criterionBase,
    kind: z.literal('info'),
    parameters: z.object({ detail: z.string().min(1) }),
  }),
]);
export type Criterion = z.infer<typeof CriterionSchema>;

const ProgrammeSchema = z.object({
  id,
  name: z.string().min(1),
  /** How a sentence names it: "CCAP", "the apprenticeship". */
  shortName: z.string().min(1),
  /** Lower-case words and phrases that name the programme in free text. */
  aliases: z.array(z.string().regex(/^[a-z0-9][a-z0-9 ]*$/)).min(1),
  summary: z.string().min(1),
  /** A caveat shown with every result (CCTP: the rule on record is from 2012/13). */
  note: z.string().min(1).optional(),
  /** The summary when nothing is missing, where the default ("you meet the entry requirements") would mislead. */
  eligibleText: z.string().min(1).optional(),
  criteria: z.array(CriterionSchema).min(1),
});
export type Programme = z.infer<typeof ProgrammeSchema>;

/** Question ids a criterion's parameters point at, with the question type each must have. */
function parameterQuestions(c: Criterion): Array<[string, QuestionType]> {
  switch (c.kind) {
    case 'heldForMoreThanYears':
    case 'heldForAtLeastYears':
      return [
        [c.parameters.dateQuestion, 'date'],
        ...(c.parameters.gateQuestion
          ? [[c.parameters.gateQuestion, 'yesNo'] as [string, QuestionType]]
          : []),
      ];
    case 'withinLastYears':
      return [[c.parameters.dateQuestion, 'date']];
    case 'includesAll':
      return [[c.parameters.question, 'multiSelect']];
    case 'yes':
      return [[c.parameters.question, 'yesNo']];
    case 'apprenticeshipEnglishMaths':
      return [
        [c.parameters.levelQuestion, 'choice'],
        [c.parameters.ehcQuestion, 'yesNo'],
        ...(c.parameters.bslQuestion ? [[c.parameters.bslQuestion, 'yesNo'] as [string, QuestionType]] : []),
      ];
    case 'info':
      return [];
  }
}

export const EligibilityRulesSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** How dates are counted, in words (documentation for editors). */
    dateRule: z.string().min(1),
    questions: z.array(QuestionSchema).min(1),
    programmes: z.array(ProgrammeSchema).min(1),
  })
  .superRefine((rules, ctx) => {
    const problem = (path: (string | number)[], message: string) => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    const questions = new Map<string, Question>();
    rules.questions.forEach((q, i) => {
      if (questions.has(q.id)) problem(['questions', i, 'id'], `question id ${q.id} is repeated`);
      questions.set(q.id, q);
    });
    rules.questions.forEach((q, i) => {
      if (!q.askWhen) return;
      if (questions.get(q.askWhen.question)?.type !== 'yesNo')
        problem(['questions', i, 'askWhen'], `askWhen must name a yes/no question`);
    });
    const usedBy = new Map<string, Set<string>>();
    const programmeIds = new Set<string>();
    const aliasOwner = new Map<string, string>();
    rules.programmes.forEach((p, pi) => {
      if (programmeIds.has(p.id)) problem(['programmes', pi, 'id'], `programme id ${p.id} is repeated`);
      programmeIds.add(p.id);
      for (const a of p.aliases) {
        const owner = aliasOwner.get(a);
        if (owner && owner !== p.id)
          problem(['programmes', pi, 'aliases'], `alias "${a}" also names ${owner}`);
        aliasOwner.set(a, p.id);
      }
      const criterionIds = new Set<string>();
      p.criteria.forEach((c, ci) => {
        const path = ['programmes', pi, 'criteria', ci];
        if (criterionIds.has(c.id)) problem([...path, 'id'], `criterion id ${c.id} is repeated in ${p.id}`);
        criterionIds.add(c.id);
        if (c.kind === 'info' && c.questions.length > 0)
          problem([...path, 'questions'], 'info criteria ask nothing');
        for (const qid of c.questions) {
          if (!questions.has(qid)) problem([...path, 'questions'], `unknown question ${qid}`);
          const set = usedBy.get(qid) ?? new Set<string>();
          set.add(p.id);
          usedBy.set(qid, set);
        }
        for (const [qid, type] of parameterQuestions(c)) {
          if (!c.questions.includes(qid))
            problem([...path, 'parameters'], `${qid} is not in the criterion's questions`);
          const q = questions.get(qid);
          if (q && q.type !== type) problem([...path, 'parameters'], `${qid} must be a ${type} question`);
        }
        if (c.kind === 'includesAll') {
          const q = questions.get(c.parameters.question);
          const known = new Set(q && q.type === 'multiSelect' ? q.choices.map((ch) => ch.value) : []);
          for (const v of c.parameters.values)
            if (!known.has(v))
              problem([...path, 'parameters', 'values'], `${v} is not a choice of ${c.parameters.question}`);
        }
      });
    });
    rules.questions.forEach((q, i) => {
      const want = [...(usedBy.get(q.id) ?? [])].sort().join(',');
      const have = [...q.programmes].sort().join(',');
      if (want !== have)
        problem(['questions', i, 'programmes'], `${q.id} is used by [${want}] but lists [${have}]`);
    });
  });
export type EligibilityRules = z.infer<typeof EligibilityRulesSchema>;

// ---------------------------------------------------------------- answers

/** Blank card inputs ("" or null) mean "not answered". */
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

/**
 * A yes/no answer: a boolean, or "yes" / "no" / "unknown" (also "true" / "false",
 * which is what an Adaptive Card Input.Toggle sends by default). Normalised to
 * true / false / "unknown".
 */
const YesNoAnswerSchema = z
  .union([z.boolean(), z.enum(['yes', 'no', 'unknown', 'true', 'false'])])
  .transform((v): boolean | 'unknown' =>
    v === 'yes' || v === 'true' ? true : v === 'no' || v === 'false' ? false : v,
  );

/** A date answer: "YYYY-MM-DD", "unknown", or "none" where the question allows it (never attended). */
const DateAnswerSchema = z.union([z.literal('unknown'), z.literal('none'), IsoDateSchema]);

export const LevelAnswerSchema = z.enum(['yes', 'working-towards', 'no', 'unknown']);

export const SpecialtySchema = z.enum(['general-medicine', 'surgical', 'trauma-orthopaedic', 'obstetrics']);

/** A multi-select: an array, or the comma-separated string an Adaptive Card ChoiceSet sends. No repeats. */
const SpecialtiesAnswerSchema = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(SpecialtySchema).refine((a) => new Set(a).size === a.length, 'A specialty is listed twice'),
);

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional()).optional();

/**
 * Everything a coder can answer, across all programmes. Every field is optional:
 * an absent answer is "not known yet". Keys are the question ids of
 * data/eligibility.json (a test holds the two equal).
 */
export const EligibilityAnswersSchema = z.object({
  hasAcc: optional(YesNoAnswerSchema),
  accDate: optional(DateAnswerSchema),
  ccsrcDate: optional(DateAnswerSchema),
  specialties: optional(SpecialtiesAnswerSchema),
  codingStandardsExpertise: optional(YesNoAnswerSchema),
  wordPowerPoint: optional(YesNoAnswerSchema),
  codersToolbox: optional(YesNoAnswerSchema),
  reportWritingCourse: optional(YesNoAnswerSchema),
  codingExperience: optional(YesNoAnswerSchema),
  level2English: optional(LevelAnswerSchema),
  level2Maths: optional(LevelAnswerSchema),
  ehcPlan: optional(YesNoAnswerSchema),
  bslPrimaryLanguage: optional(YesNoAnswerSchema),
});
/** Answers after parsing: yes/no as booleans or "unknown". */
export type EligibilityAnswers = z.output<typeof EligibilityAnswersSchema>;
/** Answers as submitted (card or API). */
export type EligibilityAnswersInput = z.input<typeof EligibilityAnswersSchema>;
export type AnswerKey = keyof EligibilityAnswers;
export const ANSWER_KEYS = Object.keys(EligibilityAnswersSchema.shape) as AnswerKey[];

/** The stored per-user document: one small file per user. */
export const EligibilityDocSchema = z.object({
  /** The user's AAD object id. */
  userId: z.string().min(1),
  answers: EligibilityAnswersSchema,
  updatedAt: z.iso.datetime({ offset: true }),
  schemaVersion: z.literal(1),
});
export type EligibilityDoc = z.output<typeof EligibilityDocSchema>;
