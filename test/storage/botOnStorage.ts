import type { Storage } from 'botbuilder';
import { createAdapter, createApp, type App } from '../../bot/app.js';
import { parseConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { createServer, listen } from '../../bot/server.js';
import { sharedAssets } from '../support/botServer.js';

export interface BotInstance {
  messagesUrl: string;
  app: App;
  stop(): Promise<void>;
}

/** The real restify server and CloudAdapter on a loopback port, over the storage given (one bot instance). */
export async function startBotOn(storage: Storage): Promise<BotInstance> {
  const config = parseConfig({ PORT: '0', STORAGE: 'memory' });
  const log = createLogger('silent');
  const assets = await sharedAssets();
  const adapter = createAdapter(config, log, assets.cards);
  const app = createApp({ assets, storage, log });
  const server = createServer({ adapter, bot: app.bot, log });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    messagesUrl: `http://127.0.0.1:${port}/api/messages`,
    app,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}
