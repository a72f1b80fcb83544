import assert from 'node:assert/strict';
import { MemoryStorage, type Activity, type Storage } from 'botbuilder';
import { createApp, type App, type AppDeps } from '../../bot/app.js';
import { createLogger } from '../../bot/logger.js';
import { cardToText } from '../../bot/teams/cardText.js';
import { LocalAdapter, type TurnResult } from '../../bot/teams/localAdapter.js';
import { invoke, personalMessage, type Person } from './activities.js';
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
    send: async (activity: Partial<Activity>): Promise<{ replies: Reply[]; result: TurnResult }> => {
      const result = await adapter.turn(activity, (ctx) => app.bot.run(ctx));
      return { replies: readReplies(result), result };
    },
  };
}

type TestBot = Awaited<ReturnType<typeof testBot>>;

/** Presses a card's button as Teams would send it (an Action.Execute invoke), with the card's inputs. */
export async function pressButton(
  bot: TestBot,
  who: Person,
  card: Reply,
  title: string,
  inputs: Record<string, string> = {},
): Promise<Reply> {
  const b = card.buttons.find((x) => x.title === title);
  assert.ok(b, `button ${title}`);
  return (await bot.send(invoke(who, b.verb!, { ...b.data, ...inputs }))).replies[0]!;
}

/** A whole trainee self-assessment rated the same throughout, with `extra` inputs on every step; the last card. */
export async function finishAssessment(
  bot: TestBot,
  who: Person,
  rating: string,
  extra: Record<string, string> = {},
): Promise<Reply> {
  const { replies } = await bot.send(personalMessage(who, '/assess'));
  let card = await pressButton(bot, who, replies[0]!, 'Trainee auditor');
  for (;;) {
    const ratings: Record<string, string> = {};
    for (const i of card.inputs.filter((x) => x.id.startsWith('rating:')))
      ratings[i.id] = fitAnswer(i, rating);
    const last = card.buttons.some((b) => b.title === 'Finish');
    card = await pressButton(bot, who, card, last ? 'Finish' : 'Next', { ...ratings, ...extra });
    if (last) return card;
  }
}
