import type { Percent } from '../../core/tabs/tabViews.js';

const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "14 March 2027" for the server's local dates (YYYY-MM-DD), read as that calendar day. */
export function longDate(day: string): string {
  return DATE.format(new Date(`${day}T00:00:00Z`));
}

/** "14 Mar 2027", for chart axes and narrow tables. */
export function shortDate(day: string): string {
  return SHORT_DATE.format(new Date(`${day}T00:00:00Z`));
}

export function percent(value: Percent): string {
  return value === null ? 'not rated' : `${Math.round(value)}%`;
}

/** "+12 points", "−5 points", "no change". */
export function change(points: number): string {
  const rounded = Math.round(points);
  if (rounded === 0) return 'no change';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded)} point${Math.abs(rounded) === 1 ? '' : 's'}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
