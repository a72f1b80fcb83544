// The server under test, in its own process (the load generator has the other core): the real
// createServer + createAdapter, with either the whole bot over lowdb files (mode "bot") or a bare
// echo bot (mode "echo") as the baseline. Adds GET /bench-stats (peak RSS) in this process only.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { ActivityHandler } from 'botbuilder';
import { createApp } from '../bot/app.js';
import { createServer, listen } from '../bot/server.js';
import { LowdbStorage } from '../bot/storage/lowdbStorage.js';
import { benchBotParts } from './botParts.js';

const [mode, dataDir] = process.argv.slice(2);
if ((mode !== 'bot' && mode !== 'echo') || !dataDir) throw new Error('usage: server.ts bot|echo <dataDir>');

const { log, assets, adapter } = await benchBotParts(dataDir);

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`You said: ${context.activity.text}`);
      await next();
    });
  }
}

const bot =
  mode === 'echo' ? new EchoBot() : createApp({ assets, storage: new LowdbStorage(dataDir), log }).bot;

const server = createServer({
  adapter,
  bot,
  log,
  routes: (s) => {
    s.get('/bench-stats', (_req, res, next) => {
      const usage = process.resourceUsage();
      res.send(200, {
        maxRssKiB: usage.maxRSS,
        rssBytes: process.memoryUsage().rss,
        cpuMicros: usage.userCPUTime + usage.systemCPUTime,
      });
      next();
    });
    // BENCH_PROFILE_FILE: a CPU profile of the measured run only (not start-up or warm-up).
    const profileFile = process.env.BENCH_PROFILE_FILE;
    if (profileFile) {
      const session = new Session();
      session.connect();
      s.post('/bench-profile/start', async (_req, res) => {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        res.send(200, {});
      });
      s.post('/bench-profile/stop', async (_req, res) => {
        const { profile } = await session.post('Profiler.stop');
        await writeFile(profileFile, JSON.stringify(profile));
        res.send(200, { file: profileFile });
      });
    }
  },
});
const port = await listen(server, 0, '127.0.0.1');
process.stdout.write(`BENCH_LISTENING ${port}\n`);

const stop = () => {
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
