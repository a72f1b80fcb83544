import type { Calendar } from '../../../core/calendar.js';
import {
  REMINDER_KINDS,
  fillWording,
  messageFacts,
  type Reminder,
  type ReminderDoc,
  type ReminderKind,
  type RemindersData,
} from '../../../core/reminders/reminders.js';
import {
  firstWorkingDay,
  type ReminderSettings,
  type ScheduledReminder,
} from '../../../core/reminders/schedule.js';
import type { CardViews } from '../../cards.js';
import { noticeView } from '../../views.js';

/** At most this many lines a kind on /reminders, so the card fits a laptop screen. */
const MAX_ITEMS = 3;

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "Monday to Friday" for a run of days, else the days listed. */
function daysInWords(weekdays: readonly number[]): string {
  const sorted = [...new Set(weekdays)].sort((a, b) => a - b);
  const first = sorted[0] ?? 1;
  const last = sorted.at(-1) ?? 1;
  const run = sorted.length > 2 && last - first === sorted.length - 1;
  const names = sorted.map((d) => DAY_NAMES[d - 1] ?? '');
  return run ? `${names[0] ?? ''} to ${names.at(-1) ?? ''}` : names.join(', ');
}

/** When a reminder may arrive, in words: "Monday to Friday, 09:00 to 17:00". */
function hoursInWords(settings: ReminderSettings): string {
  const h = settings.hours;
  return `${daysInWords(h.weekdays)}, ${h.from} to ${h.until}`;
}

/** /reminders: each kind, on or off, with what is coming and the button that switches it. */
export function remindersView(input: {
  schedule: { timeZone: string; today: string; items: ScheduledReminder[] };
  doc: ReminderDoc | undefined;
  data: RemindersData;
  about: Record<ReminderKind, Record<string, string>>;
  settings: ReminderSettings;
  calendar: Calendar;
  message?: string;
}): CardViews['reminders'] {
  const { schedule, doc, data, calendar, settings } = input;
  const coming = schedule.items.filter((i) => i.status !== 'sent');
  const kinds = REMINDER_KINDS.map((kind) => {
    const w = data.kinds[kind];
    const on = !doc?.off.includes(kind);
    const items = coming
      .filter((i) => i.reminder.kind === kind)
      .slice(0, MAX_ITEMS)
      .map((i) => ({
        text: `${i.status === 'due' ? 'Due now' : calendar.formatDay(firstWorkingDay(i.reminder.dueOn, settings.hours))}: ${fillWording(w.scheduled, i.reminder.facts, calendar.locale)}`,
      }));
    return {
      kind,
      name: w.name,
      about: fillWording(w.about, input.about[kind]),
      state: on ? 'On' : 'Off',
      // Teams' Good (light green) fails text contrast on white; the word says it, Accent and Attention are readable.
      color: on ? 'Accent' : 'Attention',
      items: on ? items : [],
      empty: on ? (items.length === 0 ? 'Nothing coming up.' : '') : 'Off: none of these will be sent.',
      switchTitle: on ? `Turn off: ${w.name}` : `Turn on: ${w.name}`,
      switchTo: on ? ('off' as const) : ('on' as const),
    };
  });
  const upcoming = kinds.reduce((n, k) => n + k.items.length, 0);
  return {
    summary: `Your reminders: ${upcoming === 0 ? 'nothing' : upcoming} coming up`,
    message: input.message ?? '',
    title: 'Your reminders',
    intro: `I send reminders to this chat only, at most one a day and ${settings.perWeek} a week, ${hoursInWords(settings)} where you are (${schedule.timeZone}).`,
    kinds,
    note: 'Dates come from your self-assessments and your saved /eligibility answers; change those and the reminders follow.',
  };
}

/** A reminder as it is sent: its title and words, the button that acts on it, and /reminders. */
export function reminderMessageView(
  reminder: Reminder,
  data: RemindersData,
  settings: ReminderSettings,
  locale: string,
): CardViews['notice'] {
  const w = data.kinds[reminder.kind];
  const facts = messageFacts(reminder);
  const title = fillWording(w.title, facts, locale);
  return {
    ...noticeView(fillWording(w.text, facts, locale), {
      title,
      detail: `A reminder (at most one a day and ${settings.perWeek} a week, ${hoursInWords(settings)} your time). Reminder settings shows what is coming and turns each kind off.`,
      buttons: [w.button, { title: 'Reminder settings', command: '/reminders' }],
    }),
    // What the notification shows.
    summary: title,
  };
}
