import assert from 'node:assert/strict';
import {
  addDays,
  addMonths,
  addYears,
  Calendar,
  daysBetween,
  formatDay,
  formatLongDate,
  formatWeekOf,
  isSupportedLocale,
  isSupportedTimeZone,
  isoWeekday,
  localDate,
  localTime,
  parseDay,
  weekOf,
} from '../../bot/core/calendar.js';

const LONDON = 'Europe/London';

describe('calendar: dates as people write and read them', () => {
  const read: [string, string, string | undefined][] = [
    ['14/03/2024', 'en-GB', '2024-03-14'],
    ['14-3-24', 'en-GB', '2024-03-14'],
    ['14.03.2024', 'en-GB', '2024-03-14'],
    ['14 March 2024', 'en-GB', '2024-03-14'],
    ['14th of March 2024', 'en-GB', '2024-03-14'],
    ['14 Mar 2024', 'en-GB', '2024-03-14'],
    ['March 14, 2024', 'en-GB', '2024-03-14'],
    ['2024-03-14', 'en-GB', '2024-03-14'],
    ['03/14/2024', 'en-US', '2024-03-14'],
    ['03/14/2024', 'en-GB', undefined],
    ['31/02/2024', 'en-GB', undefined],
    ['29/02/2024', 'en-GB', '2024-02-29'],
    ['last spring', 'en-GB', undefined],
    ['14 Marmalade 2024', 'en-GB', undefined],
  ];
  for (const [text, locale, iso] of read) {
    it(`reads "${text}" in ${locale} as ${iso ?? 'no date'}`, () => {
      const r = parseDay(text, locale);
      assert.deepEqual(r.ok ? r.iso : undefined, iso);
    });
  }

  it('says whether text was no date at all or a date that does not exist', () => {
    assert.deepEqual(parseDay('31/02/2024'), { ok: false, reason: 'not-a-date' });
    assert.deepEqual(parseDay('soon'), { ok: false, reason: 'format' });
  });

  it('writes a day as "14 March 2024" in en-GB, and in the locale given', () => {
    assert.equal(formatDay('2024-03-14'), '14 March 2024');
    assert.equal(formatDay('2026-12-01', 'en-GB'), '1 December 2026');
    assert.equal(formatDay('2024-03-14', 'en-US'), 'March 14, 2024');
    assert.equal(formatDay('not a date'), 'not a date');
  });

  it('writes an ISO week as "week of" its Monday, with the year only when it is another year', () => {
    assert.equal(formatWeekOf('2026-W49'), 'week of 30 November');
    assert.equal(formatWeekOf('2026-W01'), 'week of 29 December');
    assert.equal(formatWeekOf('2027-W01', 'en-GB', '2026-12-30'), 'week of 4 January 2027');
  });

  it('knows the locales Node.js knows, and refuses nonsense', () => {
    assert.equal(isSupportedLocale('en-GB'), true);
    assert.equal(isSupportedLocale('not a locale!'), false);
  });
});

describe('calendar: date arithmetic', () => {
  it('adds calendar years, putting 29 February on 28 February in a year without one', () => {
    assert.equal(addYears('2021-03-14', 3), '2024-03-14');
    assert.equal(addYears('2020-02-29', 3), '2023-02-28');
    assert.equal(addYears('2020-02-29', 4), '2024-02-29');
    assert.equal(addDays('2023-02-28', 1), '2023-03-01');
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2024-12-31', 1), '2025-01-01');
  });
  it('adds calendar months, a day the month lacks becoming its last', () => {
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2023-01-31', 1), '2023-02-28');
    assert.equal(addMonths('2024-11-15', 3), '2025-02-15');
    assert.equal(addMonths('2024-03-31', -1), '2024-02-29');
  });
  it('counts whole days between calendar dates, across a leap day and a clock change alike', () => {
    assert.equal(daysBetween('2024-02-28', '2024-03-01'), 2);
    assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
    assert.equal(daysBetween('2026-11-25', '2027-02-23'), 90);
    assert.equal(daysBetween('2026-11-25', '2026-11-20'), -5);
  });
  it('names the ISO weekday of a calendar date, Monday 1 to Sunday 7', () => {
    assert.equal(isoWeekday('2026-11-23'), 1);
    assert.equal(isoWeekday('2027-01-24'), 7);
    assert.equal(isoWeekday('2024-02-29'), 4);
  });
  it('writes dates the way coders read them', () => {
    assert.equal(formatLongDate('2027-03-14'), '14 March 2027');
    assert.equal(formatLongDate('2030-05-01'), '1 May 2030');
  });
});

describe('calendar: ISO week ids', () => {
  it('numbers weeks by ISO-8601 across the year boundary', () => {
    assert.equal(weekOf(new Date('2026-12-31T12:00:00Z'), LONDON), '2026-W53');
    assert.equal(weekOf(new Date('2027-01-01T12:00:00Z'), LONDON), '2026-W53');
    assert.equal(weekOf(new Date('2027-01-03T12:00:00Z'), LONDON), '2026-W53');
    assert.equal(weekOf(new Date('2027-01-04T12:00:00Z'), LONDON), '2027-W01');
    assert.equal(weekOf(new Date('2019-12-30T12:00:00Z'), LONDON), '2020-W01');
    assert.equal(weekOf(new Date('2026-11-16T12:00:00Z'), LONDON), '2026-W47');
  });

  it('uses the local date: Sunday 23:30 UTC in summer is Monday 00:30 in London, a new week', () => {
    const sundayNight = new Date('2026-06-14T23:30:00Z');
    assert.equal(weekOf(sundayNight, 'UTC'), '2026-W24');
    assert.equal(weekOf(sundayNight, LONDON), '2026-W25');
    // In winter London is on UTC, so the same clock time stays on Sunday.
    assert.equal(weekOf(new Date('2026-11-22T23:30:00Z'), LONDON), '2026-W47');
  });
});

describe('calendar: the configured zone and locale', () => {
  it('gives today, weeks and days in the zone it was made with', () => {
    const lateSunday = new Date('2026-06-14T23:30:00Z');
    const london = new Calendar(LONDON, 'en-GB');
    const utc = new Calendar('UTC', 'en-GB');
    assert.equal(london.today(lateSunday), '2026-06-15');
    assert.equal(utc.today(lateSunday), '2026-06-14');
    assert.equal(london.weekOf(lateSunday), '2026-W25');
    assert.equal(utc.weekOf(lateSunday), '2026-W24');
    assert.equal(london.day('2026-06-14T23:30:00Z'), '15 June 2026');
    assert.equal(london.day('2026-06-14'), '14 June 2026');
    assert.equal(london.day('not a date'), '');
    assert.equal(localDate(lateSunday, 'America/New_York'), '2026-06-14');
  });
  it('reads the wall clock of an instant in a zone: its day, weekday and minutes since midnight', () => {
    const instant = new Date('2026-11-23T14:30:00Z');
    assert.deepEqual(localTime(instant, LONDON), { date: '2026-11-23', weekday: 1, minutes: 14 * 60 + 30 });
    assert.deepEqual(localTime(instant, 'America/New_York'), {
      date: '2026-11-23',
      weekday: 1,
      minutes: 9 * 60 + 30,
    });
    assert.deepEqual(localTime(instant, 'Pacific/Auckland'), {
      date: '2026-11-24',
      weekday: 2,
      minutes: 3 * 60 + 30,
    });
    // Midnight is 0, never 24 (hour cycle h23).
    assert.equal(localTime(new Date('2026-11-23T00:00:00Z'), LONDON).minutes, 0);
    // Summer time: 08:30 UTC is 09:30 in London.
    assert.equal(localTime(new Date('2026-03-30T08:30:00Z'), LONDON).minutes, 9 * 60 + 30);
  });
  it('knows a real time zone from a made-up one', () => {
    assert.equal(isSupportedTimeZone('Europe/London'), true);
    assert.equal(isSupportedTimeZone('Mars/Olympus_Mons'), false);
  });
});
