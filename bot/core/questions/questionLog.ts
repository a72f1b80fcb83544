import { csvField } from '../csv.js';
import { addDays } from '../calendar.js';

/*
 * The question log: questions the bot could not answer, or whose answer someone marked Not helpful,
 * kept for the people who look after the content. Only the words are kept, scrubbed of what could
 * say who asked or whom they asked about; never a user id, a name or a conversation.
 */

export type QuestionLogReason = 'unanswered' | 'not-helpful';

export interface QuestionLogEntry {
  text: string;
  reason: QuestionLogReason;
  /** The local calendar date it was logged, YYYY-MM-DD. */
  day: string;
}

export interface UnansweredRow {
  question: string;
  count: number;
  unanswered: number;
  notHelpful: number;
  /** The latest day it was logged, YYYY-MM-DD. */
  lastSeen: string;
}

/**
 * Where the question log is kept: one small document a day in the glue ring. `list` and
 * `removeOlderThan` count `days` back from `today` inclusive, so a window of 90 is today and the
 * 89 days before it.
 */
export interface QuestionLogRepo {
  add(entry: QuestionLogEntry): Promise<void>;
  list(today: string, days: number): Promise<QuestionLogEntry[]>;
  /** Deletes what lies before the window; returns how many day documents went. */
  removeOlderThan(today: string, days: number): Promise<number>;
}

/** The first day of a window of `days` days that ends with (and includes) `today`. */
export function firstDayOfWindow(today: string, days: number): string {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a window of ${days} days`);
  return addDays(today, -(days - 1));
}

/** What a kept question may hold at most: enough for a question, too little for a case history. */
export const MAX_QUESTION_CHARS = 300;

/** Longer input is cut before scrubbing so the patterns run over bounded text. */
const MAX_INPUT_CHARS = 2_000;

const TEAMS_MENTION = /<at\b[^>]*>[\s\S]*?<\/at>/gi;
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** "@Sam" or "@Sam Patel": the word after @ and up to two capitalised words that follow it. */
const AT_NAME = /(?<![\p{L}\p{N}])@[\p{L}][\p{L}'’.-]*(?:[ \t]+\p{Lu}[\p{L}'’-]*){0,2}/gu;
/**
 * UK numbers: +44 or 0044 (with an optional "(0)"), or a leading 0 (optionally in brackets), then a
 * non-zero digit and eight or nine more, each after at most one space, dash or closing bracket.
 */
const UK_PHONE = /(?<![\p{N}+])(?:(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?|\(?0)[1-9](?:\)?[\s-]?\d){8,9}(?!\d)/gu;
/** Ten digits, alone or as 3-3-4 with spaces or dashes: the shape of an NHS number. */
const NHS_NUMBER = /(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)/g;
/** Any other long run of digits could be a hospital or other patient number. */
const LONG_NUMBER = /\d{8,}/g;

/**
 * A question as it may be kept: Teams and @ mentions become [name], email addresses [email], UK
 * phone numbers [phone], NHS-number shapes and other long digit runs [number]; the asker's own name
 * (when given) becomes [name] wherever it is typed; white space collapsed; at most 300 characters.
 * Removing too much is safer than too little: a content owner needs the gist, not the details.
 */
export function scrubQuestion(text: string, opts: { names?: readonly string[] } = {}): string {
  let t = text
    .slice(0, MAX_INPUT_CHARS)
    .normalize('NFKC')
    .replace(/&nbsp;/gi, ' ')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this line removes
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(TEAMS_MENTION, ' [name] ')
    .replace(EMAIL, '[email]')
    .replace(AT_NAME, '[name]')
    .replace(UK_PHONE, '[phone]')
    .replace(NHS_NUMBER, '[number]')
    .replace(LONG_NUMBER, '[number]');
  for (const part of nameParts(opts.names ?? [])) {
    t = t.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(part)}(?![\\p{L}\\p{N}])`, 'giu'), '[name]');
  }
  t = t.replace(/\s+/g, ' ').trim();
  // Counted and cut in code points, so a cut never leaves half of a surrogate pair.
  const codePoints = Array.from(t);
  return codePoints.length > MAX_QUESTION_CHARS
    ? codePoints.slice(0, MAX_QUESTION_CHARS).join('').trimEnd()
    : t;
}

/** The words of the names given, two letters or more (an initial alone would take every "a" out). */
function nameParts(names: readonly string[]): string[] {
  const parts = names.flatMap((n) => n.normalize('NFKC').split(/[\s,]+/));
  return [...new Set(parts.filter((p) => Array.from(p).length >= 2 && /\p{L}/u.test(p)))];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The key two wordings share when they differ only in case, spacing or punctuation. */
export function questionKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLocaleLowerCase('en-GB')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Groups logged questions that differ only in case, spacing or punctuation, keeping the wording
 * first seen, most frequent first and, among equals, the most recently seen first: what owners
 * should add to the content next.
 */
export function summariseQuestionLog(entries: readonly QuestionLogEntry[]): UnansweredRow[] {
  const ordered = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.day < b.e.day ? -1 : a.e.day > b.e.day ? 1 : a.i - b.i));
  const rows = new Map<string, UnansweredRow>();
  for (const { e } of ordered) {
    const key = questionKey(e.text);
    if (!key) continue;
    let row = rows.get(key);
    if (!row) {
      row = { question: e.text, count: 0, unanswered: 0, notHelpful: 0, lastSeen: e.day };
      rows.set(key, row);
    }
    row.count += 1;
    if (e.reason === 'unanswered') row.unanswered += 1;
    else row.notHelpful += 1;
    if (e.day > row.lastSeen) row.lastSeen = e.day;
  }
  return [...rows.values()].sort(
    (a, b) =>
      b.count - a.count ||
      (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0) ||
      a.question.localeCompare(b.question, 'en-GB'),
  );
}

const QUESTION_LOG_COLUMNS = ['Question', 'Times', 'Unanswered', 'Not helpful', 'Last seen'] as const;

/**
 * RFC 4180 CSV with a header row and CRLF line ends; every field is neutralised so a spreadsheet
 * shows a question starting with =, +, - or @ as text instead of running it as a formula.
 */
export function questionLogCsv(rows: readonly UnansweredRow[]): string {
  const lines = [
    [...QUESTION_LOG_COLUMNS],
    ...rows.map((r) => [r.question, String(r.count), String(r.unanswered), String(r.notHelpful), r.lastSeen]),
  ];
  return lines.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}
