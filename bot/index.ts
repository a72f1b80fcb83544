import { mkdir } from 'node:fs/promises';
import { MemoryStorage, type Storage } from 'botbuilder';
import { createAdapter, createApp, loadAssets } from './app.js';
import { ConfigError, readConfig, type Config } from './config.js';
import { DataFileError } from './data/loadData.js';
import { createLogger } from './logger.js';
import { createServer, listen } from './server.js';
import { LowdbStorage } from './storage/lowdbStorage.js';
import { ProactiveMessenger } from './teams/proactive.js';
import { ExportLinks } from './teams/features/digest.js';
import { addRoutes } from './routes.js';
import { Cron } from 'croner';

async function openStorage(config: Config): Promise<Storage> {
  if (config.STORAGE === 'memory') return new MemoryStorage();
  if (config.STORAGE === 'blob') {
    const { BlobsStorage } = await import('botbuilder-azure-blobs');
    return new BlobsStorage(config.AZURE_STORAGE_CONNECTION_STRING!, config.AZURE_STORAGE_CONTAINER);
  }
  await mkdir(config.DATA_DIR, { recursive: true });
  return new LowdbStorage(config.DATA_DIR);
}

/** The composition root: config, storage, data, cards, adapter, bot, server. */
async function main(): Promise<void> {
  const config = await readConfig();
  const log = createLogger(config.LOG_LEVEL);
  const storage = await openStorage(config);
  const assets = await loadAssets();
  const adapter = createAdapter(config, log, assets.cards);
  const appId = config.MicrosoftAppId ?? '';
  const messenger = new ProactiveMessenger(adapter, appId, log);
  const exportLinks =
    config.EXPORT_LINK_SECRET && config.BOT_PUBLIC_URL
      ? new ExportLinks(config.EXPORT_LINK_SECRET)
      : undefined;
  const publicUrl = config.BOT_PUBLIC_URL?.replace(/\/$/, '');
  const app = createApp({
    assets,
    storage,
    log,
    botName: config.BOT_NAME,
    appId,
    messenger,
    timeZone: config.DIGEST_TZ,
    exportLink: exportLinks
      ? (id, now) => `${publicUrl}/api/export?token=${exportLinks.sign(id, now)}`
      : undefined,
  });
  const clock = () => new Date();
  const server = createServer({
    adapter,
    bot: app.bot,
    log,
    routes: (s) => addRoutes(s, { app, log, clock, digestSecret: config.DIGEST_TRIGGER_SECRET, exportLinks }),
  });
  // The in-process schedule for a single instance; several instances use POST /api/digest instead.
  const schedule = new Cron(config.DIGEST_CRON, { timezone: config.DIGEST_TZ, protect: true }, async () => {
    await app.digestRunner
      ?.run(clock())
      .catch((e: unknown) =>
        log.error({ event: 'digest.run.error', err: { message: (e as Error).message } }, 'digest run failed'),
      );
  });
  const port = await listen(server, config.PORT, config.listenHost);
  log.info(
    {
      event: 'server.listening',
      port,
      host: config.listenHost,
      storage: config.STORAGE,
      mode: config.localMode ? 'local (no app id: Bot Framework authentication is off)' : 'authenticated',
    },
    `listening on http://${config.listenHost}:${port}/api/messages`,
  );

  const stop = (signal: string) => {
    log.info({ event: 'server.stopping', signal }, 'stopping: finishing requests in flight');
    schedule.stop();
    server.close(() => {
      log.info({ event: 'server.stopped' }, 'stopped');
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataFileError) {
    console.error(e.message);
  } else {
    console.error('Start-up failed:', e);
  }
  process.exit(1);
});
