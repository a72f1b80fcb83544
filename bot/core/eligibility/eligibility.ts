import { addDays, addYears, formatLongDate, parseIsoDate } from '../calendar.js';
import {
  EligibilityAnswersSchema,
  type Criterion,
  type EligibilityAnswers,
  type EligibilityRules,
  type Programme,
  type Question,
  type RelatedRule,
} from './eligibilitySchema.js';

/*
 * The eligibility engine: given the rules (data/eligibility.json), a programme,
 * a coder's answers and today's date, say what is met, what is missing and what
 * we still need to ask. Pure: no I/O, no clock; "today" is always an argument.
 *
 * Dates are calendar dates written "YYYY-MM-DD", with the arithmetic of the one
 * calendar (core/calendar.ts): adding N years keeps the day and month, except
 * that 29 February becomes 28 February in a year without one, so ACC gained on
 * 2020-02-29 meets "over three years" on 2023-03-01.
 */

// ---------------------------------------------------------------- results

/** A domain error with a stable code; the glue maps codes to words. */
export class EligibilityError extends Error {
  constructor(
    readonly code: 'ELIGIBILITY.UNKNOWN_PROGRAMME' | 'ELIGIBILITY.BAD_DATE',
    message: string,
  ) {
    super(message);
    this.name = 'EligibilityError';
  }
}

export type CriterionStatus = 'met' | 'missing' | 'unknown' | 'info';
export type Verdict = 'eligible' | 'not-yet' | 'unknown';
interface SourceRef {
  id: string;
  quote: string;
}
export interface RelatedRuleResult {
  label: string;
  source: SourceRef;
  quote: string;
  detail: string;
  /** When the related rule was (or would be) met, if a date is known. */
  metOn?: string;
}
export interface CriterionResult {
  id: string;
  label: string;
  phase: 'entry' | 'afterProgramme';
  status: CriterionStatus;
  /** Plain English, dates written "14 March 2027". */
  detail: string;
  /** The day the requirement was met or will be met (duration rules), or the course date (refresher). */
  metOn?: string;
  /** The last day a dated requirement still counts (refresher course: three years on). */
  validUntil?: string;
  source: SourceRef;
  /** The bot's reading behind this criterion, where the source does not state it (shown as ours). */
  reading?: string;
  /** The same requirement under an older rule (CCAP: the 2012/13 two-year rule). */
  history?: RelatedRuleResult;
  /** A related rule shown for comparison (CCTP: the CCAP rule we apply). */
  context?: RelatedRuleResult;
  /** Questions whose missing answers leave this criterion unknown. */
  questionsNeeded: string[];
}
export interface EligibilityResult {
  programme: { id: string; name: string; shortName: string };
  verdict: Verdict;
  /** One or two sentences for the top of the card. */
  summary: string;
  /** A caveat on the rules themselves (CCTP: 2012/13 is the newest rule held). */
  note?: string;
  /** When only time stands in the way: the first day every dated entry rule is met. */
  eligibleFrom?: string;
  criteria: CriterionResult[];
  /** Question ids still to answer, in the order of the rules file. */
  questionsNeeded: string[];
}

// ---------------------------------------------------------------- lookups

/** The programme with this id, or an EligibilityError: an unknown id is a bug in the caller, not user input. */
function programmeById(rules: EligibilityRules, programmeId: string): Programme {
  const p = rules.programmes.find((x) => x.id === programmeId);
  if (!p)
    throw new EligibilityError('ELIGIBILITY.UNKNOWN_PROGRAMME', `No programme with id "${programmeId}"`);
  return p;
}

/** The questions a programme asks, in the order of the rules file (which is the order to ask them). */
export function questionsFor(rules: EligibilityRules, programmeId: string): Question[] {
  return rules.questions.filter((q) => q.programmes.includes(programmeId));
}

function normaliseText(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

/**
 * Finds the programme a free-text message names ("ccap", "the auditor programme",
 * "trainer", "ST0535", "level 3 apprenticeship"), by whole-word alias. When
 * several aliases match, the longest wins (so "auditor programme" beats
 * "trainer" in "is the auditor programme open to trainers?"), then the earliest.
 */
export function findProgramme(rules: EligibilityRules, text: string): Programme | undefined {
  const hay = normaliseText(text);
  let best: { p: Programme; length: number; at: number } | undefined;
  for (const p of rules.programmes) {
    for (const alias of [p.id, ...p.aliases]) {
      const at = hay.indexOf(normaliseText(alias));
      if (at < 0) continue;
      if (!best || alias.length > best.length || (alias.length === best.length && at < best.at))
        best = { p, length: alias.length, at };
    }
  }
  return best?.p;
}

// ---------------------------------------------------------------- answers

type YesNo = boolean | 'unknown';
const answerOf = (answers: EligibilityAnswers, qid: string): unknown =>
  (answers as Record<string, unknown>)[qid];
function yesNo(answers: EligibilityAnswers, qid: string | undefined): YesNo {
  if (!qid) return 'unknown';
  const v = answerOf(answers, qid);
  return typeof v === 'boolean' ? v : 'unknown';
}
/** A date answer: an ISO date, "none", or "unknown" (also for absent). */
function dateAnswer(answers: EligibilityAnswers, qid: string): string {
  const v = answerOf(answers, qid);
  return typeof v === 'string' && (v === 'none' || parseIsoDate(v)) ? v : 'unknown';
}
function stringAnswer(answers: EligibilityAnswers, qid: string): string {
  const v = answerOf(answers, qid);
  return typeof v === 'string' && v !== '' ? v : 'unknown';
}

// ---------------------------------------------------------------- words

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const ORDINALS = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];
const yearsWord = (n: number) => `${NUMBER_WORDS[n] ?? String(n)} year${n === 1 ? '' : 's'}`;
const anniversaryWord = (n: number) => `${ORDINALS[n] ?? `${n}th`} anniversary`;
/** "over three years" / "two years or more". */
function durationPhrase(kind: 'heldForMoreThanYears' | 'heldForAtLeastYears', years: number): string {
  return kind === 'heldForMoreThanYears' ? `over ${yearsWord(years)}` : `${yearsWord(years)} or more`;
}
function joinAnd(items: string[], word = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${word} ${items.slice(-1).join('')}`;
}
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}
function upperFirst(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
function leapNote(start: string, anniversary: string): string {
  return start.slice(5) === '02-29' && anniversary.slice(5) === '02-28'
    ? ' (You gave 29 February: in a year without one, the anniversary counts as 28 February.)'
    : '';
}

// ---------------------------------------------------------------- criteria

interface Evaluated {
  status: CriterionStatus;
  detail: string;
  metOn?: string;
  validUntil?: string;
  history?: RelatedRuleResult;
  context?: RelatedRuleResult;
  questionsNeeded: string[];
}

/** When a duration rule is met: the day after the Nth anniversary for "more than", the anniversary for "or more". */
function durationMetOn(
  kind: 'heldForMoreThanYears' | 'heldForAtLeastYears',
  start: string,
  years: number,
): string {
  const anniversary = addYears(start, years);
  return kind === 'heldForMoreThanYears' ? addDays(anniversary, 1) : anniversary;
}

function relatedRule(
  rule: RelatedRule,
  start: string | undefined,
  today: string,
  history: boolean,
): RelatedRuleResult {
  const phrase = durationPhrase(rule.kind, rule.parameters.years);
  const base = { label: rule.label, source: { id: rule.source, quote: rule.quote }, quote: rule.quote };
  if (!start) {
    return { ...base, detail: rule.rule };
  }
  const metOn = durationMetOn(rule.kind, start, rule.parameters.years);
  const past = metOn <= today;
  const when = past
    ? `you would have met this on ${formatLongDate(metOn)}`
    : `you would meet this on ${formatLongDate(metOn)}`;
  const detail = history
    ? `Under ${rule.label} (${phrase}) ${when}. We show that rule as history.`
    : `For comparison, under ${rule.label} (${phrase}) ${past ? `you met this on ${formatLongDate(metOn)}` : `you would meet this on ${formatLongDate(metOn)}`}.`;
  return { ...base, detail, metOn };
}

function evaluateDuration(
  c: Extract<Criterion, { kind: 'heldForMoreThanYears' | 'heldForAtLeastYears' }>,
  answers: EligibilityAnswers,
  today: string,
): Evaluated {
  const { years, what, dateQuestion, gateQuestion } = c.parameters;
  const phrase = durationPhrase(c.kind, years);
  const gate = gateQuestion ? yesNo(answers, gateQuestion) : true;
  const date = dateAnswer(answers, dateQuestion);
  const start = gate !== false && parseIsoDate(date) ? date : undefined;
  const prefix = (s: string) => (c.ruleLabel ? `Under ${c.ruleLabel} (${phrase}), ${lowerFirst(s)}` : s);
  const related = {
    ...(c.history ? { history: relatedRule(c.history, start, today, true) } : {}),
    ...(c.context ? { context: relatedRule(c.context, start, today, false) } : {}),
  };
  if (gate === false || date === 'none') {
    return {
      status: 'missing',
      detail: prefix(
        `You need Accredited Clinical Coder (ACC) status, gained by passing the National Clinical Coding Qualification (UK), and to have held it for ${phrase}.`,
      ),
      questionsNeeded: [],
      ...related,
    };
  }
  if (!start) {
    const needed = gate === 'unknown' && gateQuestion ? [gateQuestion, dateQuestion] : [dateQuestion];
    return {
      status: 'unknown',
      detail:
        gate === 'unknown'
          ? `We need to know whether you have ${what} and the date you gained it, to check you have held it for ${phrase}.`
          : `We need the date you gained ${what}, to check you have held it for ${phrase}.`,
      questionsNeeded: needed,
      ...related,
    };
  }
  const gained = `You gained ${what} on ${formatLongDate(start)}`;
  if (start > today) {
    return {
      status: 'missing',
      detail: `The date you gave for gaining ${what}, ${formatLongDate(start)}, is after today.`,
      questionsNeeded: [],
      ...related,
    };
  }
  const anniversary = addYears(start, years);
  const metOn = durationMetOn(c.kind, start, years);
  const leap = leapNote(start, anniversary);
  if (metOn <= today) {
    return {
      status: 'met',
      detail: prefix(
        `${gained} and have held it for ${phrase}: you ${metOn === today ? 'meet this from today' : `met this on ${formatLongDate(metOn)}`}.${leap}`,
      ),
      metOn,
      questionsNeeded: [],
      ...related,
    };
  }
  const detail =
    c.kind === 'heldForMoreThanYears' && anniversary === today
      ? `${gained}. Today, ${formatLongDate(today)}, is exactly ${yearsWord(years)}, and the rule is ${phrase}, so you will meet it tomorrow, ${formatLongDate(metOn)}.${leap}`
      : `${gained}. The rule is ${phrase}, so you will meet it on ${formatLongDate(metOn)}, ${
          c.kind === 'heldForMoreThanYears'
            ? `the day after the ${anniversaryWord(years)}`
            : `the ${anniversaryWord(years)}`
        }.${leap}`;
  return { status: 'missing', detail: prefix(detail), metOn, questionsNeeded: [], ...related };
}

function evaluateWithin(
  c: Extract<Criterion, { kind: 'withinLastYears' }>,
  answers: EligibilityAnswers,
  today: string,
): Evaluated {
  const { years, what, dateQuestion } = c.parameters;
  const date = dateAnswer(answers, dateQuestion);
  if (date === 'unknown') {
    return {
      status: 'unknown',
      detail: `We need the date of your most recent ${what}.`,
      questionsNeeded: [dateQuestion],
    };
  }
  if (date === 'none') {
    return {
      status: 'missing',
      detail: `You need to have attended a ${what} within the last ${yearsWord(years)}.`,
      questionsNeeded: [],
    };
  }
  if (date > today) {
    return {
      status: 'missing',
      detail: `The date you gave, ${formatLongDate(date)}, is after today: a course counts once you have attended it.`,
      questionsNeeded: [],
    };
  }
  const validUntil = addYears(date, years);
  const leap = leapNote(date, validUntil);
  if (today <= validUntil) {
    const until =
      validUntil === today
        ? `Today, ${formatLongDate(today)}, is the last day it counts as within the last ${yearsWord(years)}; from tomorrow you will need another.`
        : `It counts as within the last ${yearsWord(years)} up to and including ${formatLongDate(validUntil)}.`;
    return {
      status: 'met',
      detail: `You attended a ${what} on ${formatLongDate(date)}. ${until}${leap}`,
      metOn: date,
      validUntil,
      questionsNeeded: [],
    };
  }
  return {
    status: 'missing',
    detail: `Your last ${what}, on ${formatLongDate(date)}, is more than ${yearsWord(years)} ago: it counted up to and including ${formatLongDate(validUntil)} and lapsed on ${formatLongDate(addDays(validUntil, 1))}. You need to attend another.${leap}`,
    validUntil,
    questionsNeeded: [],
  };
}

function choiceLabels(rules: EligibilityRules, qid: string): Map<string, string> {
  const q = rules.questions.find((x) => x.id === qid);
  return new Map(
    q && (q.type === 'multiSelect' || q.type === 'choice') ? q.choices.map((ch) => [ch.value, ch.label]) : [],
  );
}

function evaluateIncludesAll(
  rules: EligibilityRules,
  c: Extract<Criterion, { kind: 'includesAll' }>,
  answers: EligibilityAnswers,
): Evaluated {
  const { question, values, what } = c.parameters;
  const labels = choiceLabels(rules, question);
  const name = (v: string) => lowerFirst(labels.get(v) ?? v);
  const raw = answerOf(answers, question);
  if (!Array.isArray(raw)) {
    return {
      status: 'unknown',
      detail: `We need to know in which of these you have experience ${what}: ${joinAnd(values.map(name), 'and')}.`,
      questionsNeeded: [question],
    };
  }
  const have = new Set(raw.map(String));
  const lacking = values.filter((v) => !have.has(v));
  if (lacking.length === 0) {
    return {
      status: 'met',
      detail: `You have experience ${what} ${joinAnd(values.map(name))}.`,
      questionsNeeded: [],
    };
  }
  return {
    status: 'missing',
    detail: `You still need experience ${what} ${joinAnd(lacking.map(name))}. The minimum is all of: ${joinAnd(values.map(name))}.`,
    questionsNeeded: [],
  };
}

function evaluateYes(
  rules: EligibilityRules,
  c: Extract<Criterion, { kind: 'yes' }>,
  answers: EligibilityAnswers,
): Evaluated {
  const { question, met, missing } = c.parameters;
  const prefix = (s: string) => (c.ruleLabel ? `Under ${c.ruleLabel}: ${lowerFirst(s)}` : s);
  const v = yesNo(answers, question);
  if (v === true) return { status: 'met', detail: prefix(met), questionsNeeded: [] };
  if (v === false) return { status: 'missing', detail: prefix(missing), questionsNeeded: [] };
  const label = rules.questions.find((q) => q.id === question)?.label ?? question;
  return { status: 'unknown', detail: `We need your answer to: ${label}`, questionsNeeded: [question] };
}

function evaluateEnglishMaths(
  c: Extract<Criterion, { kind: 'apprenticeshipEnglishMaths' }>,
  answers: EligibilityAnswers,
): Evaluated {
  const { subject, levelQuestion, ehcQuestion, bslQuestion, level, ehcMinimum } = c.parameters;
  const have = stringAnswer(answers, levelQuestion);
  const ehc = yesNo(answers, ehcQuestion);
  const bsl = bslQuestion ? yesNo(answers, bslQuestion) : false;
  if (have === 'yes') return { status: 'met', detail: `You have ${level} ${subject}.`, questionsNeeded: [] };
  if (have !== 'no' && have !== 'working-towards') {
    return {
      status: 'unknown',
      detail: `We need to know whether you have ${level} ${subject}, or are working towards it.`,
      questionsNeeded: [levelQuestion],
    };
  }
  const parts = [
    have === 'working-towards'
      ? `You are working towards ${level} ${subject}.`
      : `You do not have ${level} ${subject} yet.`,
  ];
  if (ehc === true) {
    parts.push(
      `As you have an education, health and care (EHC) plan or a legacy statement, your minimum is ${ehcMinimum} ${subject} rather than ${level}. That does not stop you starting: you must achieve at least ${ehcMinimum} ${subject} before the end-point assessment.`,
    );
  } else {
    parts.push(
      `That does not stop you starting the apprenticeship, but you must achieve ${level} ${subject} before the end-point assessment.`,
    );
    if (ehc === 'unknown')
      parts.push(
        `If you have an education, health and care (EHC) plan or a legacy statement, the minimum is ${ehcMinimum}.`,
      );
  }
  if (bslQuestion) {
    if (bsl === true)
      parts.push(
        `As British Sign Language is your primary language, a BSL qualification can count instead of an ${subject} qualification.`,
      );
    else if (bsl === 'unknown')
      parts.push(
        `If British Sign Language is your primary language, a BSL qualification can count instead of an ${subject} qualification.`,
      );
  }
  parts.push(`Your employer may still ask for it as a selection criterion.`);
  return { status: 'info', detail: parts.join(' '), questionsNeeded: [] };
}

function evaluate(
  rules: EligibilityRules,
  c: Criterion,
  answers: EligibilityAnswers,
  today: string,
): Evaluated {
  switch (c.kind) {
    case 'heldForMoreThanYears':
    case 'heldForAtLeastYears':
      return evaluateDuration(c, answers, today);
    case 'withinLastYears':
      return evaluateWithin(c, answers, today);
    case 'includesAll':
      return evaluateIncludesAll(rules, c, answers);
    case 'yes':
      return evaluateYes(rules, c, answers);
    case 'apprenticeshipEnglishMaths':
      return evaluateEnglishMaths(c, answers);
    case 'info':
      return { status: 'info', detail: c.parameters.detail, questionsNeeded: [] };
  }
}

function assertToday(today: string): void {
  if (!parseIsoDate(today))
    throw new EligibilityError('ELIGIBILITY.BAD_DATE', `today must be YYYY-MM-DD, got ${today}`);
}

/**
 * Checks a coder's answers against one programme's entry rules on a given day.
 * Verdict: "not-yet" if any entry criterion is missing (even with others
 * unknown, the answer is already no); otherwise "unknown" if any is unknown;
 * otherwise "eligible". "afterProgramme" and "info" criteria never block.
 * Answers are expected to have passed validateAnswers; missing ones read as unknown.
 */
export function checkEligibility(
  rules: EligibilityRules,
  programmeId: string,
  answers: EligibilityAnswers,
  today: string,
): EligibilityResult {
  assertToday(today);
  const programme = programmeById(rules, programmeId);
  const criteria: CriterionResult[] = programme.criteria.map((c) => {
    const e = evaluate(rules, c, answers, today);
    return {
      id: c.id,
      label: c.label,
      phase: c.phase,
      status: e.status,
      detail: e.detail,
      ...(e.metOn ? { metOn: e.metOn } : {}),
      ...(e.validUntil ? { validUntil: e.validUntil } : {}),
      source: { id: c.source, quote: c.quote },
      ...(c.reading ? { reading: c.reading } : {}),
      ...(e.history ? { history: e.history } : {}),
      ...(e.context ? { context: e.context } : {}),
      questionsNeeded: e.questionsNeeded,
    };
  });
  const entry = criteria.filter((c) => c.phase === 'entry');
  const missing = entry.filter((c) => c.status === 'missing');
  const unknown = entry.filter((c) => c.status === 'unknown');
  const verdict: Verdict = missing.length ? 'not-yet' : unknown.length ? 'unknown' : 'eligible';
  const neededSet = new Set(criteria.flatMap((c) => c.questionsNeeded));
  const questionsNeeded = rules.questions.map((q) => q.id).filter((id) => neededSet.has(id));

  // Only time stands in the way when every missing criterion is a duration still to come.
  const durationIds = new Set(
    programme.criteria
      .filter((c) => c.kind === 'heldForMoreThanYears' || c.kind === 'heldForAtLeastYears')
      .map((c) => c.id),
  );
  const onlyTime =
    verdict === 'not-yet' &&
    unknown.length === 0 &&
    missing.every((c) => durationIds.has(c.id) && c.metOn !== undefined && c.metOn > today);
  const eligibleFrom = onlyTime
    ? missing
        .flatMap((c) => (c.metOn === undefined ? [] : [c.metOn]))
        .sort()
        .at(-1)
    : undefined;

  const parts: string[] = [];
  const labels = programme.criteria.filter((c) => c.phase === 'entry').map((c) => c.ruleLabel);
  const oldRule = labels.length > 0 && labels.every((l) => l && l === labels[0]) ? labels[0] : undefined;
  if (oldRule) parts.push(`${upperFirst(oldRule)} is the newest rule held for ${programme.shortName}.`);
  if (verdict === 'eligible') {
    parts.push(
      programme.eligibleText ?? `On your answers you meet the entry requirements for the ${programme.name}.`,
    );
    if (
      entry.some(
        (c) =>
          c.status === 'info' &&
          c.questionsNeeded.length === 0 &&
          programme.criteria.find((x) => x.id === c.id)?.kind === 'apprenticeshipEnglishMaths',
      )
    )
      parts.push(
        'Before the end-point assessment you must reach the English and maths minimum: see the notes below.',
      );
  } else if (verdict === 'not-yet') {
    parts.push(
      `Not yet: you do not meet ${missing.length === 1 ? 'this requirement' : 'these requirements'} for ${programme.shortName}: ${missing
        .map((c) => lowerFirst(c.label))
        .join('; ')}.`,
    );
    if (eligibleFrom) {
      parts.push(`On your other answers you could apply from ${formatLongDate(eligibleFrom)}.`);
      for (const c of entry)
        if (c.validUntil && c.status === 'met' && c.validUntil < eligibleFrom)
          parts.push(
            `By then ${lowerFirst(c.label)} will have lapsed (it counts up to ${formatLongDate(c.validUntil)}), so you would need to renew it.`,
          );
    }
    if (unknown.length)
      parts.push(
        `We also need ${questionsNeeded.length === 1 ? 'one more answer' : `${questionsNeeded.length} more answers`} to check the rest.`,
      );
  } else {
    parts.push(
      `We can't tell yet: we need ${questionsNeeded.length === 1 ? 'one more answer' : `${questionsNeeded.length} more answers`} to check ${unknown
        .map((c) => lowerFirst(c.label))
        .join('; ')}.`,
    );
  }
  return {
    programme: { id: programme.id, name: programme.name, shortName: programme.shortName },
    verdict,
    summary: parts.join(' '),
    ...(programme.note ? { note: programme.note } : {}),
    ...(eligibleFrom ? { eligibleFrom } : {}),
    criteria,
    questionsNeeded,
  };
}

/**
 * The dates a programme's dated rules give on these answers, without the words: for a duration rule
 * the day it is (or will be) met, for a course rule the last day the course counts. The same dates
 * checkEligibility gives as `metOn` and `validUntil` (a test holds the two equal), for callers that
 * need only dates and ask for many people at once (a reminder pass).
 */
export function ruleDates(
  rules: EligibilityRules,
  programmeId: string,
  answers: EligibilityAnswers,
  today: string,
): Map<string, { metOn?: string; validUntil?: string }> {
  assertToday(today);
  const out = new Map<string, { metOn?: string; validUntil?: string }>();
  for (const c of programmeById(rules, programmeId).criteria) {
    if (c.kind === 'heldForMoreThanYears' || c.kind === 'heldForAtLeastYears') {
      const { years, dateQuestion, gateQuestion } = c.parameters;
      const gate = gateQuestion ? yesNo(answers, gateQuestion) : true;
      const start = dateAnswer(answers, dateQuestion);
      if (gate !== false && parseIsoDate(start) && start <= today)
        out.set(c.id, { metOn: durationMetOn(c.kind, start, years) });
    } else if (c.kind === 'withinLastYears') {
      const date = dateAnswer(answers, c.parameters.dateQuestion);
      if (parseIsoDate(date) && date <= today)
        out.set(c.id, { validUntil: addYears(date, c.parameters.years) });
    }
  }
  return out;
}

// ---------------------------------------------------------------- rule text

interface RuleStatement {
  criterionId: string;
  label: string;
  /** The rule in plain English. */
  rule: string;
  source: SourceRef;
  /** The bot's reading behind it, where the source does not state it. */
  reading?: string;
}
export interface RuleDescription {
  programme: { id: string; name: string; shortName: string };
  summary: string;
  note?: string;
  /** The entry rules on record, in order (the ACC duration rule first where there is one). */
  current: RuleStatement[];
  /** Older versions of those rules, kept as history (CCAP: two years or more in 2012/13). */
  historic: RuleStatement[];
  /** Related rules for comparison (CCTP: the CCAP rule we apply). */
  context: RuleStatement[];
  /** What does not decide the verdict: what follows the programme, or what a source lists with no timing. */
  afterProgramme: RuleStatement[];
  /** A ready answer for "can I apply for CCAP after two years as an ACC?": headline rule, then history and caveats. */
  text: string;
}

/**
 * The rules of a programme in words, for free-text questions such as "can I
 * apply for CCAP after two years as an ACC?": the rule the bot applies first, then
 * the older rule as history (so the two-year figure people remember is explained,
 * not repeated as the rule), then any caveat about how old the rule on record is.
 * Which rule applies is the data's reading (each criterion's `reading` says why):
 * no source says the framework replaces the 2012/13 page.
 */
export function describeRuleForQuestion(rules: EligibilityRules, programmeId: string): RuleDescription {
  const programme = programmeById(rules, programmeId);
  const statement = (c: Criterion): RuleStatement => ({
    criterionId: c.id,
    label: c.label,
    rule: c.rule,
    source: { id: c.source, quote: c.quote },
    ...(c.reading ? { reading: c.reading } : {}),
  });
  const related = (c: Criterion, r: RelatedRule): RuleStatement => ({
    criterionId: c.id,
    label: r.label,
    rule: r.rule,
    source: { id: r.source, quote: r.quote },
  });
  const entry = programme.criteria.filter((c) => c.phase === 'entry');
  const current = entry.map(statement);
  const historic: RuleStatement[] = [];
  const context: RuleStatement[] = [];
  for (const c of programme.criteria) {
    if (c.kind !== 'heldForMoreThanYears' && c.kind !== 'heldForAtLeastYears') continue;
    if (c.history) historic.push(related(c, c.history));
    if (c.context) context.push(related(c, c.context));
  }
  const afterProgramme = programme.criteria.filter((c) => c.phase === 'afterProgramme').map(statement);
  const text = [
    current[0] ? `${programme.name}: ${current[0].rule}` : programme.summary,
    ...historic.map((h) => h.rule),
    // The programme note already sets the rule in context (CCTP), so it replaces the comparison.
    ...(programme.note ? [programme.note] : context.map((h) => h.rule)),
  ].join(' ');
  return {
    programme: { id: programme.id, name: programme.name, shortName: programme.shortName },
    summary: programme.summary,
    ...(programme.note ? { note: programme.note } : {}),
    current,
    historic,
    context,
    afterProgramme,
    text,
  };
}

// ---------------------------------------------------------------- validation

export interface FieldError {
  /** The question id, "programme", or "_form" for the submission as a whole. */
  field: string;
  message: string;
}
export type ValidationResult =
  { ok: true; answers: EligibilityAnswers } | { ok: false; errors: FieldError[] };

/** Not answered. An empty multi-select is an answer ("none of these"), not a blank. */
const isBlank = (v: unknown) => v === undefined || v === null || v === '' || v === 'unknown';

/**
 * Checks what a coder submitted for one programme before it is stored or
 * checked: each of the programme's answers must have the right form, dates
 * must be real calendar dates and not in the future, a question that cannot
 * be "unknown" must be answered, and at least one question must be answered.
 * Answers to questions that are not asked (the ACC date when the coder is not
 * an ACC) and to other programmes' questions are dropped. Returns every problem
 * at once, in question order, so a card can show them all.
 */
export function validateAnswers(
  rules: EligibilityRules,
  programmeId: string | undefined,
  rawAnswers: unknown,
  today: string,
): ValidationResult {
  assertToday(today);
  const programme = programmeId ? rules.programmes.find((p) => p.id === programmeId) : undefined;
  if (!programme) {
    return {
      ok: false,
      errors: [
        {
          field: 'programme',
          message: `Choose a programme: ${joinAnd(
            rules.programmes.map((p) => p.shortName),
            'or',
          )}.`,
        },
      ],
    };
  }
  if (typeof rawAnswers !== 'object' || rawAnswers === null || Array.isArray(rawAnswers)) {
    return { ok: false, errors: [{ field: '_form', message: 'The answers were not in the expected form.' }] };
  }
  const raw = rawAnswers as Record<string, unknown>;
  const shape = EligibilityAnswersSchema.shape as unknown as Record<
    string,
    { safeParse(v: unknown): { success: boolean; data?: unknown } } | undefined
  >;
  const errors: FieldError[] = [];
  const parsed: Record<string, unknown> = {};
  const questions = questionsFor(rules, programme.id);

  for (const q of questions) {
    const field = shape[q.id];
    if (!field) {
      errors.push({
        field: q.id,
        message: `The question ${q.id} has no answer format (a fault in the rules data).`,
      });
      continue;
    }
    if (q.askWhen) {
      const gate = parsed[q.askWhen.question];
      const wanted = q.askWhen.equals === 'yes';
      if (typeof gate === 'boolean' && gate !== wanted) continue;
    }
    const v = raw[q.id];
    const r = field.safeParse(v);
    if (!r.success) {
      errors.push({ field: q.id, message: formMessage(q, v) });
      continue;
    }
    const value = r.data;
    if (isBlank(value)) {
      if (!q.allowUnknown) errors.push({ field: q.id, message: `Please answer: ${q.label}` });
      continue;
    }
    if (q.type === 'date' && typeof value === 'string') {
      if (value === 'none' && !q.noneLabel) {
        errors.push({ field: q.id, message: `Give a date for ${q.dateNoun}, or say you don't know.` });
        continue;
      }
      if (value !== 'none' && value > today) {
        errors.push({
          field: q.id,
          message: `The date you gave for ${q.dateNoun}, ${formatLongDate(value)}, is in the future.`,
        });
        continue;
      }
    }
    if (q.type === 'choice' || q.type === 'multiSelect') {
      const allowed = new Set(q.choices.map((c) => c.value));
      const values = Array.isArray(value) ? value : [value];
      if (values.some((x) => !allowed.has(String(x)))) {
        errors.push({ field: q.id, message: formMessage(q, v) });
        continue;
      }
    }
    parsed[q.id] = value;
  }
  if (errors.length) return { ok: false, errors };
  if (Object.keys(parsed).length === 0) {
    return {
      ok: false,
      errors: [
        { field: '_form', message: `You haven't answered any of the questions for ${programme.shortName}.` },
      ],
    };
  }
  return { ok: true, answers: EligibilityAnswersSchema.parse(parsed) };
}

/** What to tell a coder whose answer has the wrong form. */
function formMessage(q: Question, v: unknown): string {
  switch (q.type) {
    case 'date': {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))
        return `The date you gave for ${q.dateNoun}, ${v}, is not a real date.`;
      return `The date you gave for ${q.dateNoun}, ${text}, is not in the form YYYY-MM-DD (for example 2021-03-14).`;
    }
    case 'yesNo':
      return `Answer yes, no or "don't know" to: ${q.label}`;
    case 'choice':
      return `Choose one of ${joinAnd(
        q.choices.map((c) => `"${c.label}"`),
        'or',
      )} for: ${q.label}`;
    case 'multiSelect':
      return `Choose only from ${joinAnd(
        q.choices.map((c) => `"${c.label}"`),
        'and',
      )} for: ${q.label}`;
  }
}
