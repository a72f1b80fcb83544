// The weekly digest run for the bench, in its own process (so its peak RSS is its own): the real
// createApp over the seeded lowdb files, sending through the CloudAdapter to the connector stand-in.
// First every manager's digest is computed alone (reading the coders' assessments from disk), then the
// real run computes and sends, paced as in production (PROACTIVE_REQUESTS_PER_SECOND).
// Prints "BENCH_DIGEST <json>" with the compute time, the run's summary, wall time and peak RSS.
import pLimit from 'p-limit';
import { createApp } from '../bot/app.js';
import { LowdbStorage } from '../bot/storage/lowdbStorage.js';
import { benchBotParts } from './botParts.js';
import { DEFAULT_RETRY, ProactiveMessenger } from '../bot/teams/proactive.js';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: digest.ts <dataDir>');

const { config, log, assets, adapter } = await benchBotParts(dataDir);
const messenger = new ProactiveMessenger(
  adapter,
  '',
  log,
  DEFAULT_RETRY,
  config.PROACTIVE_REQUESTS_PER_SECOND,
);
// Opened as the bot opens it (bot/index.ts): holding the directory from the start.
const app = createApp({ assets, storage: await new LowdbStorage(dataDir).open(), log, messenger });
if (!app.digestRunner) throw new Error('createApp gave no digest runner');

const ids = await app.managers.managerIds();
const managers = ids.length;
const computeStarted = performance.now();
let coders = 0;
// Eight managers at a time, as the run itself does.
const limit = pLimit(8);
await Promise.all(
  ids.map((id) =>
    limit(async () => {
      const doc = await app.managers.manager(id);
      const digest = doc && (await app.digests.forManager(doc, new Date()));
      coders += digest ? digest.coders.length : 0;
    }),
  ),
);
const computeMs = performance.now() - computeStarted;
const started = performance.now();
const summary = await app.digestRunner.run(new Date());
const wallMs = performance.now() - started;
process.stdout.write(
  `BENCH_DIGEST ${JSON.stringify({ managers, coders, computeMs, requestsPerSecond: config.PROACTIVE_REQUESTS_PER_SECOND, summary, wallMs, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
);
process.exit(0);
