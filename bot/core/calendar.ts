/**
 * How dates read to people: "14 March 2024", "week of 30 November", in the configured locale
 * (en-GB unless told). Calendar dates are "YYYY-MM-DD" strings and are formatted as such, in UTC, so
 * no time zone can move them a day; instants are first turned into a local date by the caller.
 */

export const DEFAULT_LOCALE = 'en-GB';

/** Whether Intl knows the locale; config refuses one it does not, rather than falling back silently. */
export function isSupportedLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}

/** One formatter per locale and shape: making one costs far more than using it. */
const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withYear}`;
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

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcOf(iso: string): Date | undefined {
  const m = ISO_DAY.exec(iso);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? d : undefined;
}

/** "2024-03-14" → "14 March 2024"; anything that is not a calendar date is returned as it came. */
export function formatDay(iso: string, locale = DEFAULT_LOCALE): string {
  const d = utcOf(iso);
  return d ? format(locale, true).format(d) : iso;
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
