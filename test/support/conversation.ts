import { MemoryStorage, type Activity, type Storage } from 'botbuilder';
import { createApp, type App, type AppDeps } from '../../bot/app.js';
import { createLogger } from '../../bot/logger.js';
import { cardToText } from '../../bot/teams/cardText.js';
import { LocalAdapter, type TurnResult } from '../../bot/teams/localAdapter.js';
import { sharedAssets } from './botServer.js';

export interface Reply {
  text: string;
  lines: string[];
  buttons: ReturnType<typeof cardToText>['buttons'];
  inputs: ReturnType<typeof cardToText>['inputs'];
  card?: Record<string, unknown>;
  summary?: string;
  activity: Partial<Activity>;
}

/**
 * A scale rating as the card's input takes it: a statement asked as a question (Yes / No / Not sure) gets
 * Yes for Competent or Confident and No for Not yet or Developing; anything else is passed on as given.
 */
export function fitAnswer(input: { choices: { value: string }[] }, rating: string): string {
  const values = input.choices.map((c) => c.value);
  if (values.includes(rating) || !values.includes('yes')) return rating;
  return rating === 'competent' || rating === 'confident'
    ? 'yes'
    : rating === 'notYet' || rating === 'developing'
      ? 'no'
      : rating;
}

export function readReplies(result: TurnResult): Reply[] {
  const out: Reply[] = [];
  const body = result.invokeResponse?.body as { type?: string; value?: unknown } | undefined;
  const activities = [...result.replies];
  if (body?.type === 'application/vnd.microsoft.card.adaptive') {
    activities.push({
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: body.value }],
    });
  }
  for (const a of activities) {
    const card = a.attachments?.[0]?.content as Record<string, unknown> | undefined;
    const flat = card ? cardToText(card) : { lines: [], buttons: [], inputs: [] };
    out.push({
      text: [a.text ?? '', ...flat.lines].join('\n').trim(),
      ...flat,
      card,
      summary: a.summary,
      activity: a,
    });
  }
  return out;
}

/** A bot in process with memory (or given) storage and a fixed clock, for conversation tests. */
export async function testBot(
  opts: { storage?: Storage; now?: () => Date; questionLog?: AppDeps['questionLog'] } = {},
) {
  const assets = await sharedAssets();
  const app: App = createApp({
    assets,
    storage: opts.storage ?? new MemoryStorage(),
    log: createLogger('silent'),
    clock: opts.now ?? (() => new Date('2026-11-16T09:00:00Z')),
    questionLog: opts.questionLog,
  });
  const adapter = new LocalAdapter();
  return {
    app,
    async send(activity: Partial<Activity>): Promise<{ replies: Reply[]; result: TurnResult }> {
      const result = await adapter.turn(activity, (ctx) => app.bot.run(ctx));
      return { replies: readReplies(result), result };
    },
  };
}
