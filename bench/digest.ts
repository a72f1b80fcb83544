// The weekly digest run for the bench, in its own process (so its peak RSS is its own): the real
// createApp over the seeded lowdb files, sending through the CloudAdapter to the connector stand-in.
// Prints "BENCH_DIGEST <json>" with the run's summary, wall time and peak RSS.
import { createAdapter, createApp, loadAssets } from '../bot/app.js';
import { parseConfig } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';
import { LowdbStorage } from '../bot/storage/lowdbStorage.js';
import { ProactiveMessenger } from '../bot/teams/proactive.js';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: digest.ts <dataDir>');

const config = parseConfig({
  DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'warn',
  // A few thousand simulated users send far faster than people do; the limiter still runs on every turn.
  RATE_LIMIT_PER_MINUTE: '100000000',
});
const log = createLogger(config.LOG_LEVEL, process.stderr as never);
const assets = await loadAssets();
const adapter = createAdapter(config, log, assets.cards);
const messenger = new ProactiveMessenger(adapter, '', log, { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 });
const app = createApp({ assets, storage: new LowdbStorage(dataDir), log, messenger, appId: '' });
if (!app.digestRunner) throw new Error('createApp gave no digest runner');

const managers = (await app.managers.managerIds()).length;
const started = performance.now();
const summary = await app.digestRunner.run(new Date());
const wallMs = performance.now() - started;
process.stdout.write(
  `BENCH_DIGEST ${JSON.stringify({ managers, summary, wallMs, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
);
process.exit(0);
