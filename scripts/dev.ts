/**
 * `npm run dev`: the bot plus the Microsoft 365 Agents Playground (a local Teams-like client), both
 * on loopback, no tenant and no Azure. See ../shared/PLAYGROUND.md (beside the checkout) for how the playground is run.
 * The personal tabs are built first and served by the bot; their addresses are printed, signed in
 * (development sign-in) as the Playground's user.
 *
 *   PORT=3978 DATA_DIR=./.data PLAYGROUND_PORT=56150 npm run dev
 *
 * startDevStack() is also what test/e2e/playground.test.ts uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TAB_PAGES } from '../bot/core/tabs/tabApp.js';
import { buildTabs } from './buildTabs.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLAYGROUND_CONFIG = path.join(ROOT, '.m365agentsplayground.yml');

export interface DevStackOptions {
  /** The bot's HTTP port (POST /api/messages, GET /healthz). Default 3978. */
  botPort?: number;
  /** The playground's port. Default 56150. */
  playgroundPort?: number;
  /** The bot's lowdb directory. Default ./.data (relative to the repository). */
  dataDir?: string;
  /**
   * 'inherit': children write to this terminal (npm run dev). 'capture': kept in memory for
   * logs(), e.g. to print when a test fails. Default 'inherit'.
   */
  output?: 'inherit' | 'capture';
  /** Longest wait for each of the two to become ready. Default 45 s. */
  readyTimeoutMs?: number;
  /** More environment for the bot (BOT_PUBLIC_URL, EXPORT_LINK_SECRET, CONTENT_OWNERS for a test). */
  botEnv?: Record<string, string>;
}

export interface ChildExit {
  name: 'bot' | 'playground';
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DevStack {
  playgroundUrl: string;
  botUrl: string;
  /** The personal tabs, signed in as the Playground's current user (the development sign-in). */
  tabUrls: string[];
  /** Where the playground writes its own log (it prints to the console only on a TTY). */
  playgroundLogFile: string;
  /** Settles when either child exits on its own (not through stop()). */
  exited: Promise<ChildExit>;
  /** Captured output of both children (output: 'capture'), last lines first trimmed. */
  logs(): string;
  /** SIGTERM to both process trees, SIGKILL after 5 s; resolves when both are gone. Idempotent. */
  stop(): Promise<void>;
}

const MAX_LOG_CHARS = 200_000;

interface Started {
  name: ChildExit['name'];
  child: ChildProcess;
  done: Promise<ChildExit>;
  exit?: ChildExit;
}

/** Starts the bot, waits for /healthz, starts the playground, waits for /_debug/ping. */
export async function startDevStack(opts: DevStackOptions = {}): Promise<DevStack> {
  const botPort = opts.botPort ?? 3978;
  const requestedPlaygroundPort = opts.playgroundPort ?? 56150;
  const dataDir = path.resolve(ROOT, opts.dataDir ?? './.data');
  const output = opts.output ?? 'inherit';
  const readyTimeoutMs = opts.readyTimeoutMs ?? 45_000;
  const playgroundLogFile = path.join(dataDir, 'm365agentsplayground.log');

  if (!existsSync(PLAYGROUND_CONFIG)) throw new Error(`Playground config not found: ${PLAYGROUND_CONFIG}`);
  await mkdir(dataDir, { recursive: true });
  await assertPortFree(botPort, 'bot (PORT)');
  await assertPortFree(requestedPlaygroundPort, 'playground');

  let captured = '';
  const capture = (name: string) => (chunk: Buffer) => {
    const lines = chunk.toString('utf8').replace(/\n$/, '').split('\n');
    captured += lines.map((l) => `[${name}] ${l}\n`).join('');
    if (captured.length > MAX_LOG_CHARS) captured = captured.slice(-MAX_LOG_CHARS);
  };

  const children: Started[] = [];
  let stopping = false;

  const launch = (name: ChildExit['name'], args: string[], env: NodeJS.ProcessEnv): Started => {
    // Detached: each child leads its own process group, so npx, sh and node all get the signal.
    const child = spawn('npx', ['--no', '--', ...args], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', capture(name));
    child.stderr?.on('data', capture(name));
    const started: Started = { name, child, done: undefined as unknown as Promise<ChildExit> };
    started.done = new Promise<ChildExit>((resolve) => {
      child.once('error', (e) => {
        capture(name)(Buffer.from(`failed to start: ${e.message}`));
        started.exit = { name, code: null, signal: null };
        resolve(started.exit);
      });
      child.once('exit', (code, signal) => {
        started.exit = { name, code, signal };
        resolve(started.exit);
      });
    });
    children.push(started);
    return started;
  };

  /** Signals the child's whole process group (npx, sh, node); false when the group is gone. */
  const signalGroup = (s: Started, signal: NodeJS.Signals | 0): boolean => {
    if (s.child.pid === undefined) return false;
    try {
      process.kill(-s.child.pid, signal);
      return true;
    } catch {
      return false;
    }
  };

  // Last resort if this process exits without stop() (a crash, mocha's --exit): no orphans.
  const killAllSync = () => {
    children.forEach((s) => signalGroup(s, 'SIGKILL'));
  };
  process.once('exit', killAllSync);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      for (const s of children) signalGroup(s, 'SIGTERM');
      // Let the bot finish requests in flight; npx may exit before the node it started.
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && children.some((s) => signalGroup(s, 0))) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const s of children) signalGroup(s, 'SIGKILL');
      await Promise.all(children.map((s) => s.done));
      process.removeListener('exit', killAllSync);
    })();
    return stopped;
  };

  const logs = () => (output === 'capture' ? captured : '(children wrote to the terminal; see above)');
  const fail = async (message: string): Promise<never> => {
    await stop();
    const tail = output === 'capture' ? `\n--- last output ---\n${captured.slice(-6_000)}` : '';
    throw new Error(`${message}${tail}`);
  };

  // 1. The tabs' pages, which the bot serves from dist/tabs/; then the bot, in local mode (no app id:
  // the playground sends anonymous requests).
  await buildTabs();
  const botUrl = `http://127.0.0.1:${botPort}`;
  const bot = launch('bot', ['tsx', 'bot/index.ts'], {
    ...process.env,
    PORT: String(botPort),
    DATA_DIR: dataDir,
    STORAGE: process.env.STORAGE || 'lowdb',
    ...(opts.botEnv ?? {}),
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
  });
  const botReady = await waitFor(
    async () => (await httpText(`${botUrl}/healthz`)).includes('"ok"'),
    readyTimeoutMs,
    bot,
  );
  if (botReady !== true) await fail(`The bot did not answer GET ${botUrl}/healthz: ${botReady}`);

  // 2. The playground, exactly as PLAYGROUND.md says: telemetry off, no browser, our fixed config.
  const playground = launch(
    'playground',
    [
      'agentsplayground',
      '-e',
      `${botUrl}/api/messages`,
      '-c',
      'msteams',
      '-p',
      String(requestedPlaygroundPort),
      '--disable-telemetry',
    ],
    {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: PLAYGROUND_CONFIG,
      // Otherwise it writes ./devTools/m365agentsplayground.log into the repository.
      M365_AGENTS_PLAYGROUND_LOGFILE: playgroundLogFile,
    },
  );
  // If the port is taken it silently picks another and logs `Listening on N`: believe the log.
  let playgroundPort = requestedPlaygroundPort;
  const pgReady = await waitFor(
    async () => {
      const log = await readFile(playgroundLogFile, 'utf8').catch(() => '');
      const m = /Listening on (\d+)/.exec(log);
      if (!m) return false;
      playgroundPort = Number(m[1]);
      return (await httpText(`http://127.0.0.1:${playgroundPort}/_debug/ping`)).trim() === 'pong';
    },
    readyTimeoutMs,
    playground,
  );
  if (pgReady !== true) await fail(`The playground did not answer /_debug/ping with pong: ${pgReady}`);
  if (playgroundPort !== requestedPlaygroundPort) {
    await fail(`The playground took port ${playgroundPort} instead of ${requestedPlaygroundPort}`);
  }

  const exited = Promise.race([bot.done, playground.done]).then(async (e) => {
    if (!stopping) await stop();
    return e;
  });
  // Nobody has to await it; an unhandled rejection is impossible (it never rejects).
  void exited;

  const user = /^\s*aadObjectId:\s*(\S+)/m.exec(await readFile(PLAYGROUND_CONFIG, 'utf8'))?.[1] ?? '';
  return {
    playgroundUrl: `http://127.0.0.1:${playgroundPort}`,
    tabUrls: TAB_PAGES.map((t) => `${botUrl}/tabs/${t.page}${user ? `?as=${user}` : ''}`),
    botUrl,
    playgroundLogFile,
    exited,
    logs,
    stop,
  };
}

/** Binds port 0 on loopback to learn a free port, then releases it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => {
      reject(new Error(`Port ${port} for the ${what} is not free (${e.code ?? e.message}).`));
    });
    // The playground listens on all interfaces, so check those, not just loopback.
    srv.listen(port, () => {
      srv.close(() => {
        resolve();
      });
    });
  });
}

async function httpText(url: string): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}

/** Polls check() every 250 ms: true when ready, or why not (timed out, or the child exited). */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number, s: Started): Promise<true | string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.exit) return `the ${s.name} exited (code ${s.exit.code}, signal ${s.exit.signal})`;
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return `timed out after ${timeoutMs} ms`;
}

async function main(): Promise<void> {
  const botPort = Number(process.env.PORT || 3978);
  const playgroundPort = Number(process.env.PLAYGROUND_PORT || 56150);
  const t0 = Date.now();
  const stack = await startDevStack({ botPort, playgroundPort, dataDir: process.env.DATA_DIR || './.data' });
  console.log(`\nBot on ${stack.botUrl}/api/messages; playground ready in ${Date.now() - t0} ms.`);
  console.log(`Open ${stack.playgroundUrl} in your browser`);
  for (const url of stack.tabUrls) console.log(`Tabs: ${url}`);
  console.log('(Another person: change ?as= to their Entra object id; Organisation needs ORG_VIEWERS.)');
  console.log('(Ctrl+C stops both.)\n');

  let exiting = false;
  const shutdown = async (why: string, code: number) => {
    if (exiting) return;
    exiting = true;
    console.log(`\n${why}: stopping the bot and the playground`);
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  const e = await stack.exited;
  await shutdown(`The ${e.name} exited (code ${e.code}, signal ${e.signal})`, e.code || 1);
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
