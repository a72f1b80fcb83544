// What the bench's bot processes (server.ts, digest.ts) share: production configuration over a
// data directory, a logger on stderr, the assets and the CloudAdapter.
import { createAdapter, loadAssets } from '../bot/app.js';
import { parseConfig } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';

export async function benchBotParts(dataDir: string) {
  const config = parseConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    // A few thousand simulated users send far faster than people do; the limiter still runs on every turn.
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const log = createLogger(config.LOG_LEVEL, process.stderr);
  const assets = await loadAssets();
  const adapter = createAdapter(config, log, assets.cards);
  return { config, log, assets, adapter };
}
