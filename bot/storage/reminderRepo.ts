import { ReminderDocSchema, type ReminderDoc, type ReminderRepo } from '../core/reminders/reminders.js';
import type { DocumentStore } from './documentStore.js';

const reminderKey = (userKey: string) => `reminders/${userKey}`;

/**
 * Each person's reminder document (switches, what was claimed or sent) over DocumentStore: one small
 * document per person, updated with its eTag, so two instances cannot both claim a reminder.
 */
export class ReminderStore implements ReminderRepo {
  constructor(private readonly store: DocumentStore) {}

  get(userKey: string): Promise<ReminderDoc | undefined> {
    return this.store.get(reminderKey(userKey), ReminderDocSchema);
  }

  update(
    userKey: string,
    change: (doc: ReminderDoc | undefined) => ReminderDoc | undefined,
  ): Promise<ReminderDoc | undefined> {
    return this.store.update(reminderKey(userKey), ReminderDocSchema, change);
  }

  remove(userKey: string): Promise<void> {
    return this.store.remove(reminderKey(userKey));
  }
}
