import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type {
  PersonState,
  Reminder,
  ReminderRepo,
  ReminderSource,
  RemindersData,
} from '../../../core/reminders/reminders.js';
import {
  claimReminder,
  dueNow,
  gate,
  markReminderSent,
  releaseReminder,
  zoneOf,
  type ReminderSettings,
} from '../../../core/reminders/schedule.js';
import type { Logger } from '../../../logger.js';
import type { CardRenderer } from '../../cards.js';
import type { PersonalAddress, ProactiveMessenger } from '../../proactive.js';
import { reminderMessageView } from './remindersView.js';

export interface ReminderRunSummary {
  /** People looked at. */
  people: number;
  /** With a reminder due now. */
  due: number;
  sent: number;
  /** Due, but another run claimed it first (another instance, or a trigger during a run). */
  skipped: number;
  /** Nothing went: outside their working hours, weekly cap reached, one sent today, every kind off, nothing due. */
  outsideHours: number;
  weeklyCap: number;
  doneToday: number;
  allOff: number;
  nothingDue: number;
  /** No personal chat with the bot to send to. */
  noChat: number;
  /** They removed or blocked the bot: found so now (403/404), or already known. */
  unreachable: number;
  failed: number;
  /** Time to work out what is due for everyone, and for the whole run with the paced sends. */
  planMs: number;
  durationMs: number;
}

/** A reminder due now for one person, with where to send it. */
interface Planned {
  userKey: string;
  reminder: Reminder;
  reference: NonNullable<PersonalAddress['reference']>;
  timeZone: string;
}

export interface ReminderRunDeps {
  repo: ReminderRepo;
  /** Everyone a pass looks at. */
  people: () => Promise<string[]>;
  /** Their state; `teamsId` (from their personal chat) finds what they hold as a line manager. */
  readPerson: (userKey: string, teamsId?: string) => Promise<PersonState>;
  /** The Teams ids of line managers, read once a pass, so nobody else costs a look for a manager's part. */
  lineManagers: () => Promise<string[]>;
  sources: readonly ReminderSource[];
  settings: ReminderSettings;
  data: RemindersData;
  /** How dates read in the messages (LOCALE). */
  locale: string;
  cards: CardRenderer;
  messenger: Pick<ProactiveMessenger, 'sendCard'>;
  /** The person's personal chat and zone (the conversation references), and what to do when they are gone. */
  chats: {
    personalChat(
      userKey: string,
    ): Promise<{ reference?: PersonalAddress['reference']; blocked: boolean; timeZone?: string }>;
    markUnreachable(userKey: string): Promise<void>;
  };
  log: Logger;
  /** People read at once while working out what is due. */
  readConcurrency?: number;
  /** Reminders in flight at once (the messenger paces them to the connector's limit). */
  sendConcurrency?: number;
}

/**
 * A reminder pass: works out for everyone what is due now (the engine's rules), then sends each due
 * reminder to the person's personal chat once: claimed in storage with the eTag, sent, recorded as
 * sent. A run that dies between claim and record leaves a claim that runs out after the lease and is
 * then retried; one recorded as sent is never sent again, by this instance or another. Someone the
 * connector answers 403/404 for loses their personal chat reference, and with it every reminder,
 * until they write to the bot again.
 */
export class ReminderRunner {
  constructor(private readonly deps: ReminderRunDeps) {}

  /** What is due now for everyone, read-only: the part of a pass that grows with the number of people. */
  async plan(
    now: Date,
    summary: ReminderRunSummary = emptySummary(),
  ): Promise<{ due: Planned[]; summary: ReminderRunSummary }> {
    const started = performance.now();
    const people = await this.deps.people();
    // Without the managers' index the pass still reminds everyone of their own things.
    const lineManagers = new Set(
      await this.deps.lineManagers().catch((e: unknown) => {
        this.logError('reminders.managers.error', e);
        return [];
      }),
    );
    summary.people = people.length;
    const limit = pLimit(this.deps.readConcurrency ?? 32);
    const due: Planned[] = [];
    await Promise.all(
      people.map((userKey) =>
        limit(async () => {
          try {
            const chat = await this.deps.chats.personalChat(userKey);
            if (!chat.reference) {
              summary[chat.blocked ? 'unreachable' : 'noChat'] += 1;
              return;
            }
            const doc = await this.deps.repo.get(userKey);
            const timeZone = zoneOf(chat.timeZone, this.deps.settings);
            const open = gate(doc, timeZone, now, this.deps.settings);
            if (!open.open) {
              summary[open.reason] += 1;
              return;
            }
            const teamsId = chat.reference.user?.id;
            const person = await this.deps.readPerson(
              userKey,
              teamsId && lineManagers.has(teamsId) ? teamsId : undefined,
            );
            const reminder = dueNow(person, doc, this.deps.sources, open, now);
            if (reminder) due.push({ userKey, reminder, reference: chat.reference, timeZone });
            else summary.nothingDue += 1;
          } catch (e) {
            summary.failed += 1;
            this.logError('reminders.person.error', e);
          }
        }),
      ),
    );
    summary.due = due.length;
    summary.planMs = Math.round(performance.now() - started);
    return { due, summary };
  }

  async run(now: Date): Promise<ReminderRunSummary> {
    const started = performance.now();
    const { due, summary } = await this.plan(now);
    const limit = pLimit(this.deps.sendConcurrency ?? 8);
    await Promise.all(
      due.map((planned) =>
        limit(async () => {
          try {
            summary[await this.sendOne(planned, now)] += 1;
          } catch (e) {
            summary.failed += 1;
            this.logError('reminders.send.error', e);
          }
        }),
      ),
    );
    summary.durationMs = Math.round(performance.now() - started);
    this.deps.log.info({ event: 'reminders.run', ...summary }, 'reminder pass finished');
    return summary;
  }

  private async sendOne(
    { userKey, reminder, reference, timeZone }: Planned,
    now: Date,
  ): Promise<'sent' | 'skipped' | 'unreachable' | 'failed'> {
    const claimId = randomUUID();
    const claimed = await claimReminder(this.deps.repo, {
      userKey,
      reminder,
      now,
      claimId,
      timeZone,
      settings: this.deps.settings,
    });
    if (!claimed) return 'skipped';
    const card = this.deps.cards.render(
      'notice',
      reminderMessageView(reminder, this.deps.data, this.deps.settings, this.deps.locale),
    );
    const outcome = await this.deps.messenger.sendCard({ reference }, card);
    if (outcome.ok) {
      await markReminderSent(this.deps.repo, { userKey, id: reminder.id, claimId, now });
      return 'sent';
    }
    await releaseReminder(this.deps.repo, { userKey, id: reminder.id, claimId });
    if (outcome.gone) {
      await this.deps.chats.markUnreachable(userKey);
      return 'unreachable';
    }
    this.deps.log.warn(
      { event: 'reminders.send.failed', status: outcome.status, kind: reminder.kind },
      'a reminder could not be sent; the next pass tries again',
    );
    return 'failed';
  }

  /** Ids and error types only: a stored document's error can quote what it holds. */
  private logError(event: string, e: unknown): void {
    const err = e instanceof Error ? { type: e.name, code: (e as { code?: unknown }).code } : {};
    this.deps.log.error({ event, err }, 'reminder pass: one person failed, the rest carried on');
  }
}

function emptySummary(): ReminderRunSummary {
  return {
    people: 0,
    due: 0,
    sent: 0,
    skipped: 0,
    outsideHours: 0,
    weeklyCap: 0,
    doneToday: 0,
    allOff: 0,
    nothingDue: 0,
    noChat: 0,
    unreachable: 0,
    failed: 0,
    planMs: 0,
    durationMs: 0,
  };
}
