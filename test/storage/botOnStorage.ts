import type { Storage } from 'botbuilder';
import { createAdapter, createApp, type App } from '../../bot/app.js';
import { parseConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { addRoutes } from '../../bot/routes.js';
import { createServer, listen } from '../../bot/server.js';
import { ProactiveMessenger } from '../../bot/teams/proactive.js';
import { sharedAssets } from '../support/botServer.js';

export interface BotInstance {
  url: string;
  messagesUrl: string;
  app: App;
  stop(): Promise<void>;
}

/**
 * The real restify server and CloudAdapter on a loopback port, over the storage given (one bot
 * instance). With `proactive`, it also sends proactively (a messenger with quick retries) and answers
 * the scheduler's routes with that secret, on the clock given.
 */
export async function startBotOn(
  storage: Storage,
  proactive?: { clock: () => Date; secret: string; env?: Record<string, string> },
): Promise<BotInstance> {
  const config = parseConfig({ PORT: '0', STORAGE: 'memory', ...(proactive?.env ?? {}) });
  const log = createLogger('silent');
  const assets = await sharedAssets();
  const adapter = createAdapter(config, log, assets.cards);
  const messenger = proactive
    ? new ProactiveMessenger(adapter, '', log, { attempts: 4, baseDelayMs: 20, maxDelayMs: 200 })
    : undefined;
  const app = createApp({
    assets,
    storage,
    log,
    clock: proactive?.clock,
    messenger,
    reminders: { perWeek: config.REMINDERS_PER_WEEK, reassessMonths: config.REASSESS_MONTHS },
  });
  const server = createServer({
    adapter,
    bot: app.bot,
    log,
    routes: proactive
      ? (s) => {
          addRoutes(s, { app, log, clock: proactive.clock, digestSecret: proactive.secret });
        }
      : undefined,
  });
  const port = await listen(server, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    messagesUrl: `${url}/api/messages`,
    app,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}
