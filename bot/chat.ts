import { mkdir } from 'node:fs/promises';
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Activity } from 'botbuilder';
import { applyQuestionLogRetention, createApp, loadAssets } from './app.js';
import { systemClock } from './clock.js';
import { readConfig } from './config.js';
import { createLogger } from './logger.js';
import { LowdbStorage } from './storage/lowdbStorage.js';
import { cardToText, type CardButton, type CardInput } from './teams/cardText.js';
import { LocalAdapter } from './teams/localAdapter.js';

const USER = { id: '29:local-user', name: 'Local User', aadObjectId: '00000000-0000-4000-8000-00000000c0de' };
const BOT = { id: '28:local-bot', name: 'Coding Auditor' };
const CONVERSATION = { id: 'a:local-personal-chat', conversationType: 'personal', tenantId: 'local' };

let counter = 0;
function activity(extra: Partial<Activity>): Partial<Activity> {
  counter += 1;
  return {
    type: 'message',
    id: `local-${counter}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1/local',
    from: USER,
    recipient: BOT,
    conversation: CONVERSATION as Activity['conversation'],
    timestamp: systemClock(),
    locale: 'en-GB',
    ...extra,
  };
}

/** A terminal conversation with the same bot logic: `npm run chat`, or one message with --say. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { say: { type: 'string' } }, allowPositionals: false });
  const config = await readConfig();
  const log = createLogger('silent');
  await mkdir(config.DATA_DIR, { recursive: true });
  const assets = await loadAssets();
  const app = createApp({
    assets,
    storage: await new LowdbStorage(config.DATA_DIR).open(),
    log,
    botName: config.BOT_NAME,
    timeZone: config.timeZone,
    locale: config.LOCALE,
    questionLog: { owners: config.CONTENT_OWNERS, days: config.QUESTION_LOG_DAYS },
  });
  await applyQuestionLogRetention(app, systemClock(), log);
  const adapter = new LocalAdapter();
  let buttons: CardButton[] = [];
  let inputs: CardInput[] = [];

  const run = async (a: Partial<Activity>): Promise<void> => {
    const result = await adapter.turn(a, (ctx) => app.bot.run(ctx));
    const shown = [...result.replies];
    const body = result.invokeResponse?.body as { type?: string; value?: unknown } | undefined;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') {
      shown.push({
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: body.value }],
      });
    } else if (body?.type === 'application/vnd.microsoft.error') {
      console.log(`! ${(body.value as { message?: string }).message ?? 'error'}`);
    } else if (typeof body?.value === 'string') console.log(body.value);
    for (const r of shown) {
      if (r.text) console.log(r.text);
      for (const att of r.attachments ?? []) {
        const flat = cardToText(att.content as Record<string, unknown>);
        buttons = flat.buttons;
        inputs = flat.inputs;
        console.log(flat.lines.join('\n'));
        if (flat.buttons.length) console.log(flat.buttons.map((b, i) => `[${i + 1}] ${b.title}`).join('  '));
      }
      console.log('');
    }
  };

  const say = (text: string) => run(activity({ text }));

  if (values.say !== undefined) {
    await say(values.say);
    return;
  }

  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  console.log('Chatting with the bot. Type a question or /help; a number presses a button; /quit leaves.\n');
  await run(activity({ type: 'installationUpdate', action: 'add' }));
  for (;;) {
    const line = (await rl.question('> ').catch(() => '/quit')).trim();
    if (line === '/quit' || line === '/exit') break;
    const n = Number(line);
    const button = Number.isInteger(n) && n >= 1 ? buttons[n - 1] : undefined;
    if (!button) {
      if (line) await say(line);
      continue;
    }
    const values: Record<string, unknown> = { ...button.data };
    if (button.kind !== 'openUrl') {
      for (const input of inputs) {
        const choices = input.choices.length
          ? ` (${input.choices.map((c, i) => `${i + 1}=${c.title}`).join(', ')})`
          : '';
        const answer = (
          await rl.question(`  ${input.label}${choices}${input.value ? ` [${input.value}]` : ''}: `)
        ).trim();
        const pick = input.choices[Number(answer) - 1];
        values[input.id] = pick ? pick.value : answer || input.value || '';
      }
    }
    if (button.kind === 'openUrl') console.log(`Open: ${button.url ?? '(no address)'}\n`);
    else if (button.kind === 'execute') {
      await run(
        activity({
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: button.verb, data: values }, trigger: 'manual' },
        }),
      );
    } else if (typeof values.command === 'string') await say(values.command);
    else await run(activity({ value: values }));
  }
  rl.close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
