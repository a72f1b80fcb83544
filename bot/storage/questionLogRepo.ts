import { z } from 'zod';
import {
  firstDayOfWindow,
  type QuestionLogEntry,
  type QuestionLogRepo,
} from '../core/questions/questionLog.js';
import type { DocumentStore } from './documentStore.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const DaySchema = z.object({
  day: z.string().regex(DAY),
  entries: z
    .array(z.object({ text: z.string().max(1_000), reason: z.enum(['unanswered', 'not-helpful']) }))
    .default([]),
});

const IndexSchema = z.object({ days: z.array(z.string().regex(DAY)).default([]) });

const INDEX_KEY = 'questionlog/index';
const dayKey = (day: string) => `questionlog/${day}`;

/** A day's document holds at most this many questions, so one busy or abusive day cannot grow it without end. */
const MAX_ENTRIES_PER_DAY = 2_000;

/**
 * The question log over DocumentStore: one document a day (`questionlog/YYYY-MM-DD`), appended to
 * in one step, and a small index of the days that have one. Storage cannot list keys, and the index
 * lets retention find every old day however long the bot was stopped; it is written before the
 * day's document, so a day on disk is always in the index.
 */
export class QuestionLogStore implements QuestionLogRepo {
  /** Days this process has seen in the index, so an append costs one update, not two. */
  private readonly indexed = new Set<string>();

  constructor(
    private readonly store: DocumentStore,
    private readonly maxPerDay = MAX_ENTRIES_PER_DAY,
  ) {}

  async add(entry: QuestionLogEntry): Promise<void> {
    if (!DAY.test(entry.day)) throw new RangeError(`not a YYYY-MM-DD day: ${entry.day}`);
    if (!this.indexed.has(entry.day)) {
      await this.store.update(INDEX_KEY, IndexSchema, (doc) =>
        doc?.days.includes(entry.day) ? undefined : { days: [...(doc?.days ?? []), entry.day].sort() },
      );
      this.indexed.add(entry.day);
    }
    await this.store.update(dayKey(entry.day), DaySchema, (doc) => {
      const entries = doc?.entries ?? [];
      if (entries.length >= this.maxPerDay) return undefined;
      return { day: entry.day, entries: [...entries, { text: entry.text, reason: entry.reason }] };
    });
  }

  async list(today: string, days: number): Promise<QuestionLogEntry[]> {
    const from = firstDayOfWindow(today, days);
    const inWindow = (await this.days()).filter((d) => d >= from && d <= today);
    const docs = await this.store.getMany(inWindow.map(dayKey), DaySchema);
    return inWindow.flatMap(
      (day) => docs.get(dayKey(day))?.entries.map((e) => ({ text: e.text, reason: e.reason, day })) ?? [],
    );
  }

  async removeOlderThan(today: string, days: number): Promise<number> {
    const from = firstDayOfWindow(today, days);
    const old = (await this.days()).filter((d) => d < from);
    if (old.length === 0) return 0;
    await this.store.remove(...old.map(dayKey));
    await this.store.update(INDEX_KEY, IndexSchema, (doc) =>
      doc ? { days: doc.days.filter((d) => d >= from) } : undefined,
    );
    for (const d of old) this.indexed.delete(d);
    return old.length;
  }

  private async days(): Promise<string[]> {
    return (await this.store.get(INDEX_KEY, IndexSchema))?.days ?? [];
  }
}
