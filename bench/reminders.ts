// A reminder pass for the bench, in its own process (so its peak RSS is its own): the real createApp
// over the seeded lowdb files, on a working morning when every seeded person has a reminder due.
// First the pass works out what is due for everyone (reading each person's conversation references,
// reminder document, assessments and eligibility answers): the part that grows with the number of
// people. Then a whole pass claims, records and "sends" each one through a messenger that answers at
// once, so the figure is the bot's own work: in production the sends keep to the proactive pace
// (PROACTIVE_REQUESTS_PER_SECOND), which the digest's bench measures. Then a pass with nothing left.
// Prints "BENCH_REMINDERS <json>".
import { createApp } from '../bot/app.js';
import { LowdbStorage } from '../bot/storage/lowdbStorage.js';
import type { ProactiveMessenger } from '../bot/teams/proactive.js';
import { benchBotParts } from './botParts.js';

const [dataDir, at] = process.argv.slice(2);
if (!dataDir || !at) throw new Error('usage: reminders.ts <dataDir> <ISO instant>');
const now = new Date(at);

const { log, assets } = await benchBotParts(dataDir);
const instant = {
  sendCard: () => Promise.resolve({ ok: true as const, reference: {} }),
} as unknown as ProactiveMessenger;
// Opened as the bot opens it (bot/index.ts): holding the directory from the start.
const app = createApp({ assets, storage: await new LowdbStorage(dataDir).open(), log, messenger: instant });
const runner = app.reminderRunner;
if (!runner) throw new Error('createApp gave no reminder runner');

const planned = await runner.plan(now);
const pass = await runner.run(now);
const again = await runner.run(now);
process.stdout.write(
  `BENCH_REMINDERS ${JSON.stringify({
    people: planned.summary.people,
    due: planned.due.length,
    planMs: planned.summary.planMs,
    pass,
    again,
    maxRssKiB: process.resourceUsage().maxRSS,
  })}\n`,
);
process.exit(0);
