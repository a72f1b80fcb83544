import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'restify';
import { createAdapter, createApp, loadAssets, type App, type Assets } from '../../bot/app.js';
import { parseConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { createServer, listen } from '../../bot/server.js';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import { ProactiveMessenger } from '../../bot/teams/proactive.js';
import { ExportLinks } from '../../bot/exportLinks.js';
import { addRoutes } from '../../bot/routes.js';
import { addTabRoutes, tabSettings } from '../../bot/tabs/tabRoutes.js';

let assets: Assets | undefined;
export async function sharedAssets(): Promise<Assets> {
  assets ??= await loadAssets();
  return assets;
}

export interface RunningBot {
  url: string;
  app: App;
  dataDir: string;
  server: Server;
  stop(): Promise<void>;
}

// A test may stop a bot and start another on the same directory, so the directories made here go
// when the test process ends rather than when a bot stops.
const madeDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

/** The real restify server and CloudAdapter on a loopback port of its choosing, over lowdb files. */
export async function startBot(
  opts: { dataDir?: string; env?: Record<string, string>; clock?: () => Date } = {},
): Promise<RunningBot> {
  let dataDir = opts.dataDir;
  if (!dataDir) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-'));
    madeDirs.add(dataDir);
  }
  const config = parseConfig({ DATA_DIR: dataDir, PORT: '0', ...(opts.env ?? {}) });
  const log = createLogger('silent');
  const a = await sharedAssets();
  const adapter = createAdapter(config, log, a.cards);
  const messenger = new ProactiveMessenger(adapter, '', log, {
    attempts: 4,
    baseDelayMs: 20,
    maxDelayMs: 200,
  });
  const clock = opts.clock ?? (() => new Date());
  const exportLinks = config.EXPORT_LINK_SECRET ? new ExportLinks(config.EXPORT_LINK_SECRET) : undefined;
  const unansweredLinks = config.EXPORT_LINK_SECRET
    ? ExportLinks.forPurpose(config.EXPORT_LINK_SECRET, 'unanswered')
    : undefined;
  const myDataLinks = config.EXPORT_LINK_SECRET
    ? ExportLinks.forPurpose(config.EXPORT_LINK_SECRET, 'mydata')
    : undefined;
  let base = '';
  const app = createApp({
    assets: a,
    storage: new LowdbStorage(dataDir),
    log,
    clock,
    messenger,
    timeZone: config.timeZone,
    locale: config.LOCALE,
    reminders: { perWeek: config.REMINDERS_PER_WEEK, reassessMonths: config.REASSESS_MONTHS },
    exportLink: exportLinks
      ? (id, now) => `${base}/api/export?token=${exportLinks.sign(id, now)}`
      : undefined,
    myDataLink: myDataLinks
      ? (userKey, teamsId, now) =>
          `${base}/api/mydata?token=${myDataLinks.sign(`${userKey}\n${teamsId}`, now)}`
      : undefined,
    questionLog: {
      owners: config.CONTENT_OWNERS,
      days: config.QUESTION_LOG_DAYS,
      csvLink: unansweredLinks
        ? (id, now) => `${base}/api/unanswered.csv?token=${unansweredLinks.sign(id, now)}`
        : undefined,
    },
  });
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
        lib: a.lib,
        rules: a.rules,
        log,
        clock,
        ...tabSettings(config),
      });
    },
  });
  const port = await listen(server, 0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    dataDir,
    server,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}
