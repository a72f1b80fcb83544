// A reminder pass for the bench, in its own process (so its peak RSS is its own): the real createApp
// over the seeded lowdb files, on a working morning when every seeded person has a reminder due.
// First the pass works out what is due for everyone (reading each person's conversation references,
// reminder document, assessments and eligibility answers): the part that grows with the number of
// people. Then a whole pass claims, records and "sends" each one through a messenger that answers at
// once, so the figure is the bot's own work. Then a pass with nothing left.
// With "paced" as a third argument (run on a copy of the same directory) it is the pace instead: the
// first PACED_SENDS reminders go through the real ProactiveMessenger and CloudAdapter to the connector
// stand-in at PROACTIVE_REQUESTS_PER_SECOND, as in production, and the rest are answered at once.
// Prints "BENCH_REMINDERS <json>" or "BENCH_REMINDERS_PACED <json>".
import { createApp } from '../bot/app.js';
import { LowdbStorage } from '../bot/storage/lowdbStorage.js';
import { DEFAULT_RETRY, ProactiveMessenger } from '../bot/teams/proactive.js';
import { benchBotParts } from './botParts.js';

/** Ten seconds' worth at the default pace: enough to read the pace, short enough for the bench. */
const PACED_SENDS = 400;

const [dataDir, at, mode] = process.argv.slice(2);
if (!dataDir || !at) throw new Error('usage: reminders.ts <dataDir> <ISO instant> [paced]');
const now = new Date(at);

const { config, log, assets, adapter } = await benchBotParts(dataDir);
const answeredAtOnce = () => Promise.resolve({ ok: true as const, reference: {} });
const real = new ProactiveMessenger(adapter, '', log, DEFAULT_RETRY, config.PROACTIVE_REQUESTS_PER_SECOND);
const pacedAt: number[] = [];
let handed = 0;
const messenger = {
  sendCard: async (...args: Parameters<ProactiveMessenger['sendCard']>) => {
    if (mode !== 'paced' || handed++ >= PACED_SENDS) return answeredAtOnce();
    const outcome = await real.sendCard(...args);
    if (outcome.ok) pacedAt.push(performance.now());
    return outcome;
  },
} as unknown as ProactiveMessenger;
// Opened as the bot opens it (bot/index.ts): holding the directory from the start.
const app = createApp({ assets, storage: await new LowdbStorage(dataDir).open(), log, messenger });
const runner = app.reminderRunner;
if (!runner) throw new Error('createApp gave no reminder runner');

if (mode === 'paced') {
  const pass = await runner.run(now);
  const first = pacedAt[0] ?? 0;
  const last = pacedAt.at(-1) ?? 0;
  process.stdout.write(
    `BENCH_REMINDERS_PACED ${JSON.stringify({
      sent: pass.sent,
      failed: pass.failed,
      paced: pacedAt.length,
      sendsPerSecond: pacedAt.length > 1 ? (pacedAt.length - 1) / ((last - first) / 1000) : 0,
      requestsPerSecond: config.PROACTIVE_REQUESTS_PER_SECOND,
    })}\n`,
  );
  process.exit(0);
}

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
