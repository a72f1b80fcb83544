import * as chrono from 'chrono-node';
import { daysInMonth, formatLongDate } from '../calendar.js';
import { findProgramme } from '../eligibility/eligibility.js';
import type { EligibilityAnswersInput, EligibilityRules } from '../eligibility/eligibilitySchema.js';

/** One fact read from the sentence, said back to the person so they can see what was understood. */
interface FactRead {
  /** The question id it answers (accDate, ccsrcDate, …). */
  question: string;
  /** In words: "you gained ACC on 1 March 2024". */
  understood: string;
  /** How a vague date was read: "I read 'March 2024' as 1 March 2024". */
  assumption?: string;
}

export interface FactsInWords {
  programmeId: string;
  /** True when no programme was named and the auditor programme was assumed. */
  programmeAssumed: boolean;
  answers: EligibilityAnswersInput;
  /** The same answers with every vague date read as late as it can be (the safe side). */
  latestAnswers: EligibilityAnswersInput;
  facts: FactRead[];
}

/** "for 6 years", "for two and a half yrs", "18 months" (without "ago", which chrono reads). */
const DURATION =
  /\b(?:for|over|about|around|nearly|almost|roughly|just over|just under|been|qualified|accredited|acc)\s+(\d+(?:\.5)?|a couple of|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(and a half\s*)?(years?|months?)\b(?!\s+ago)/;

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  'a couple of': 2,
  'a few': 3,
};

/** Words that make a clause about ACC status, the refresher course, or the apprenticeship's entry facts. */
const ACC = /\b(acc|nccq|accredit\w*|qualif\w*|passed|pass|the exam|coding qualification)\b/;
const REFRESHER = /\b(ccsrc|refresher|standards course)\b/;
const NOT =
  /\b(not|never|no|haven't|havent|have not|hasn't|didn't|did not|cannot|can't|cant|unable|don't|dont|do not|isn't|isnt|aren't|arent|struggle|struggling|yet to|still working|working towards|studying|doing my|failed|without)\b/;
/** Words that tell of something done, so a date without a year is the last one, not the next. */
const PAST_TENSE =
  /\b(got|passed|gained|did|done|completed|since|was|were|became|qualified|attended|finished|had|went|acc|accredited)\b|\w+ed\b/;
/** The person says something of their own: without it a sentence is a question about rules. */
const PERSONAL = /\b(i|i'm|im|i've|ive|my|me|we)\b/;
/** A request for courses or reading, which a fact or two in passing does not make an eligibility question. */
const ASKS_FOR_LEARNING =
  /\b(any|which|what|recommend\w*|suggest\w*) (courses?|training|resources?|reading|books?|e-?learning)\b|\b(recommend|recommends|suggest|suggests)\b.*\b(courses?|training|resources?|read|reading)\b|\b(courses?|training|resources?|reading)\b.*\b(recommend|recommends|suggest|suggests)\b/;
/** Asking how to help or support someone else: a manager's question, not the asker's own facts. */
export const HELPING_SOMEONE =
  /\b(how|what|ways?) (do|can|could|should|would|might) (i|we)( do)?( to)? (best )?(help|support|develop|coach|encourage|prepare|get|build|mentor|guide)\b|\bhow (to|can a manager|should a manager) (help|support|develop|coach|encourage|prepare)\b|\bas (a|an|their|her|his|the) (line )?(manager|team leader|supervisor|lead)\b/;

/** They want to know whether or when they can go: without it, facts alone are not a question to check. */
const APPLY =
  /\b(apply|applying|application|eligible|eligibility|qualify|can i|could i|am i|when can|when could|how long until|how long before|how much longer|go on|get on|join|start|enrol|enroll|sign up|do the|allowed|able to|ready)\b/;

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function subtractMonths(today: string, months: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return iso(year, month, Math.min(d, daysInMonth(year, month)));
}

interface DateRead {
  date: string;
  /** The latest day the words could mean (end of the month or year), where they leave the day open. */
  latest: string;
  said: string;
  assumption?: string;
}

/**
 * The date a clause gives: a calendar date or month ("14/03/2022", "March 2024", "3 years ago") read
 * by chrono in British day-month order, "for 2 years" as a duration back from today, or a bare year.
 */
const SEASONS: Record<string, number> = { spring: 3, summer: 6, autumn: 9, fall: 9, winter: 12 };
const SEASON =
  /\b(?:(last|this|in the|in)\s+)?(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?((?:19|20)\d\d))?\b/;

/**
 * "Last summer", "autumn 2023": chrono reads no seasons. A season is taken from its first day (the
 * latest day it could mean is its last), and "last" means the latest one already over.
 */
function readSeason(clause: string, today: string): DateRead | undefined {
  const m = SEASON.exec(clause);
  if (!m || (!m[1] && !m[3])) return undefined;
  // The season's group is not optional, and SEASONS has every season the pattern names.
  const month = SEASONS[m[2] ?? ''];
  if (month === undefined) return undefined;
  const [ty] = today.split('-').map(Number) as [number];
  const span = (y: number) => {
    const start = iso(y, month, 1);
    const endMonth = month + 2 > 12 ? month + 2 - 12 : month + 2;
    const endYear = month + 2 > 12 ? y + 1 : y;
    return { start, end: iso(endYear, endMonth, daysInMonth(endYear, endMonth)) };
  };
  let y = m[3] ? Number(m[3]) : ty;
  if (!m[3]) {
    if (m[1] === 'last') while (span(y).end >= today) y--;
    else while (span(y).start > today) y--;
  }
  const { start, end } = span(y);
  if (start > today) return undefined;
  return {
    date: start,
    latest: end < today ? end : today,
    said: m[0].trim(),
    assumption: `I read "${m[0].trim()}" as ${formatLongDate(start)}`,
  };
}

function readDate(clause: string, today: string, durations: boolean): DateRead | undefined {
  // "for 6 years" is a span back from today; chrono would read it as a day six years ahead.
  const duration = durations ? DURATION.exec(clause) : null;
  if (duration) {
    // The count's and the unit's groups are not optional.
    const count = duration[1] ?? '';
    const unit = duration[3] ?? '';
    const n = (Number(count) || NUMBER_WORDS[count] || 0) + (duration[2] ? 0.5 : 0);
    const months = Math.round(/^m/.test(unit) ? n : n * 12);
    if (months > 0 && months < 12 * 60) {
      const date = subtractMonths(today, months);
      const said = duration[0].trim();
      return { date, latest: date, said, assumption: `I read "${said}" as since ${formatLongDate(date)}` };
    }
  }
  const season = readSeason(clause, today);
  if (season) return season;
  const ref = new Date(`${today}T12:00:00`);
  const found = chrono.en.GB.parse(clause, ref, { forwardDate: false })[0];
  if (found) {
    const s = found.start;
    let year = s.get('year');
    const month = s.get('month');
    // "Got my ACC in Jan", said in December: chrono picks the nearest January, next month; someone
    // telling what they did means the last one.
    if (
      year &&
      !s.isCertain('year') &&
      iso(year, month ?? 1, s.get('day') ?? 1) > today &&
      PAST_TENSE.test(clause)
    )
      year -= 1;
    const day = s.get('day');
    if (year && month && day) {
      const date = iso(year, month, day);
      const relative = /\bago\b|\blast\b|\byesterday\b|\btoday\b/.test(found.text);
      if (s.isCertain('day') || relative) return { date, latest: date, said: found.text };
      if (s.isCertain('month'))
        return {
          date: iso(year, month, 1),
          latest: iso(year, month, daysInMonth(year, month)),
          said: found.text,
          assumption: `I read "${found.text}" as ${formatLongDate(iso(year, month, 1))}`,
        };
      return {
        date: iso(year, 1, 1),
        latest: iso(year, 12, 31),
        said: found.text,
        assumption: `I read "${found.text}" as 1 January ${year}`,
      };
    }
  }
  const year = /\b(?:19|20)\d\d\b/.exec(clause);
  if (year) {
    const said = year[0];
    const y = Number(said);
    return {
      date: iso(y, 1, 1),
      latest: iso(y, 12, 31),
      said,
      assumption: `I read "${said}" as 1 January ${y}`,
    };
  }
  return undefined;
}

const COUNT = '(\\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)';
/** "3 years and 2 months", "a year and six months": one span, in months, so "and" does not split it. */
const YEARS_AND_MONTHS = new RegExp(
  `\\b${COUNT}\\s*(?:years?|yrs?)(?:\\s*,)?\\s+(?:and\\s+)?${COUNT}\\s*(?:months?|mths?)\\b`,
  'g',
);

/** A span said in years and months, said in months alone ("3 years and 2 months" → "38 months"). */
function inMonths(text: string): string {
  return text.replace(YEARS_AND_MONTHS, (said, y: string, m: string) => {
    const years = Number(y) || NUMBER_WORDS[y] || 0;
    const months = Number(m) || NUMBER_WORDS[m] || 0;
    return years > 0 && months > 0 && months < 12 ? `${years * 12 + months} months` : said;
  });
}

/** Splits a message into the clauses that each carry one fact ("ACC in 2021 and the refresher last May"). */
function clauses(text: string): string[] {
  return inMonths(text)
    .split(/[;,!?]|\.(?!\d)|\s(?:and(?! a half)|but|also|plus|then|so|although|though|while)\s/)
    .map((c) => c.trim())
    .filter(Boolean);
}

const SPECIALTIES: [RegExp, string][] = [
  [/general medicine|\bgeneral med\b|\bmedicine\b/, 'general-medicine'],
  [/\bsurg/, 'surgical'],
  [/trauma|orthop|\bt ?& ?o\b|\bt and o\b/, 'trauma-orthopaedic'],
  [/obstet|maternity|\bobs\b/, 'obstetrics'],
];

/** Yes / no facts a person may state in passing ("coder's toolbox done", "no report writing course"). */
const YES_NO_FACTS: { question: string; about: RegExp; yes: string; no: string }[] = [
  {
    question: 'codersToolbox',
    about: /\btoolbox\b/,
    yes: "you have completed the clinical coder's toolbox",
    no: "you have not completed the clinical coder's toolbox",
  },
  {
    question: 'reportWritingCourse',
    about: /\breport[- ]?writing\b/,
    yes: 'you can evidence a report-writing course',
    no: 'you cannot evidence a report-writing course',
  },
  {
    question: 'wordPowerPoint',
    about: /\bpower ?point\b|\bword and\b|\bms word\b|\bmicrosoft word\b/,
    yes: 'you make good use of Word and PowerPoint',
    no: 'you do not yet make good use of Word and PowerPoint',
  },
  {
    question: 'codingStandardsExpertise',
    about: /\b(expert|expertise|dimensions of (coding )?accuracy|coding standards|the standards)\b/,
    yes: 'you can evidence expertise in the coding standards',
    no: 'you cannot yet evidence expertise in the coding standards',
  },
  {
    question: 'codingExperience',
    about:
      /\bexperience (of|in) (clinical )?coding\b|\bcoding experience\b|\bexperience coding\b|\bexperience in the field\b|\bin the field\b/,
    yes: 'you have adequate experience of clinical coding in the field',
    no: 'you cannot show adequate experience of clinical coding in the field',
  },
];

/** A clause that asks what is required rather than saying what the person has. */
const ASKS_ABOUT_RULE =
  /\b(do|does|will|would|should|must|shall) (i|you|we|they|one|trainees?|coders?|people) (need|have to|require|want)\b|\b(need|needs|have|has) to (have|be|finish|complete|hold|do|attend|pass)\b|\bis (it|that|there) (required|needed|necessary|a requirement)\b|\bwithin the last\b|\b(more|longer) than\b|\bat least\b|\bhow (long|many)\b.*\b(need|required|before)\b/;

/** Words with which a message states the person's own facts, even without "I" ("ACC'd 18 months ago"). */
const STATES_FACTS =
  /^(passed|got|gained|been|acc|accredited|qualified|have|haven't|have not|never|did|done|completed|finished|coded|working|no|refresher|ccsrc|nccq|my)\b/;

/**
 * Reads the eligibility facts a person gives in a sentence ("I passed the NCCQ in March 2024, when
 * can I go on the auditor programme?"): ACC and its date, the refresher course's date, the
 * specialties coded, the yes / no requirements, and the apprenticeship's English, maths, EHC plan
 * and BSL facts. Answers only when the person states something of their own and asks about going
 * on a programme; a question about the rules themselves ("do you need ACC for 3 years?") is left to
 * the search. `text` is the normalised question.
 */
export function readEligibilityFacts(
  text: string,
  today: string,
  rules: EligibilityRules,
): FactsInWords | undefined {
  const personal = PERSONAL.test(text) || STATES_FACTS.test(text);
  const answers: Record<string, unknown> = {};
  const latest: Record<string, unknown> = {};
  const facts: FactRead[] = [];
  const set = (question: string, value: unknown, understood: string, late = value, assumption?: string) => {
    if (question in answers) return;
    answers[question] = value;
    latest[question] = late;
    facts.push({ question, understood, ...(assumption ? { assumption } : {}) });
  };

  if (!personal) return undefined;
  // "Do I need the toolbox done first?" asks about a rule; it states nothing about the person.
  const parts = clauses(text).filter((c) => !ASKS_ABOUT_RULE.test(c));
  for (const clause of parts) {
    const negative = NOT.test(clause);
    if (REFRESHER.test(clause)) {
      const d = negative ? undefined : readDate(clause, today, personal);
      if (d && d.date <= today)
        set(
          'ccsrcDate',
          d.date,
          `your last refresher course (CCSRC) was on ${formatLongDate(d.date)}`,
          d.latest,
          d.assumption,
        );
      else if (negative) set('ccsrcDate', 'none', 'you have not attended a refresher course (CCSRC)');
      continue;
    }
    if (ACC.test(clause) && !/\b(english|maths?|gcse|functional skills|toolbox|report)\b/.test(clause)) {
      if (negative && !/\bnot (sure|certain)\b/.test(clause)) {
        set('hasAcc', 'no', 'you are not an Accredited Clinical Coder (ACC) yet');
        continue;
      }
      const d = readDate(clause, today, personal);
      if (d && d.date <= today) {
        set('hasAcc', 'yes', 'you are an Accredited Clinical Coder (ACC)');
        set('accDate', d.date, `you gained ACC status on ${formatLongDate(d.date)}`, d.latest, d.assumption);
      } else if (/\b(i am|i have|got|have|been)\b.*\b(acc|accredited)\b/.test(clause)) {
        set('hasAcc', 'yes', 'you are an Accredited Clinical Coder (ACC)');
      }
    }
  }

  // Facts that are often listed ("general medicine, surgery and obstetrics") read over the whole message.
  const clauseOf = (re: RegExp) => parts.find((c) => re.test(c)) ?? '';
  for (const f of YES_NO_FACTS) {
    const c = clauseOf(f.about);
    if (!c) continue;
    const no = NOT.test(c) && !/\bnot (sure|certain)\b/.test(c);
    set(f.question, no ? 'no' : 'yes', no ? f.no : f.yes);
  }
  const coded = SPECIALTIES.filter(([re]) => re.test(text));
  if (coded.length && /\b(coded|code|coding|experience|done|worked|episodes)\b/.test(text)) {
    const have = coded.filter(([re]) => !NOT.test(clauseOf(re))).map(([, v]) => v);
    set(
      'specialties',
      have,
      have.length === 4
        ? 'you have coded consultant episodes in all four specialties the framework names'
        : `you have coded consultant episodes in ${have.length} of the four specialties the framework names`,
    );
  }
  for (const [question, subject, re] of [
    ['level2English', 'English', /\benglish\b/],
    ['level2Maths', 'maths', /\bmaths?\b|\bmathematics\b/],
  ] as const) {
    const c = clauseOf(re);
    if (
      !c ||
      !/\b(gcse|level 2|functional skills|grade|a level|qualification|qualifications|pass|passed|got|have)\b/.test(
        text,
      )
    )
      continue;
    const value = /\b(working towards|studying|doing|resit|retak\w*)\b/.test(c)
      ? 'working-towards'
      : NOT.test(c)
        ? 'no'
        : 'yes';
    set(
      question,
      value,
      `${value === 'yes' ? 'you have' : value === 'no' ? 'you do not have' : 'you are working towards'} Level 2 ${subject}`,
    );
  }
  const ehc = clauseOf(/\behc\b|education,? health and care|legacy statement/);
  if (ehc)
    set(
      'ehcPlan',
      NOT.test(ehc) ? 'no' : 'yes',
      `you ${NOT.test(ehc) ? 'do not have' : 'have'} an EHC plan or legacy statement`,
    );
  const bsl = clauseOf(/\bbsl\b|sign language/);
  if (bsl && !NOT.test(bsl))
    set('bslPrimaryLanguage', 'yes', 'British Sign Language is your primary language');

  if (facts.length === 0) return undefined;
  // "How do I support an approved auditor with their report writing?": a manager asking how to help
  // someone states no facts of their own, unless they give dates.
  if (HELPING_SOMEONE.test(text) && !facts.some((f) => /date$|^hasAcc$/i.test(f.question))) return undefined;
  // "My Word isn't great, any courses before I apply?" asks what to read, not whether they can go.
  if (ASKS_FOR_LEARNING.test(text) && !facts.some((f) => /date$|^hasAcc$/i.test(f.question)))
    return undefined;
  const named = findProgramme(rules, text);
  if (!named && !APPLY.test(text)) return undefined;
  const apprenticeshipFacts = facts.some((f) => /^level2|^ehc|^bsl/.test(f.question));
  const programmeId = named?.id ?? (apprenticeshipFacts ? 'apprenticeship' : 'ccap');
  return {
    programmeId,
    programmeAssumed: !named && !apprenticeshipFacts,
    answers,
    latestAnswers: latest,
    facts,
  };
}
