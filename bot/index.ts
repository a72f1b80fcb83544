import './quietDeprecations.js';
import { mkdir } from 'node:fs/promises';
import type http from 'node:http';
import { MemoryStorage, type Storage } from 'botbuilder';
import { applyQuestionLogRetention, applyRetention, createAdapter, createApp, loadAssets } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, readConfig, type Config } from './config.js';
import { DataFileError } from './data/loadData.js';
import { createLogger, prettyDestination } from './logger.js';
import { createServer, listen } from './server.js';
import { DataDirInUseError, LowdbStorage } from './storage/lowdbStorage.js';
import { DEFAULT_RETRY, ProactiveMessenger } from './teams/proactive.js';
import { ExportLinks } from './exportLinks.js';
import { addRoutes } from './routes.js';
import { addTabRoutes, tabSettings } from './tabs/tabRoutes.js';
import { addTabFiles } from './tabs/tabFiles.js';
import { projectRoot } from './data/loadData.js';
import path from 'node:path';
import { Cron } from 'croner';

async function openStorage(config: Config): Promise<Storage> {
  if (config.STORAGE === 'memory') return new MemoryStorage();
  if (config.STORAGE === 'blob') {
    const { createBlobStorage } = await import('./storage/blobStorage.js');
    // readConfig already refuses STORAGE=blob without a connection string; this is that rule again.
    const connectionString = config.AZURE_STORAGE_CONNECTION_STRING;
    if (!connectionString)
      throw new ConfigError(['AZURE_STORAGE_CONNECTION_STRING: is required when STORAGE=blob']);
    return createBlobStorage(connectionString, config.AZURE_STORAGE_CONTAINER);
  }
  await mkdir(config.DATA_DIR, { recursive: true });
  // The directory's lease now, so a second bot process on the same DATA_DIR stops at start-up.
  return new LowdbStorage(config.DATA_DIR).open();
}

/** The composition root: config, storage, data, cards, adapter, bot, server. */
async function main(): Promise<void> {
  const config = await readConfig();
  const log = createLogger(config.LOG_LEVEL, process.stdout.isTTY ? await prettyDestination() : undefined);
  const storage = await openStorage(config);
  const assets = await loadAssets();
  const adapter = createAdapter(config, log, assets.cards);
  const appId = config.MicrosoftAppId ?? '';
  const messenger = new ProactiveMessenger(
    adapter,
    appId,
    log,
    DEFAULT_RETRY,
    config.PROACTIVE_REQUESTS_PER_SECOND,
  );
  // Signed links need both the secret and an address people can open.
  const publicUrl = config.BOT_PUBLIC_URL?.replace(/\/$/, '') ?? '';
  const linkSecret = publicUrl ? config.EXPORT_LINK_SECRET : undefined;
  const exportLinks = linkSecret ? new ExportLinks(linkSecret) : undefined;
  const unansweredLinks = linkSecret ? ExportLinks.forPurpose(linkSecret, 'unanswered') : undefined;
  const myDataLinks = linkSecret ? ExportLinks.forPurpose(linkSecret, 'mydata') : undefined;
  const app = createApp({
    assets,
    storage,
    log,
    botName: config.BOT_NAME,
    messenger,
    timeZone: config.timeZone,
    locale: config.LOCALE,
    reminders: { perWeek: config.REMINDERS_PER_WEEK, reassessMonths: config.REASSESS_MONTHS },
    exportLink: exportLinks
      ? (id, now) => `${publicUrl}/api/export?token=${exportLinks.sign(id, now)}`
      : undefined,
    myDataLink: myDataLinks
      ? (userKey, teamsId, now) =>
          `${publicUrl}/api/mydata?token=${myDataLinks.sign(`${userKey}\n${teamsId}`, now)}`
      : undefined,
    questionLog: {
      owners: config.CONTENT_OWNERS,
      days: config.QUESTION_LOG_DAYS,
      csvLink: unansweredLinks
        ? (id, now) => `${publicUrl}/api/unanswered.csv?token=${unansweredLinks.sign(id, now)}`
        : undefined,
    },
  });
  const clock = systemClock;
  const server = createServer({
    adapter,
    bot: app.bot,
    log,
    routes: (s) => {
      addRoutes(s, {
        app,
        log,
        clock,
        digestSecret: config.DIGEST_TRIGGER_SECRET,
        exportLinks,
        unansweredLinks,
        myDataLinks,
      });
      addTabRoutes(s, {
        app,
        lib: assets.lib,
        rules: assets.rules,
        log,
        clock,
        ...tabSettings(config),
      });
      addTabFiles(s, path.join(projectRoot(), 'dist', 'tabs'));
    },
  });
  // The in-process schedule for a single instance; several instances use POST /api/digest instead.
  const schedule = new Cron(config.DIGEST_CRON, { timezone: config.timeZone, protect: true }, async () => {
    await app.digestRunner?.run(clock()).catch((e: unknown) => {
      log.error({ event: 'digest.run.error', err: { message: (e as Error).message } }, 'digest run failed');
    });
  });
  // Reminder passes: hourly by default; a pass sends only what is due in each person's working hours.
  const reminderSchedule = new Cron(
    config.REMINDERS_CRON,
    { timezone: config.timeZone, protect: true },
    async () => {
      await app.reminderRunner?.run(clock()).catch((e: unknown) => {
        log.error({ event: 'reminders.run.error', err: { type: (e as Error).name } }, 'reminder pass failed');
      });
    },
  );
  // Retention runs nightly, and once at start-up so a long-stopped bot catches up.
  const retentionDays = config.RETENTION_DAYS;
  const retention = retentionDays
    ? new Cron('30 3 * * *', { timezone: config.timeZone, protect: true }, async () => {
        await applyRetention(app, retentionDays, clock(), log).catch((e: unknown) => {
          log.error({ event: 'retention.error', err: { message: (e as Error).message } }, 'retention failed');
        });
      })
    : undefined;
  if (retentionDays) void retention?.trigger();
  // The question log is always kept for a bounded time (QUESTION_LOG_DAYS), so this one always runs.
  const questionLogRetention = new Cron(
    '40 3 * * *',
    { timezone: config.timeZone, protect: true },
    async () => {
      await applyQuestionLogRetention(app, clock(), log).catch((e: unknown) => {
        log.error(
          { event: 'questionlog.retention.error', err: { message: (e as Error).message } },
          'question log retention failed',
        );
      });
    },
  );
  void questionLogRetention.trigger();
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
    // No new scheduled runs; one already running (a digest half sent) is waited for below.
    schedule.stop();
    reminderSchedule.stop();
    retention?.stop();
    questionLogRetention.stop();
    const closed = new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    // Idle keep-alive connections would otherwise hold close() open until they time out.
    (server.server as http.Server).closeIdleConnections();
    void closed
      .then(async () => {
        while (
          schedule.isBusy() ||
          reminderSchedule.isBusy() ||
          retention?.isBusy() ||
          questionLogRetention.isBusy()
        )
          await new Promise((r) => setTimeout(r, 100));
      })
      .then(() => {
        log.info({ event: 'server.stopped', digestSchedule: 'stopped' }, 'stopped');
        process.exit(0);
      });
    setTimeout(() => {
      log.warn({ event: 'server.stop.timeout' }, 'requests or a scheduled run still going after 10 s');
      process.exit(1);
    }, 10_000).unref();
  };
  process.once('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.once('SIGINT', () => {
    stop('SIGINT');
  });
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataFileError || e instanceof DataDirInUseError) {
    console.error(e.message);
  } else {
    console.error('Start-up failed:', e);
  }
  process.exit(1);
});
