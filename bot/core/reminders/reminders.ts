import type { PlanDoc } from '../plan/plan.js';
import { z } from 'zod';
import type { AssessmentDates } from '../assessment/assessment.js';
import { formatDay, parseIsoDate } from '../calendar.js';
import type { EligibilityDoc } from '../eligibility/eligibilitySchema.js';

/*
 * Reminders: time-based nudges to a person's personal chat, from one engine. A source looks at one
 * person's state on a day and says which reminders it holds, each with a stable id, the first day it
 * may be sent and the last day it is still worth sending. The engine (schedule.ts) decides which one
 * goes now: the person's working hours, their switches, the weekly cap and what was already sent.
 * Wording and timings are data (data/reminders.json); who receives what is never decided here by
 * anything but the person's own state and choices.
 */

/**
 * Every kind of reminder. A new source adds its kind here, its wording to data/reminders.json
 * (RemindersDataSchema below holds the two equal) and itself to the list built in app.ts.
 */
export const ReminderKindSchema = z.enum([
  'unfinishedAssessment',
  'reassessment',
  'eligibilityTime',
  'refresherLapsing',
  'planItem',
]);
export type ReminderKind = z.infer<typeof ReminderKindSchema>;
export const REMINDER_KINDS: readonly ReminderKind[] = ReminderKindSchema.options;

/** One reminder a source holds for a person. */
export interface Reminder {
  /** Stable across passes, restarts and instances ("reassess:<assessmentId>"): what "sent once" is keyed by. */
  id: string;
  kind: ReminderKind;
  /** The first local day ("YYYY-MM-DD", in the person's zone) it may be sent. */
  dueOn: string;
  /** The last local day it is still worth sending; after it, a reminder never sent is dropped. */
  lastDay: string;
  /** What the wording's {placeholders} are filled with; calendar dates are written as people read them. */
  facts: Record<string, string>;
  /**
   * What only the message says (the eligibility engine's own words on the day), worked out when the
   * reminder is sent or shown, not for everyone a pass looks at.
   */
  words?: () => Record<string, string>;
}

/** Everything a reminder's message is filled with: its facts and its words. */
export function messageFacts(reminder: Reminder): Record<string, string> {
  return { ...reminder.facts, ...reminder.words?.() };
}

/**
 * What the sources look at for one person; a part is absent when the person has none. A source that
 * needs something else (plans, for "a plan item due in 3 days") adds its part here and to the reader
 * that app.ts builds, and nothing else changes.
 */
export interface PersonState {
  userKey: string;
  /** When self-assessments were started, last stepped and completed (not their answers). */
  assessments?: AssessmentDates;
  eligibility?: EligibilityDoc;
  /** Their development plan, for its agreed items' target dates. */
  plan?: PlanDoc;
  /** As a line manager: the plans of coders who share with them, for the items the manager does. */
  managedPlans?: { coderName: string; plan: PlanDoc }[];
}

/** The day as the person lives it, for a source. */
interface SourceDay {
  /** Today in the person's zone. */
  today: string;
  /** The person's zone, for turning stored instants (an assessment's last step) into their days. */
  timeZone: string;
}

/**
 * A kind of reminder, as a pure function of a person's state and the day: every reminder it holds
 * for them, sent or not, due or still to come (the engine filters). It reads nothing and sends nothing.
 */
export interface ReminderSource {
  kind: ReminderKind;
  remindersFor(person: PersonState, day: SourceDay): Reminder[];
}

// ---------------------------------------------------------------------------------------------------------
// What is stored per person
// ---------------------------------------------------------------------------------------------------------

const IsoDateSchema = z.string().refine((s) => parseIsoDate(s) !== null, 'not a YYYY-MM-DD date');
const InstantSchema = z.iso.datetime({ offset: true });

/** One reminder claimed or sent: the claim-once record, as the weekly digest keeps its week. */
const ReminderRecordSchema = z.object({
  kind: ReminderKindSchema,
  status: z.enum(['claimed', 'sent']),
  claimId: z.string().min(1),
  claimedAt: InstantSchema,
  sentAt: InstantSchema.optional(),
  /** The person's ISO week and day when it was claimed: what the weekly cap and one-a-day count. */
  week: z.string(),
  day: IsoDateSchema,
  /** The reminder's last day: the record is kept a week past it, then dropped. */
  lastDay: IsoDateSchema,
});
export type ReminderRecord = z.infer<typeof ReminderRecordSchema>;

/**
 * One small document per person, written only once they have had a reminder or switched a kind off:
 * their switches, and what was claimed or sent. (Their zone is kept with their conversation
 * references, which every message already refreshes.)
 */
export const ReminderDocSchema = z.object({
  schemaVersion: z.literal(1),
  userKey: z.string().min(1),
  /** Kinds the person switched off with /reminders. */
  off: z.array(ReminderKindSchema).default([]),
  /** Reminder id → its record. */
  records: z.record(z.string(), ReminderRecordSchema).default({}),
});
export type ReminderDoc = z.infer<typeof ReminderDocSchema>;

/** A person's reminder document as it is before anything was stored. */
export function newReminderDoc(userKey: string): ReminderDoc {
  return { schemaVersion: 1, userKey, off: [], records: {} };
}

/** The reminders' storage (implemented in bot/storage/reminderRepo.ts). */
export interface ReminderRepo {
  get(userKey: string): Promise<ReminderDoc | undefined>;
  /** Read-modify-write with the document's eTag; undefined from `change` leaves it. */
  update(
    userKey: string,
    change: (doc: ReminderDoc | undefined) => ReminderDoc | undefined,
  ): Promise<ReminderDoc | undefined>;
  remove(userKey: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// data/reminders.json: working hours, timings and wording
// ---------------------------------------------------------------------------------------------------------

/**
 * The placeholders each kind's source fills: `facts` everywhere, `words` in the message only (the
 * schedule's line is written without them). Wording that names any other fails at start-up.
 */
const REMINDER_FACTS: Record<ReminderKind, { facts: readonly string[]; words: readonly string[] }> = {
  unfinishedAssessment: { facts: ['lastStepOn'], words: ['startedOn'] },
  reassessment: { facts: ['completedOn', 'months'], words: [] },
  eligibilityTime: { facts: ['programme', 'programmeName', 'metOn'], words: ['detail', 'outcome'] },
  refresherLapsing: {
    facts: ['programme', 'attendedOn', 'lastDay', 'lapsesOn', 'daysLeft'],
    words: ['detail'],
  },
  planItem: { facts: ['activity', 'targetDate', 'doer', 'when', 'plan'], words: [] },
};

/** The placeholders a kind's `about` line may use: its timings, filled by aboutFacts. */
const ABOUT_FACTS: Record<ReminderKind, readonly string[]> = {
  unfinishedAssessment: ['afterDays'],
  reassessment: ['months'],
  eligibilityTime: [],
  refresherLapsing: ['daysBefore'],
  planItem: ['daysBefore'],
};

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time written HH:MM');
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const days = z.number().int().min(1).max(366);

/** A kind's words: its name and what it is for on /reminders, its line in the schedule, and the message. */
const KindWordingSchema = z.object({
  name: z.string().min(1),
  about: z.string().min(1),
  /** The schedule's line for one reminder of this kind. */
  scheduled: z.string().min(1),
  title: z.string().min(1),
  text: z.string().min(1),
  button: z.object({ title: z.string().min(1), command: z.string().regex(/^\/[a-z]+$/) }),
});

export const RemindersDataSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** When reminders may arrive, in the person's own zone: ISO weekdays (Monday 1) and [from, until). */
    workingHours: z
      .object({ weekdays: z.array(z.number().int().min(1).max(7)).min(1), from: HHMM, until: HHMM })
      .refine((h) => minutesOf(h.from) < minutesOf(h.until), 'from must be before until'),
    kinds: z.object({
      unfinishedAssessment: KindWordingSchema.extend({ afterDays: days, keepDays: days }),
      reassessment: KindWordingSchema.extend({ keepDays: days }),
      eligibilityTime: KindWordingSchema.extend({
        keepDays: days,
        /** What follows, by the programme's verdict on the day: {outcome} in the text. */
        outcomes: z.object({ eligible: z.string().min(1), notYet: z.string().min(1), unknown: z.string() }),
      }),
      refresherLapsing: KindWordingSchema.extend({
        /** Days before the course stops counting, earliest first (90, then 30). */
        daysBefore: z
          .array(days)
          .min(1)
          .refine((d) => d.every((n, i) => i === 0 || n < (d[i - 1] ?? 0)), 'largest first, no repeats'),
      }),
      planItem: KindWordingSchema.extend({
        /** Days before an agreed item's target date for the "due" reminder; the day after it, "overdue". */
        daysBefore: days,
        keepDays: days,
        /** {when}: how the item stands, by which of the two reminders it is. */
        when: z.object({ due: z.string().min(1), overdue: z.string().min(1) }),
        /** {doer}: who does the item, as the person reminded reads it. */
        doer: z.object({ coder: z.string().min(1), manager: z.string().min(1) }),
        /** {plan}: whose plan, for the coder and, with {coder}, for the line manager. */
        plan: z.object({ own: z.string().min(1), coders: z.string().includes('{coder}') }),
      }),
    }),
  })
  .superRefine((data, ctx) => {
    for (const kind of REMINDER_KINDS) {
      const w = data.kinds[kind];
      const { facts, words } = REMINDER_FACTS[kind];
      const texts: [string, string, readonly string[]][] = [
        ['about', w.about, ABOUT_FACTS[kind]],
        ['scheduled', w.scheduled, facts],
        ['title', w.title, [...facts, ...words]],
        ['text', w.text, [...facts, ...words]],
      ];
      for (const [field, text, allowed] of texts)
        for (const name of placeholders(text))
          if (!allowed.includes(name))
            ctx.addIssue({
              code: 'custom',
              path: ['kinds', kind, field],
              message: `{${name}} is not something this kind knows here (it knows ${allowed.map((a) => `{${a}}`).join(', ') || 'none'})`,
            });
    }
    for (const [verdict, text] of Object.entries(data.kinds.eligibilityTime.outcomes))
      for (const name of placeholders(text))
        if (name !== 'programme' && name !== 'programmeName')
          ctx.addIssue({
            code: 'custom',
            path: ['kinds', 'eligibilityTime', 'outcomes', verdict],
            message: `{${name}}: an outcome knows only {programme} and {programmeName}`,
          });
  });
export type RemindersData = z.infer<typeof RemindersDataSchema>;
export type WorkingHours = RemindersData['workingHours'];

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1] ?? '');
}

/**
 * Wording with its {placeholders} filled from the facts; a fact that is a calendar date is written as
 * people read it ("14 March 2027", in the locale). A placeholder with no fact is left as it is, so a
 * test sees it rather than a blank.
 */
export function fillWording(text: string, facts: Record<string, string>, locale?: string): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
    const value = facts[name];
    if (value === undefined) return whole;
    return parseIsoDate(value) ? formatDay(value, locale) : value;
  });
}

/** What a kind's `about` line on /reminders is filled with: its timings. */
export function aboutFacts(
  data: RemindersData,
  reassessMonths: number,
): Record<ReminderKind, Record<string, string>> {
  const before = data.kinds.refresherLapsing.daysBefore.map(String);
  return {
    unfinishedAssessment: { afterDays: String(data.kinds.unfinishedAssessment.afterDays) },
    reassessment: { months: String(reassessMonths) },
    eligibilityTime: {},
    planItem: { daysBefore: String(data.kinds.planItem.daysBefore) },
    refresherLapsing: {
      daysBefore:
        before.length > 1 ? `${before.slice(0, -1).join(', ')} and ${before.at(-1) ?? ''}` : before.join(''),
    },
  };
}

/** Minutes since midnight of "HH:MM". */
export function minutesOfDay(hhmm: string): number {
  return minutesOf(hhmm);
}
