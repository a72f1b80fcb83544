import assert from 'node:assert/strict';
import { formatDay, formatWeekOf, isSupportedLocale, parseDay } from '../../bot/core/calendar.js';

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
