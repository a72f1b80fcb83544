import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MemoryStorage } from 'botbuilder';
import type { AssessmentDoc, CompletedAssessment } from '../../bot/core/assessment/assessment.js';
import { localTime, weekOf } from '../../bot/core/calendar.js';
import {
  EligibilityRulesSchema,
  type EligibilityAnswersInput,
  type EligibilityDoc,
} from '../../bot/core/eligibility/eligibilitySchema.js';
import {
  fillWording,
  messageFacts,
  RemindersDataSchema,
  type PersonState,
  type Reminder,
  type ReminderDoc,
  type ReminderKind,
  type ReminderSource,
} from '../../bot/core/reminders/reminders.js';
import {
  claimReminder,
  countInWeek,
  dueNow,
  gate,
  isWorkingTime,
  markReminderSent,
  releaseReminder,
  REMINDER_LEASE_MS,
  scheduleFor,
  switchKind,
  type ReminderSettings,
} from '../../bot/core/reminders/schedule.js';
import {
  eligibilityTimeSource,
  planItemSource,
  programmesChecked,
  reassessmentSource,
  refresherLapsingSource,
  unfinishedAssessmentSource,
} from '../../bot/core/reminders/sources.js';
import { DocumentStore } from '../../bot/storage/documentStore.js';
import { ReminderStore } from '../../bot/storage/reminderRepo.js';

const readJson = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../data/${file}`, import.meta.url), 'utf8'));
const rules = EligibilityRulesSchema.parse(readJson('eligibility.json'));
const data = RemindersDataSchema.parse(readJson('reminders.json'));
const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const AUCKLAND = 'Pacific/Auckland';

const settings: ReminderSettings = { perWeek: 3, hours: data.workingHours, defaultTimeZone: LONDON };
const unfinished = unfinishedAssessmentSource(data.kinds.unfinishedAssessment);
const reassess = reassessmentSource(data.kinds.reassessment, 6);
const eligibilityTime = eligibilityTimeSource(rules, data.kinds.eligibilityTime);
const refresher = refresherLapsingSource(rules, data.kinds.refresherLapsing);
const ALL = [unfinished, reassess, eligibilityTime, refresher];

// ---------------------------------------------------------------------------------------------------------
// People in the states the sources look at
// ---------------------------------------------------------------------------------------------------------

function inProgress(opts: { id?: string; startedAt: string; updatedAt: string; revision?: number }) {
  return {
    id: opts.id ?? 'a-current',
    level: 'trainee' as const,
    startedAt: opts.startedAt,
    updatedAt: opts.updatedAt,
    revision: opts.revision ?? 3,
    position: 2,
    ratings: {},
    notes: {},
    skipped: [],
  };
}

function completed(id: string, completedAt: string): CompletedAssessment {
  return { ...inProgress({ id, startedAt: completedAt, updatedAt: completedAt }), completedAt };
}

function assessments(opts: { current?: ReturnType<typeof inProgress>; history?: CompletedAssessment[] }) {
  const doc: AssessmentDoc = { schemaVersion: 1, userId: 'u1', history: opts.history ?? [] };
  if (opts.current) doc.current = opts.current;
  return doc;
}

function eligibility(answers: EligibilityAnswersInput, updatedAt: string): EligibilityDoc {
  return { userId: 'u1', answers: answers as EligibilityDoc['answers'], updatedAt, schemaVersion: 1 };
}

const person = (parts: Omit<PersonState, 'userKey'>): PersonState => ({ userKey: 'u1', ...parts });
const on = (today: string, timeZone = LONDON) => ({ today, timeZone });
const brief = (rs: Reminder[]) => rs.map((r) => ({ id: r.id, dueOn: r.dueOn, lastDay: r.lastDay }));

// ---------------------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------------------

describe('reminder sources', () => {
  describe('a development plan’s agreed items: 3 days before the target date, and the day after', () => {
    const planItems = planItemSource(data.kinds.planItem);
    const item = (
      id: string,
      status: 'proposed' | 'agreed' | 'done' | 'dropped',
      targetDate: string,
      owner: 'coder' | 'manager' = 'coder',
    ) => ({
      id,
      activityId: 'LMA12',
      activityText: 'Observe an experienced auditor presenting findings',
      servesAreas: ['CC3' as const],
      targetDate,
      owner,
      proposedBy: 'coder' as const,
      status,
      createdAt: '2026-11-01T09:00:00.000Z',
    });
    it('reminds of agreed items only, each twice, the id carrying the date so a new date is a new reminder', () => {
      const p = person({
        plan: {
          items: [
            item('i1', 'agreed', '2026-12-21'),
            item('i2', 'proposed', '2026-12-10'),
            item('i3', 'done', '2026-12-01'),
            item('i4', 'dropped', '2026-12-02'),
          ],
        },
      });
      assert.deepEqual(brief(planItems.remindersFor(p, on('2026-12-18'))), [
        { id: 'plan:i1:2026-12-21:due', dueOn: '2026-12-18', lastDay: '2026-12-21' },
        { id: 'plan:i1:2026-12-21:overdue', dueOn: '2026-12-22', lastDay: '2027-01-05' },
      ]);
    });
    it('says what is due, when and who does it', () => {
      const p = person({ plan: { items: [item('i1', 'agreed', '2026-12-21')] } });
      const [due, overdue] = planItems.remindersFor(p, on('2026-12-18'));
      assert.ok(due && overdue);
      const text = (r: Reminder) => fillWording(data.kinds.planItem.text, messageFacts(r), 'en-GB');
      assert.equal(
        text(due),
        '"Observe an experienced auditor presenting findings" is due on 21 December 2026 (you do it). When it is done, mark it done in /plan with what was done; if the date no longer works, drop it there with the reason and agree a new one.',
      );
      assert.match(
        text(overdue),
        /^"Observe an experienced auditor presenting findings" was due on 21 December 2026/,
      );
      assert.equal(
        fillWording(data.kinds.planItem.title, messageFacts(due), 'en-GB'),
        'Your development plan: an item is due on 21 December 2026',
      );
    });
    it('an item the line manager does reminds the manager, naming the coder, and not the coder', () => {
      const plan = { items: [item('m1', 'agreed', '2026-12-21', 'manager')] };
      assert.deepEqual(planItems.remindersFor(person({ plan }), on('2026-12-18')), []);
      const manager = person({
        managedPlans: [
          { coderName: 'Test alice', plan },
          { coderName: 'Test bob', plan: { items: [item('b1', 'agreed', '2026-12-30', 'coder')] } },
        ],
      });
      const reminders = planItems.remindersFor(manager, on('2026-12-18'));
      assert.deepEqual(brief(reminders), [
        { id: 'plan:m1:2026-12-21:due', dueOn: '2026-12-18', lastDay: '2026-12-21' },
        { id: 'plan:m1:2026-12-21:overdue', dueOn: '2026-12-22', lastDay: '2027-01-05' },
      ]);
      assert.equal(
        fillWording(data.kinds.planItem.title, messageFacts(reminders[0]!), 'en-GB'),
        "Test alice's development plan: an item is due on 21 December 2026",
      );
    });
  });

  describe('an unfinished self-assessment, 7 days after its last step', () => {
    const cases: [string, ReturnType<typeof inProgress> | undefined, string, ReturnType<typeof brief>][] = [
      [
        'last step on a Tuesday afternoon in London: due the Tuesday after, kept for two weeks',
        inProgress({ startedAt: '2026-11-10T09:00:00Z', updatedAt: '2026-11-17T16:30:00Z' }),
        LONDON,
        [{ id: 'unfinished:a-current:3', dueOn: '2026-11-24', lastDay: '2026-12-08' }],
      ],
      [
        'the same instant is already Wednesday in Auckland: their own day counts',
        inProgress({ startedAt: '2026-11-10T09:00:00Z', updatedAt: '2026-11-17T16:30:00Z' }),
        AUCKLAND,
        [{ id: 'unfinished:a-current:3', dueOn: '2026-11-25', lastDay: '2026-12-09' }],
      ],
      [
        'another step later is another pause: a new id',
        inProgress({ startedAt: '2026-11-10T09:00:00Z', updatedAt: '2026-11-20T10:00:00Z', revision: 7 }),
        LONDON,
        [{ id: 'unfinished:a-current:7', dueOn: '2026-11-27', lastDay: '2026-12-11' }],
      ],
      ['nothing in progress: nothing to remind of', undefined, LONDON, []],
    ];
    for (const [name, current, zone, want] of cases)
      it(name, () => {
        const p = person({ assessments: assessments({ current }) });
        assert.deepEqual(brief(unfinished.remindersFor(p, on('2026-11-24', zone))), want);
      });

    it('says when it was started and last answered', () => {
      const p = person({
        assessments: assessments({
          current: inProgress({ startedAt: '2026-11-10T09:00:00Z', updatedAt: '2026-11-17T16:30:00Z' }),
        }),
      });
      const [r] = unfinished.remindersFor(p, on('2026-11-24'));
      assert.deepEqual(messageFacts(r!), { startedOn: '2026-11-10', lastStepOn: '2026-11-17' });
    });
  });

  describe('a reassessment, REASSESS_MONTHS after the last completed one', () => {
    it('is due six months after the latest completed assessment, kept for four weeks', () => {
      const p = person({
        assessments: assessments({
          // Stored out of order: the latest is the one completed last, not the last in the list.
          history: [completed('a-may', '2026-05-20T10:00:00Z'), completed('a-jan', '2026-01-05T10:00:00Z')],
        }),
      });
      assert.deepEqual(brief(reassess.remindersFor(p, on('2026-06-01'))), [
        { id: 'reassess:a-may', dueOn: '2026-11-20', lastDay: '2026-12-18' },
      ]);
    });

    it('takes the months it is given, and a month without the day ends on its last day', () => {
      const p = person({ assessments: assessments({ history: [completed('a', '2026-08-31T12:00:00Z')] }) });
      const three = reassessmentSource(data.kinds.reassessment, 3).remindersFor(p, on('2026-09-01'));
      assert.equal(three[0]?.dueOn, '2026-11-30');
      assert.equal(reassess.remindersFor(p, on('2026-09-01'))[0]?.dueOn, '2027-02-28');
    });

    it('is not sent while another assessment is in progress (that one has its own reminder)', () => {
      const p = person({
        assessments: assessments({
          history: [completed('a', '2026-05-20T10:00:00Z')],
          current: inProgress({ startedAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-02T10:00:00Z' }),
        }),
      });
      assert.deepEqual(reassess.remindersFor(p, on('2026-11-20')), []);
    });

    it('needs a completed assessment', () => {
      assert.deepEqual(reassess.remindersFor(person({}), on('2026-11-20')), []);
    });
  });

  describe('the day a programme’s time rule is met, from saved /eligibility answers', () => {
    const ccap = { hasAcc: true, accDate: '2023-11-24', codersToolbox: true } as const;

    it('CCAP (over three years): the day after the third anniversary, in the engine’s own words', () => {
      const p = person({ eligibility: eligibility(ccap, '2026-01-05T10:00:00Z') });
      const rs = eligibilityTime.remindersFor(p, on('2026-11-25'));
      assert.deepEqual(brief(rs), [
        { id: 'eligibility:ccap:acc-held:2026-11-25', dueOn: '2026-11-25', lastDay: '2026-12-09' },
      ]);
      assert.equal(
        messageFacts(rs[0]!).detail,
        'You gained ACC status on 24 November 2023 and have held it for over three years: you meet this from today.',
      );
      assert.match(messageFacts(rs[0]!).outcome ?? '', /Check the rest of CCAP's requirements/);
    });

    it('sent later, it says when it was met rather than "from today"', () => {
      const p = person({ eligibility: eligibility(ccap, '2026-01-05T10:00:00Z') });
      const [r] = eligibilityTime.remindersFor(p, on('2026-11-30'));
      assert.match(messageFacts(r!).detail ?? '', /you met this on 25 November 2026\.$/);
    });

    it('when only time stood in the way, it says they can apply now', () => {
      const all = {
        ...ccap,
        ccsrcDate: '2026-01-01',
        specialties: ['general-medicine', 'surgical', 'trauma-orthopaedic', 'obstetrics'],
        codingStandardsExpertise: true,
        wordPowerPoint: true,
        reportWritingCourse: true,
      } satisfies EligibilityAnswersInput;
      const [r] = eligibilityTime.remindersFor(
        person({ eligibility: eligibility(all, '2026-01-05T10:00:00Z') }),
        on('2026-11-25'),
      );
      assert.equal(messageFacts(r!).outcome, 'On your saved answers you can now apply for CCAP.');
    });

    it('CCTP (two years or more, the 2012/13 rule): on the second anniversary, for someone who checked CCTP', () => {
      const p = person({
        eligibility: eligibility(
          { hasAcc: true, accDate: '2024-11-24', codingExperience: true },
          '2026-01-05T10:00:00Z',
        ),
      });
      assert.deepEqual(
        eligibilityTime.remindersFor(p, on('2026-11-24')).map((r) => r.id),
        ['eligibility:cctp:acc-held:2026-11-24'],
      );
    });

    it('nothing when the date had already passed when the answers were saved (the result card said so)', () => {
      const p = person({ eligibility: eligibility(ccap, '2026-11-26T10:00:00Z') });
      assert.deepEqual(eligibilityTime.remindersFor(p, on('2026-11-26')), []);
    });

    it('nothing without a date, or without ACC', () => {
      for (const answers of [
        { hasAcc: true, accDate: 'unknown', codersToolbox: true },
        { hasAcc: false, codersToolbox: true },
      ] as EligibilityAnswersInput[])
        assert.deepEqual(
          eligibilityTime.remindersFor(
            person({ eligibility: eligibility(answers, '2026-01-05T10:00:00Z') }),
            on('2026-11-25'),
          ),
          [],
        );
    });

    it('the programmes checked are those whose own questions were answered, else those sharing the answers', () => {
      const names = (a: EligibilityAnswersInput) =>
        programmesChecked(rules, a as EligibilityDoc['answers']).map((p) => p.id);
      assert.deepEqual(names({ hasAcc: true, accDate: '2023-11-24', codersToolbox: true }), ['ccap']);
      assert.deepEqual(names({ hasAcc: true, accDate: '2023-11-24', codingExperience: true }), ['cctp']);
      assert.deepEqual(names({ hasAcc: true, accDate: '2023-11-24' }), ['ccap', 'cctp']);
      assert.deepEqual(names({ level2English: 'yes' }), ['apprenticeship']);
      assert.deepEqual(names({}), []);
    });
  });

  describe('the refresher course (CCSRC) lapsing, 90 and 30 days before, under the three-year rule', () => {
    it('a course on 20 February 2024 counts up to 20 February 2027: reminders from 23 November and 22 January', () => {
      const p = person({ eligibility: eligibility({ ccsrcDate: '2024-02-20' }, '2026-01-05T10:00:00Z') });
      const rs = refresher.remindersFor(p, on('2026-11-24'));
      assert.deepEqual(brief(rs), [
        { id: 'refresher:ccap:ccsrc:2024-02-20:90', dueOn: '2026-11-23', lastDay: '2027-01-21' },
        { id: 'refresher:ccap:ccsrc:2024-02-20:30', dueOn: '2027-01-22', lastDay: '2027-02-20' },
      ]);
      assert.equal(rs[0]?.facts.daysLeft, '89', 'a day late, it says how many days are really left');
      assert.equal(rs[1]?.facts.daysLeft, '30');
      assert.equal(rs[0].facts.lapsesOn, '2027-02-21');
      assert.match(messageFacts(rs[0]).detail ?? '', /up to and including 20 February 2027/);
    });

    it('a reminder already due when the answers were saved is left out; the later one stays', () => {
      const p = person({ eligibility: eligibility({ ccsrcDate: '2024-02-20' }, '2026-12-01T10:00:00Z') });
      assert.deepEqual(
        refresher.remindersFor(p, on('2026-12-01')).map((r) => r.id),
        ['refresher:ccap:ccsrc:2024-02-20:30'],
      );
    });

    it('a course on 29 February counts to 28 February three years on (the calendar’s leap-day rule)', () => {
      const p = person({ eligibility: eligibility({ ccsrcDate: '2024-02-29' }, '2026-01-05T10:00:00Z') });
      const rs = refresher.remindersFor(p, on('2026-12-01'));
      assert.equal(rs[0]?.facts.lastDay, '2027-02-28');
      assert.equal(rs[0].facts.lapsesOn, '2027-03-01');
      assert.equal(rs[0].dueOn, '2026-12-01');
    });

    it('nothing for "I have not attended one" or "not sure"', () => {
      for (const ccsrcDate of ['none', 'unknown'])
        assert.deepEqual(
          refresher.remindersFor(
            person({ eligibility: eligibility({ ccsrcDate }, '2026-01-05T10:00:00Z') }),
            on('2026-11-24'),
          ),
          [],
        );
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// The engine: hours, cap, switches, order
// ---------------------------------------------------------------------------------------------------------

describe('the reminder engine', () => {
  describe('working hours, Monday to Friday 09:00 to 17:00 in the person’s zone', () => {
    const cases: [string, string, string, boolean][] = [
      ['Monday 09:00 in London (winter)', '2026-11-23T09:00:00Z', LONDON, true],
      ['Monday 08:59 in London', '2026-11-23T08:59:00Z', LONDON, false],
      ['Friday 16:59 in London', '2026-11-27T16:59:00Z', LONDON, true],
      ['Friday 17:00 in London', '2026-11-27T17:00:00Z', LONDON, false],
      ['Saturday 10:00 in London', '2026-11-28T10:00:00Z', LONDON, false],
      ['Monday 09:00 in London is 04:00 in New York', '2026-11-23T09:00:00Z', NEW_YORK, false],
      ['Monday 14:00 in London is 09:00 in New York', '2026-11-23T14:00:00Z', NEW_YORK, true],
      ['the first Monday of summer time: 08:30 UTC is 09:30 in London', '2026-03-30T08:30:00Z', LONDON, true],
      ['Sunday 21:00 UTC is already Monday 10:00 in Auckland', '2026-11-22T21:00:00Z', AUCKLAND, true],
    ];
    for (const [name, instant, zone, want] of cases)
      it(`${name}: ${want ? 'yes' : 'no'}`, () => {
        assert.equal(isWorkingTime(new Date(instant), zone, data.workingHours), want);
      });
  });

  const sentRecord = (
    week: string,
    status: 'sent' | 'claimed' = 'sent',
    claimedAt = '2026-11-23T09:00:00Z',
  ) => ({
    kind: 'reassessment' as ReminderKind,
    status,
    claimId: 'c',
    claimedAt,
    week,
    day: claimedAt.slice(0, 10),
    lastDay: '2026-12-31',
  });
  const docWith = (records: ReminderDoc['records'], off: ReminderKind[] = []): ReminderDoc => ({
    schemaVersion: 1,
    userKey: 'u1',
    off,
    records,
  });
  const TUESDAY_10 = new Date('2026-11-24T10:00:00Z');

  describe('the weekly cap', () => {
    const cases: [string, ReminderDoc['records'], Date, boolean][] = [
      [
        'two sent this week: one more may go',
        { a: sentRecord('2026-W48'), b: sentRecord('2026-W48') },
        TUESDAY_10,
        true,
      ],
      [
        'three sent this week: none',
        { a: sentRecord('2026-W48'), b: sentRecord('2026-W48'), c: sentRecord('2026-W48') },
        TUESDAY_10,
        false,
      ],
      [
        'three last week: the new week starts afresh',
        { a: sentRecord('2026-W47'), b: sentRecord('2026-W47'), c: sentRecord('2026-W47') },
        TUESDAY_10,
        true,
      ],
      [
        'two sent and one being sent (a claim within its lease) count as three',
        {
          a: sentRecord('2026-W48'),
          b: sentRecord('2026-W48'),
          c: sentRecord('2026-W48', 'claimed', '2026-11-24T09:55:00Z'),
        },
        TUESDAY_10,
        false,
      ],
      [
        'a claim left by a crashed run, past its lease, does not count',
        {
          a: sentRecord('2026-W48'),
          b: sentRecord('2026-W48'),
          c: sentRecord('2026-W48', 'claimed', '2026-11-24T09:00:00Z'),
        },
        TUESDAY_10,
        true,
      ],
    ];
    for (const [name, records, now, open] of cases)
      it(name, () => {
        const g = gate(docWith(records), LONDON, now, settings);
        assert.equal(g.open, open, JSON.stringify(g));
        if (!g.open) assert.equal(g.reason, 'weeklyCap');
      });

    it('counts in the person’s own week: Sunday 23:30 in London is Monday in Auckland', () => {
      const sunday = new Date('2026-11-29T23:30:00Z');
      assert.equal(localTime(sunday, AUCKLAND).weekday, 1);
      const records = { a: sentRecord('2026-W48'), b: sentRecord('2026-W48'), c: sentRecord('2026-W48') };
      assert.equal(countInWeek(docWith(records), '2026-W49', sunday), 0);
      assert.equal(gate(docWith(records), AUCKLAND, sunday, settings).open, true);
    });

    it('one a day: after one this morning, none until tomorrow, whatever is due', () => {
      const morning = { a: sentRecord('2026-W48', 'sent', '2026-11-24T09:00:00Z') };
      assert.deepEqual(gate(docWith(morning), LONDON, TUESDAY_10, settings), {
        open: false,
        reason: 'doneToday',
      });
      assert.equal(gate(docWith(morning), LONDON, new Date('2026-11-25T09:00:00Z'), settings).open, true);
    });

    it('takes REMINDERS_PER_WEEK as given', () => {
      const one = { a: sentRecord('2026-W48') };
      assert.equal(gate(docWith(one), LONDON, TUESDAY_10, { ...settings, perWeek: 1 }).open, false);
      assert.equal(gate(docWith(one), LONDON, TUESDAY_10, { ...settings, perWeek: 2 }).open, true);
    });
  });

  describe('what goes now', () => {
    const due = (): PersonState =>
      person({
        assessments: assessments({
          current: inProgress({ startedAt: '2026-11-01T09:00:00Z', updatedAt: '2026-11-10T09:00:00Z' }),
        }),
        eligibility: eligibility(
          { hasAcc: true, accDate: '2023-11-20', codersToolbox: true, ccsrcDate: '2024-02-20' },
          '2026-01-05T10:00:00Z',
        ),
      });
    /** The gate as open on that day (what it would say of the cap and the day is tested above). */
    const open = (_doc: ReminderDoc | undefined, now = TUESDAY_10) => ({
      open: true as const,
      timeZone: LONDON,
      today: localTime(now, LONDON).date,
      week: weekOf(now, LONDON),
    });

    it('the earliest due first: the unfinished assessment (17 Nov), then eligibility (21 Nov), then the refresher (23 Nov)', () => {
      const order: string[] = [];
      let doc = docWith({});
      for (;;) {
        const r = dueNow(due(), doc, ALL, open(doc), TUESDAY_10);
        if (!r) break;
        order.push(r.kind);
        doc = docWith({ ...doc.records, [r.id]: { ...sentRecord('2026-W47'), kind: r.kind } });
      }
      assert.deepEqual(order, ['unfinishedAssessment', 'eligibilityTime', 'refresherLapsing']);
    });

    it('a kind switched off is never due; every kind off closes the gate', () => {
      const doc = docWith({}, ['unfinishedAssessment']);
      assert.equal(dueNow(due(), doc, ALL, open(doc), TUESDAY_10)?.kind, 'eligibilityTime');
      const allOff = docWith({}, [
        'unfinishedAssessment',
        'reassessment',
        'eligibilityTime',
        'refresherLapsing',
        'planItem',
      ]);
      assert.deepEqual(gate(allOff, LONDON, TUESDAY_10, settings), { open: false, reason: 'allOff' });
    });

    it('one sent is not due again; one being sent waits for its lease; one past its last day is dropped', () => {
      const first = dueNow(due(), undefined, ALL, open(undefined), TUESDAY_10)!;
      const sent = docWith({ [first.id]: sentRecord('2026-W48') });
      assert.notEqual(dueNow(due(), sent, ALL, open(sent), TUESDAY_10)?.id, first.id);
      const claimed = docWith({ [first.id]: sentRecord('2026-W48', 'claimed', '2026-11-24T09:59:00Z') });
      assert.notEqual(dueNow(due(), claimed, ALL, open(claimed), TUESDAY_10)?.id, first.id);
      const later = new Date(TUESDAY_10.getTime() + REMINDER_LEASE_MS + 1);
      assert.equal(dueNow(due(), claimed, ALL, open(claimed, later), later)?.id, first.id);
      // The unfinished reminder was due 17 November and kept two weeks: gone by 2 December.
      const december = new Date('2026-12-02T10:00:00Z');
      assert.notEqual(
        dueNow(due(), undefined, ALL, open(undefined, december), december)?.kind,
        'unfinishedAssessment',
      );
    });

    it('outside working hours the gate is closed whatever is due', () => {
      assert.deepEqual(gate(undefined, LONDON, new Date('2026-11-24T07:00:00Z'), settings), {
        open: false,
        reason: 'outsideHours',
      });
    });

    it('/reminders lists what is coming, earliest first, with what was sent marked so', () => {
      const s = scheduleFor(
        due(),
        docWith({ 'unfinished:a-current:3': sentRecord('2026-W47') }),
        ALL,
        TUESDAY_10,
        LONDON,
      );
      assert.deepEqual(
        s.items.map((i) => [i.reminder.kind, i.reminder.dueOn, i.status]),
        [
          ['unfinishedAssessment', '2026-11-17', 'sent'],
          ['eligibilityTime', '2026-11-21', 'due'],
          ['refresherLapsing', '2026-11-23', 'due'],
          ['refresherLapsing', '2027-01-22', 'upcoming'],
        ],
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Claims over a storage with eTags
// ---------------------------------------------------------------------------------------------------------

describe('claiming a reminder: once, whatever runs at the same time', () => {
  const reminder: Reminder = {
    id: 'reassess:a1',
    kind: 'reassessment',
    dueOn: '2026-11-20',
    lastDay: '2026-12-18',
    facts: {},
  };
  const NOW = new Date('2026-11-24T10:00:00Z');
  const claimAt = (repo: ReminderStore, claimId: string, now = NOW, r = reminder) =>
    claimReminder(repo, { userKey: 'u1', reminder: r, now, claimId, timeZone: LONDON, settings });

  it('of ten runs claiming at once, exactly one has it', async () => {
    const repo = new ReminderStore(new DocumentStore(new MemoryStorage()));
    const won = await Promise.all(Array.from({ length: 10 }, (_, i) => claimAt(repo, `run-${i}`)));
    assert.equal(won.filter(Boolean).length, 1);
  });

  it('sent is final; released is claimable again; a crashed run’s claim is taken over after the lease', async () => {
    const repo = new ReminderStore(new DocumentStore(new MemoryStorage()));
    assert.ok(await claimAt(repo, 'crashed'));
    assert.equal(await claimAt(repo, 'second', new Date(NOW.getTime() + 60_000)), false, 'within the lease');
    const later = new Date(NOW.getTime() + REMINDER_LEASE_MS + 1000);
    assert.ok(await claimAt(repo, 'taker', later), 'after the lease');
    await markReminderSent(repo, { userKey: 'u1', id: reminder.id, claimId: 'crashed', now: later });
    assert.equal((await repo.get('u1'))?.records[reminder.id]?.status, 'claimed', 'only the holder records');
    await markReminderSent(repo, { userKey: 'u1', id: reminder.id, claimId: 'taker', now: later });
    const muchLater = new Date(later.getTime() + 2 * REMINDER_LEASE_MS);
    assert.equal(await claimAt(repo, 'again', muchLater), false, 'sent is never sent again');

    const other = { ...reminder, id: 'reassess:a2' };
    const nextDay = new Date(NOW.getTime() + 24 * 3600 * 1000);
    assert.equal(await claimAt(repo, 'first', later, other), false, 'one a day');
    assert.ok(await claimAt(repo, 'first', nextDay, other));
    await releaseReminder(repo, { userKey: 'u1', id: other.id, claimId: 'first' });
    assert.ok(await claimAt(repo, 'retry', nextDay, other), 'given back, it is tried again');
  });

  it('one a day and the weekly cap hold across runs: four reminders claimed at once each day go Tuesday, Wednesday, Thursday', async () => {
    const repo = new ReminderStore(new DocumentStore(new MemoryStorage()));
    const ids = ['r1', 'r2', 'r3', 'r4'].map((id) => ({ ...reminder, id }));
    const wonBy: number[] = [];
    for (const day of ['24', '25', '26', '27']) {
      const at = new Date(`2026-11-${day}T10:00:00Z`);
      const won = await Promise.all(ids.map((r, i) => claimAt(repo, `run-${day}-${i}`, at, r)));
      wonBy.push(won.filter(Boolean).length);
      for (const [i, w] of won.entries())
        if (w)
          await markReminderSent(repo, {
            userKey: 'u1',
            id: ids[i]!.id,
            claimId: `run-${day}-${i}`,
            now: at,
          });
    }
    assert.deepEqual(wonBy, [1, 1, 1, 0]);
  });

  it('a kind switched off after the plan is not claimed', async () => {
    const repo = new ReminderStore(new DocumentStore(new MemoryStorage()));
    await switchKind(repo, 'u1', 'reassessment', false);
    assert.equal(await claimAt(repo, 'run'), false);
    await switchKind(repo, 'u1', 'reassessment', true);
    assert.ok(await claimAt(repo, 'run'));
  });

  it('records past their use are dropped as new ones are claimed', async () => {
    const repo = new ReminderStore(new DocumentStore(new MemoryStorage()));
    const old = { ...reminder, id: 'old', lastDay: '2026-06-01' };
    assert.ok(await claimAt(repo, 'c1', new Date('2026-05-20T10:00:00Z'), old));
    await markReminderSent(repo, {
      userKey: 'u1',
      id: 'old',
      claimId: 'c1',
      now: new Date('2026-05-20T10:00:00Z'),
    });
    assert.ok(await claimAt(repo, 'c2'));
    assert.deepEqual(Object.keys((await repo.get('u1'))?.records ?? {}), [reminder.id]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------------------------

describe('reminder wording (data/reminders.json)', () => {
  it('fills placeholders, writing calendar dates as people read them', () => {
    assert.equal(
      fillWording('Last answered on {lastStepOn}, {n} left, {missing}', { lastStepOn: '2026-11-17', n: '3' }),
      'Last answered on 17 November 2026, 3 left, {missing}',
    );
  });

  it('refuses wording that names something its kind does not know, or hours that end before they start', () => {
    const raw = readJson('reminders.json') as {
      kinds: Record<string, Record<string, unknown>>;
      workingHours: object;
    };
    const bad = structuredClone(raw);
    bad.kinds.reassessment!.text = 'Since {startedOn}';
    bad.workingHours = { weekdays: [1], from: '17:00', until: '09:00' };
    const r = RemindersDataSchema.safeParse(bad);
    assert.equal(r.success, false);
    const messages = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    assert.match(messages, /kinds\.reassessment\.text: \{startedOn\} is not something this kind knows/);
    assert.match(messages, /workingHours: from must be before until/);
  });

  it('every reminder any source makes fills every placeholder of its title, text and schedule line', () => {
    const p = person({
      assessments: assessments({
        current: inProgress({ startedAt: '2026-11-01T09:00:00Z', updatedAt: '2026-11-10T09:00:00Z' }),
        history: [completed('a0', '2026-05-01T09:00:00Z')],
      }),
      eligibility: eligibility(
        { hasAcc: true, accDate: '2023-11-20', codersToolbox: true, ccsrcDate: '2024-02-20' },
        '2026-01-05T10:00:00Z',
      ),
    });
    const sources: ReminderSource[] = [...ALL, reassessmentSource(data.kinds.reassessment, 6)];
    const made = [
      ...sources.flatMap((s) => s.remindersFor(p, on('2026-11-24'))),
      ...reassess.remindersFor(
        person({ assessments: assessments({ history: [completed('a0', '2026-05-01T09:00:00Z')] }) }),
        on('2026-11-24'),
      ),
    ];
    assert.deepEqual([...new Set(made.map((r) => r.kind))].sort(), [
      'eligibilityTime',
      'reassessment',
      'refresherLapsing',
      'unfinishedAssessment',
    ]);
    for (const r of made)
      for (const text of [data.kinds[r.kind].title, data.kinds[r.kind].text, data.kinds[r.kind].scheduled])
        assert.doesNotMatch(fillWording(text, messageFacts(r)), /\{[A-Za-z]+\}/, `${r.id}: ${text}`);
  });
});
