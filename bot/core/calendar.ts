/**
 * The one calendar: calendar dates, weeks, adding days, months and years, the local date of an instant
 * in the time zone the bot works in, and how dates read to people ("14 March 2024", "week of 30
 * November") in the configured locale. Calendar dates are "YYYY-MM-DD" strings (no time, no zone),
 * compared as strings and formatted in UTC, so no time zone or clock change can move them a day. An
 * instant becomes a calendar date only through `localDate`, in a zone that is always given (config's
 * TIME_ZONE, through `Calendar`). Pure: "now" is always an argument.
 */

import { ensure } from './ensure.js';

export const DEFAULT_LOCALE = 'en-GB';

/** The zone the bot works in unless TIME_ZONE (or DIGEST_TZ) says otherwise; written nowhere else. */
export const DEFAULT_TIME_ZONE = 'Europe/London';

/** Whether Intl knows the locale; config refuses one it does not, rather than falling back silently. */
export function isSupportedLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}

/** Whether Intl knows the IANA time zone ("Europe/London"); config refuses one it does not. */
export function isSupportedTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- calendar dates

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a year is a leap year in the Gregorian calendar. */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * Splits "YYYY-MM-DD" into numbers, or null when the text is not in that form
 * or is not a real calendar date (2023-02-30, 2023-13-01). Years 1000-9999 only,
 * so that the strings also sort in date order.
 */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Date arithmetic was given something that is not a calendar date: a bug in the caller, not user input. */
class CalendarDateError extends Error {
  readonly code = 'CALENDAR.BAD_DATE';
  constructor(message: string) {
    super(message);
    this.name = 'CalendarDateError';
  }
}

function mustParse(iso: string) {
  const d = parseIsoDate(iso);
  if (!d) throw new CalendarDateError(`Not a YYYY-MM-DD calendar date: ${iso}`);
  return d;
}

function isoOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Adds whole calendar years. Adding N years keeps the day and month, except that 29 February becomes
 * 28 February in a year without one: ACC gained on 2020-02-29 has its third anniversary on 2023-02-28,
 * so "over three years" is met on 2023-03-01 (the documented eligibility rule).
 */
export function addYears(iso: string, years: number): string {
  return addMonths(iso, years * 12);
}

/** Adds (or subtracts) whole months; a day the month lacks becomes its last day (31 January + 1 → 28 February). */
export function addMonths(iso: string, months: number): string {
  const d = mustParse(iso);
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return isoOf(year, month, Math.min(d.day, daysInMonth(year, month)));
}

/** Adds (or with a negative number, subtracts) days, in UTC so no clock change can move the date. */
export function addDays(iso: string, days: number): string {
  const d = mustParse(iso);
  return new Date(Date.UTC(d.year, d.month - 1, d.day + days)).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- instants in a zone

/**
 * One formatter per time zone, made on first use: making an Intl.DateTimeFormat costs a hundred times
 * more than using one, and a weekly run asks for a date for every coder (a third of its time).
 */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    zoneFormats.set(timeZone, f);
  }
  return f;
}

/** The calendar date ("YYYY-MM-DD") of an instant in a time zone: people speak of their days, not UTC's. */
export function localDate(instant: Date, timeZone: string): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('not a valid date');
  // A run asks for the same "today" once per person; the last answer is kept for the next question.
  if (lastLocalDate.ms === ms && lastLocalDate.timeZone === timeZone) return lastLocalDate.date;
  const parts = zoneFormat(timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`;
  lastLocalDate = { ms, timeZone, date };
  return date;
}
let lastLocalDate = { ms: Number.NaN, timeZone: '', date: '' };

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = mustParse(from);
  const b = mustParse(to);
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

/** The ISO weekday of a calendar date: Monday 1 … Sunday 7. */
export function isoWeekday(iso: string): number {
  const d = mustParse(iso);
  return ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1;
}

/** One formatter per time zone for the wall-clock time, made on first use (as for dates above). */
const clockFormats = new Map<string, Intl.DateTimeFormat>();
function clockFormat(timeZone: string): Intl.DateTimeFormat {
  let f = clockFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clockFormats.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * The wall clock of an instant in a time zone: its calendar date, ISO weekday (Monday 1 … Sunday 7)
 * and minutes since local midnight. Working hours are a person's own: 09:00 in New York is 14:00 in
 * London, and a clock change moves both the hour and, near midnight, the day.
 */
export function localTime(
  instant: Date,
  timeZone: string,
): { date: string; weekday: number; minutes: number } {
  if (Number.isNaN(instant.getTime())) throw new RangeError('not a valid date');
  const parts = clockFormat(timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`,
    weekday: WEEKDAYS.indexOf(get('weekday')) + 1,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/**
 * ISO-8601 week id ("2026-W47") of the local date in the zone: weeks start on Monday and belong to the year of
 * their Thursday, so one digest a week has one stable id even across New Year and clock changes.
 */
export function weekOf(now: Date, timeZone: string): string {
  return weekOfDate(localDate(now, timeZone));
}

/** The ISO-8601 week id ("2026-W47") of a calendar date. */
export function weekOfDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const isoDay = ((date.getUTCDay() + 6) % 7) + 1; // Monday 1 … Sunday 7
  const thursday = new Date(Date.UTC(y, m - 1, d + 4 - isoDay));
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 / 7) + 1;
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- how dates read

/** One formatter per locale and shape: making one costs far more than using it. */
const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${String(withYear)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      ...(withYear ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    });
    formats.set(key, f);
  }
  return f;
}

function utcOf(iso: string): Date | undefined {
  const m = ISO_DATE.exec(iso);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? d : undefined;
}

/** "2024-03-14" → "14 March 2024"; anything that is not a calendar date is returned as it came. */
export function formatDay(iso: string, locale = DEFAULT_LOCALE): string {
  const d = utcOf(iso);
  return d ? format(locale, true).format(d) : iso;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2027-03-14" → "14 March 2027", as the eligibility rules and their tests write dates; throws on a non-date. */
export function formatLongDate(iso: string): string {
  const d = mustParse(iso);
  return `${d.day} ${ensure(MONTH_NAMES[d.month - 1], 'a month 1 to 12')} ${d.year}`;
}

/**
 * An ISO week id ("2026-W49") as people say it: "week of 30 November", the Monday that starts it. The
 * year is added only when the Monday falls in another year than `todayIso`, if given.
 */
export function formatWeekOf(weekId: string, locale = DEFAULT_LOCALE, todayIso?: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(weekId);
  if (!m) return weekId;
  const year = Number(m[1]);
  const week = Number(m[2]);
  // Monday of ISO week 1 is the Monday on or before 4 January.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000);
  monday.setUTCDate(monday.getUTCDate() + (week - 1) * 7);
  const otherYear = todayIso !== undefined && todayIso.slice(0, 4) !== String(monday.getUTCFullYear());
  return `week of ${format(locale, otherYear).format(monday)}`;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

/** "March", "Mar" and "Sept" name a month; "Marmalade" does not. */
function monthNumber(name: string): number {
  const i = MONTHS.findIndex(
    (m) => m === name || m.slice(0, 3) === name || (m === 'september' && name === 'sept'),
  );
  return i + 1;
}

export type ParsedDay = { ok: true; iso: string } | { ok: false; reason: 'format' | 'not-a-date' };

/**
 * A date as a person types it, read the way the locale writes dates: day first for en-GB ("14/03/2024",
 * "14-3-24", "14 March 2024", "14 Mar 2024"), month first only for US English ("03/14/2024"), and the
 * unambiguous "2024-03-14" everywhere. Two-digit years are 20xx. A date that does not exist
 * ("31/02/2024") is not a date, never the nearest one; a month name beats any guess about order.
 */
export function parseDay(text: string, locale = DEFAULT_LOCALE): ParsedDay {
  const t = text.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  const make = (y: number, mo: number, d: number): ParsedDay => {
    const year = y < 100 ? 2000 + y : y;
    const iso = `${String(year).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    return year >= 1900 && year <= 2999 && utcOf(iso)
      ? { ok: true, iso }
      : { ok: false, reason: 'not-a-date' };
  };
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return make(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$/.exec(t);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return locale.toLowerCase() === 'en-us' ? make(y, a, b) : make(y, b, a);
  }
  m = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.? (\d{2}|\d{4})$/.exec(t);
  const n = m ? undefined : /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)? (\d{2}|\d{4})$/.exec(t);
  const [day, name, year] = m ? [m[1], m[2], m[3]] : n ? [n[2], n[1], n[3]] : [];
  if (day && name && year) {
    const month = monthNumber(name);
    if (month > 0) return make(Number(year), month, Number(day));
  }
  return { ok: false, reason: 'format' };
}

/**
 * The calendar as configured: the zone the bot works in (TIME_ZONE) and the locale dates are written
 * in (LOCALE). Built once in the composition root and handed to whatever needs "today" or a date.
 */
export class Calendar {
  constructor(
    readonly timeZone: string = DEFAULT_TIME_ZONE,
    readonly locale: string = DEFAULT_LOCALE,
  ) {}

  /** Today's calendar date where the organisation is. */
  today(now: Date): string {
    return localDate(now, this.timeZone);
  }

  localDate(instant: Date): string {
    return localDate(instant, this.timeZone);
  }

  weekOf(now: Date): string {
    return weekOf(now, this.timeZone);
  }

  /** "14 March 2024" for a calendar date, or for the local day of an ISO instant; '' for none or a non-date. */
  day(isoDateOrInstant: string | undefined): string {
    if (!isoDateOrInstant) return '';
    if (ISO_DATE.test(isoDateOrInstant)) return formatDay(isoDateOrInstant, this.locale);
    const ms = Date.parse(isoDateOrInstant);
    return Number.isNaN(ms) ? '' : formatDay(localDate(new Date(ms), this.timeZone), this.locale);
  }

  formatDay(iso: string): string {
    return formatDay(iso, this.locale);
  }

  formatWeekOf(weekId: string, todayIso?: string): string {
    return formatWeekOf(weekId, this.locale, todayIso);
  }

  parseDay(text: string): ParsedDay {
    return parseDay(text, this.locale);
  }
}
