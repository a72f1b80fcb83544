import { addDays, isoWeekday, localTime, weekOfDate } from '../calendar.js';
import { CLAIM_LEASE_MS } from '../digest/digestRun.js';
import { withoutKeys } from '../records.js';
import {
  REMINDER_KINDS,
  minutesOfDay,
  newReminderDoc,
  type PersonState,
  type Reminder,
  type ReminderDoc,
  type ReminderKind,
  type ReminderRecord,
  type ReminderRepo,
  type ReminderSource,
  type WorkingHours,
} from './reminders.js';

/*
 * The reminder engine: which of a person's reminders goes now, and the claim that sends it once. Every
 * rule a person notices is here: only in their working hours, in their zone; at most `perWeek` in
 * their week and one a day; never a kind they switched off. (Only to a personal chat the bot can
 * still reach: that is the glue's, from the conversation references.) The claim is the weekly
 * digest's: a record written with the document's eTag, a lease after which a crashed run's claim is
 * taken over, and "sent" recorded after the send.
 */

/** How a pass works: the weekly cap, the hours, and the zone of a person who never gave one. */
export interface ReminderSettings {
  perWeek: number;
  hours: WorkingHours;
  /** The bot's zone (TIME_ZONE), for someone whose activities never said theirs. */
  defaultTimeZone: string;
}

/** A claim older than this belongs to a run that crashed (as for the digest), and is taken over. */
export const REMINDER_LEASE_MS = CLAIM_LEASE_MS;

/** Records are kept a week past their reminder's last day, long enough to count in the weekly cap. */
const KEEP_RECORDS_DAYS = 7;

/** The zone a person's reminders keep to: theirs, as Teams last gave it, else the bot's. */
export function zoneOf(given: string | undefined, settings: ReminderSettings): string {
  return given ?? settings.defaultTimeZone;
}

/** Whether the instant is within working hours ([from, until) on a working weekday) in the zone. */
export function isWorkingTime(now: Date, timeZone: string, hours: WorkingHours): boolean {
  return isWorkingClock(localTime(now, timeZone), hours);
}

function isWorkingClock(t: { weekday: number; minutes: number }, hours: WorkingHours): boolean {
  return (
    hours.weekdays.includes(t.weekday) &&
    t.minutes >= minutesOfDay(hours.from) &&
    t.minutes < minutesOfDay(hours.until)
  );
}

/**
 * The first day a reminder due on `dueOn` can arrive: that day, or the next working weekday (a
 * reminder due on a Sunday comes on Monday). The weekly cap may hold it longer.
 */
export function firstWorkingDay(dueOn: string, hours: WorkingHours): string {
  let day = dueOn;
  for (let i = 0; i < 7 && !hours.weekdays.includes(isoWeekday(day)); i++) day = addDays(day, 1);
  return day;
}

/** Sent, or claimed by a run whose lease has not run out. */
function taken(record: ReminderRecord | undefined, now: Date): boolean {
  if (!record) return false;
  return record.status === 'sent' || now.getTime() - Date.parse(record.claimedAt) < REMINDER_LEASE_MS;
}

/** Reminders sent (or being sent) to the person in their ISO week: what the weekly cap counts. */
export function countInWeek(doc: ReminderDoc | undefined, week: string, now: Date): number {
  return Object.values(doc?.records ?? {}).filter((r) => r.week === week && taken(r, now)).length;
}

/** Whether a reminder was sent (or is being sent) to the person on this day of theirs. */
function hadOneOn(doc: ReminderDoc | undefined, day: string, now: Date): boolean {
  return Object.values(doc?.records ?? {}).some((r) => r.day === day && taken(r, now));
}

function isOff(doc: ReminderDoc | undefined, kind: ReminderKind): boolean {
  return doc?.off.includes(kind) ?? false;
}

export type Gate =
  | { open: true; timeZone: string; today: string; week: string }
  | { open: false; reason: 'outsideHours' | 'weeklyCap' | 'doneToday' | 'allOff' };

/**
 * Whether anything may be sent to the person now, in their zone, from their reminder document alone
 * (so a pass reads nothing else for someone asleep, capped or with every kind off).
 */
export function gate(
  doc: ReminderDoc | undefined,
  timeZone: string,
  now: Date,
  settings: ReminderSettings,
): Gate {
  if (REMINDER_KINDS.every((k) => isOff(doc, k))) return { open: false, reason: 'allOff' };
  const clock = localTime(now, timeZone);
  if (!isWorkingClock(clock, settings.hours)) return { open: false, reason: 'outsideHours' };
  const today = clock.date;
  const week = weekOfDate(today);
  if (countInWeek(doc, week, now) >= settings.perWeek) return { open: false, reason: 'weeklyCap' };
  // Several due at once arrive a working day apart, not an hour apart.
  if (hadOneOn(doc, today, now)) return { open: false, reason: 'doneToday' };
  return { open: true, timeZone, today, week };
}

/**
 * The one reminder to send the person now, if any: of the kinds switched on, due today (on or after
 * its first day, not past its last), neither sent nor being sent; the earliest due first, then in the
 * order of the sources, then by id. One at a time: the gate lets one through a day.
 */
export function dueNow(
  person: PersonState,
  doc: ReminderDoc | undefined,
  sources: readonly ReminderSource[],
  open: Extract<Gate, { open: true }>,
  now: Date,
): Reminder | undefined {
  const due: { reminder: Reminder; order: number }[] = [];
  sources.forEach((source, order) => {
    if (isOff(doc, source.kind)) return;
    for (const reminder of source.remindersFor(person, { today: open.today, timeZone: open.timeZone }))
      if (
        reminder.dueOn <= open.today &&
        open.today <= reminder.lastDay &&
        !taken(doc?.records[reminder.id], now)
      )
        due.push({ reminder, order });
  });
  due.sort(
    (a, b) =>
      a.reminder.dueOn.localeCompare(b.reminder.dueOn) ||
      a.order - b.order ||
      a.reminder.id.localeCompare(b.reminder.id),
  );
  return due[0]?.reminder;
}

export interface ScheduledReminder {
  reminder: Reminder;
  /** Sent; due (it goes in the person's next working hour, the weekly cap allowing); or still to come. */
  status: 'sent' | 'due' | 'upcoming';
}

/**
 * What /reminders lists: every reminder the sources hold for the person that is not past its last
 * day, of every kind (a kind switched off is listed, and shown off), earliest first.
 */
export function scheduleFor(
  person: PersonState,
  doc: ReminderDoc | undefined,
  sources: readonly ReminderSource[],
  now: Date,
  timeZone: string,
): { timeZone: string; today: string; items: ScheduledReminder[] } {
  const today = localTime(now, timeZone).date;
  const items = sources
    .flatMap((s) => s.remindersFor(person, { today, timeZone }))
    .filter((r) => today <= r.lastDay)
    .map((reminder): ScheduledReminder => {
      const status = doc?.records[reminder.id]?.status === 'sent' ? 'sent' : undefined;
      return { reminder, status: status ?? (reminder.dueOn <= today ? 'due' : 'upcoming') };
    })
    .sort((a, b) => a.reminder.dueOn.localeCompare(b.reminder.dueOn));
  return { timeZone, today, items };
}

// ---------------------------------------------------------------------------------------------------------
// Claim, send, record: each reminder once, across restarts and instances
// ---------------------------------------------------------------------------------------------------------

/**
 * Claims a reminder for one run, so that exactly one run sends it: written with the person's document's
 * eTag, after checking again everything the plan checked (switched on, in working hours, not sent or
 * being sent, under the weekly cap and the day's one), since another instance may have moved on since.
 * Returns whether this run has it. Records past their use are dropped on the way.
 */
export async function claimReminder(
  repo: ReminderRepo,
  claim: {
    userKey: string;
    reminder: Reminder;
    now: Date;
    claimId: string;
    timeZone: string;
    settings: ReminderSettings;
  },
): Promise<boolean> {
  const { userKey, reminder, now, claimId, timeZone, settings } = claim;
  const stored = await repo.update(userKey, (current) => {
    const doc = current ?? newReminderDoc(userKey);
    const open = gate(doc, timeZone, now, settings);
    if (!open.open || isOff(doc, reminder.kind) || taken(doc.records[reminder.id], now)) return undefined;
    const keepFrom = addDays(open.today, -KEEP_RECORDS_DAYS);
    const records = Object.fromEntries(
      Object.entries(doc.records).filter(
        ([, r]) => r.lastDay >= keepFrom || (r.status === 'claimed' && taken(r, now)),
      ),
    );
    records[reminder.id] = {
      kind: reminder.kind,
      status: 'claimed',
      claimId,
      claimedAt: now.toISOString(),
      week: open.week,
      day: open.today,
      lastDay: reminder.lastDay,
    };
    return { ...doc, records };
  });
  return stored?.records[reminder.id]?.claimId === claimId;
}

/** Sent under this claim: recorded, so no run sends it again. */
export async function markReminderSent(
  repo: ReminderRepo,
  sent: { userKey: string; id: string; claimId: string; now: Date },
): Promise<void> {
  await repo.update(sent.userKey, (doc) => {
    const r = doc?.records[sent.id];
    if (!doc || r?.claimId !== sent.claimId) return undefined;
    return {
      ...doc,
      records: { ...doc.records, [sent.id]: { ...r, status: 'sent', sentAt: sent.now.toISOString() } },
    };
  });
}

/** Not delivered: the claim is given back, so the next pass tries again. */
export async function releaseReminder(
  repo: ReminderRepo,
  released: { userKey: string; id: string; claimId: string },
): Promise<void> {
  await repo.update(released.userKey, (doc) => {
    if (!doc || doc.records[released.id]?.claimId !== released.claimId) return undefined;
    return { ...doc, records: withoutKeys(doc.records, [released.id]) };
  });
}

/** Switches a kind of reminder off or on for the person (/reminders). */
export async function switchKind(
  repo: ReminderRepo,
  userKey: string,
  kind: ReminderKind,
  on: boolean,
): Promise<ReminderDoc | undefined> {
  return repo.update(userKey, (current) => {
    const doc = current ?? newReminderDoc(userKey);
    if (doc.off.includes(kind) === !on) return undefined;
    const off = doc.off.filter((k) => k !== kind);
    return { ...doc, off: on ? off : [...off, kind] };
  });
}
