// npm run bench: loopback throughput and latency of the bot's turns against a bare echo bot on the same
// adapter and server, with N users' documents already stored; prints Markdown tables and writes
// bench/results.json. Each server runs in a child process, autocannon in this one (two cores: one each).
// The bot processes run the compiled JavaScript in dist/, as `npm start` does (`npm run bench` builds
// first), not the TypeScript loader this driver runs under.
// Settings: BENCH_DURATION=<s> and BENCH_ROUNDS=<n>, each measured run's length and how many (the best
// counts); BENCH_SIZES=100,1000 to seed fewer users; BENCH_ONLY=writes|question|answer|digest|reminders, the echo
// baseline and that part only (results.json is then left alone); BENCH_PROFILE=1, a CPU profile of each
// bot scenario's measured runs (warm-up excluded; the echo runs between them show as idle time) in
// <tmp>/cab-bench-profiles.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadLibrary } from '../bot/data/loadData.js';
import { AssessmentDocSchema } from '../bot/core/assessment/assessment.js';
import { DocumentStore } from '../bot/storage/documentStore.js';
import { LowdbStorage } from '../bot/storage/lowdbStorage.js';
import { assessmentKey } from '../bot/storage/assessmentRepo.js';
import {
  personalActivity,
  seedManagers,
  seedReminderState,
  seedUsers,
  userId,
  type BenchUser,
} from './seed.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 2;
const CONNECTIONS = 32;
const PROFILE = process.env.BENCH_PROFILE === '1';
const PROFILE_DIR = path.join(os.tmpdir(), 'cab-bench-profiles');
const ONLY = process.env.BENCH_ONLY;
const runs = (kind: string) => !ONLY || ONLY === kind;
const SIZES: number[] = [100, 1_000, 10_000];
const RATINGS = ['notYet', 'developing', 'competent', 'confident'];
const QUESTIONS = [
  'what is SPC',
  'how do I become an approved auditor',
  'mean median and mode',
  'what can my manager do to help with my communication skills',
  'what must I have before training as an auditor',
  'digital literacy',
];

interface Child {
  proc: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** The compiled form of a bench script, as `npm run build` writes it. */
function built(script: string): string {
  return path.join(root, 'dist', 'bench', script.replace(/\.ts$/, '.js'));
}

/** Starts a bench script in its own node process and waits for its "BENCH_LISTENING <port>" line. */
async function startChild(script: string, args: string[], env: Record<string, string> = {}): Promise<Child> {
  const proc = spawn(process.execPath, [built(script), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${script} did not start:\n${err}`));
    }, 30_000);
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /BENCH_LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before listening:\n${err}`));
    });
  });
  return {
    proc,
    port,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

interface Measured {
  scenario: string;
  storedUsers: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  peakRssMiB: number;
  /** Server CPU time (user + system) per request: less disturbed by other load on the machine than requests/s. */
  cpuMsPerRequest: number;
  /** Requests/s of every measured run; the table shows the best. */
  rounds: number[];
  /** Requests/s of the echo runs made just before each of this scenario's runs. */
  echoRounds?: number[];
  requests: number;
  non2xx: number;
  errors: number;
  /** Answer turns only: answers the bot acknowledged, and cards it found out of date (then resynced). */
  acknowledged?: number;
  stale?: number;
  ratioToEcho?: number;
}

type Setup = (ctx: Record<string, unknown>) => string;
type OnResponse = (status: number, body: string, ctx: Record<string, unknown>) => void;

function fire(
  url: string,
  duration: number,
  setup: Setup,
  onResponse?: OnResponse,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        pipelining: 1,
        duration,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: '/api/messages',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req, ctx) => ({ ...req, body: setup(ctx as Record<string, unknown>) }),
            ...(onResponse
              ? {
                  onResponse: (status: number, body: string, ctx: object) => {
                    onResponse(status, body, ctx as Record<string, unknown>);
                  },
                }
              : {}),
          },
        ],
      },
      (err: unknown, result) => {
        if (err) reject(err instanceof Error ? err : new Error('autocannon failed', { cause: err }));
        else resolve(result);
      },
    );
  });
}

async function serverStats(url: string): Promise<{ maxRssKiB: number; cpuMicros: number }> {
  return (await (await fetch(`${url}/bench-stats`)).json()) as { maxRssKiB: number; cpuMicros: number };
}

interface Load {
  url: string;
  setup: Setup;
  onResponse?: OnResponse;
}

/**
 * Warm-up, then ROUNDS measured runs against a running server; the fastest run counts (the machine
 * may be shared, and the least disturbed run is the fairest). With `baseline`, each run is preceded
 * by a run of the echo bot, so the ratio compares runs made moments apart, under the same conditions.
 */
async function measureRunning(
  scenario: string,
  storedUsers: number,
  load: Load,
  baseline?: Load,
): Promise<Measured> {
  const { url, setup, onResponse } = load;
  await fire(url, WARMUP, setup, onResponse);
  if (PROFILE) await fetch(`${url}/bench-profile/start`, { method: 'POST' });
  let best: { r: autocannon.Result; cpuMicros: number } | undefined;
  const rounds: number[] = [];
  const echoRounds: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (baseline)
      echoRounds.push(Math.round((await fire(baseline.url, DURATION, baseline.setup)).requests.average));
    const before = await serverStats(url);
    const r = await fire(url, DURATION, setup, onResponse);
    const cpuMicros = (await serverStats(url)).cpuMicros - before.cpuMicros;
    rounds.push(Math.round(r.requests.average));
    if (!best || r.requests.average > best.r.requests.average) best = { r, cpuMicros };
  }
  const stats = await serverStats(url);
  if (PROFILE) await fetch(`${url}/bench-profile/stop`, { method: 'POST' });
  const { r, cpuMicros } = best!;
  return {
    scenario,
    storedUsers,
    requestsPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: r.latency.average,
    peakRssMiB: Math.round(stats.maxRssKiB / 1024),
    cpuMsPerRequest: Math.round(cpuMicros / r.requests.total) / 1000,
    rounds,
    ...(baseline
      ? {
          echoRounds,
          ratioToEcho: Math.round((Math.max(...rounds) / Math.max(...echoRounds)) * 100) / 100,
        }
      : {}),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** A fresh bot server process for one scenario, measured against the echo baseline run alongside. */
async function measureBot(
  scenario: string,
  storedUsers: number,
  dataDir: string,
  baseline: Load,
  setup: Setup,
  onResponse?: OnResponse,
): Promise<Measured> {
  const profileFile = path.join(
    PROFILE_DIR,
    `${scenario}-${storedUsers}.cpuprofile`.replace(/[^\w.-]+/g, '-'),
  );
  if (PROFILE) await mkdir(PROFILE_DIR, { recursive: true });
  const server = await startChild(
    'server.ts',
    ['bot', dataDir],
    PROFILE ? { BENCH_PROFILE_FILE: profileFile } : {},
  );
  try {
    return await measureRunning(
      scenario,
      storedUsers,
      { url: `http://127.0.0.1:${server.port}`, setup, onResponse },
      baseline,
    );
  } finally {
    await server.stop();
  }
}

let activityCounter = 0;
function messageBody(aadObjectId: string, serviceUrl: string, text: string): string {
  return JSON.stringify({
    ...personalActivity(aadObjectId, serviceUrl),
    type: 'message',
    id: `bench-${++activityCounter}`,
    text,
    textFormat: 'plain',
  });
}

/** Cycles over the users; each connection has one request in flight, so the context knows whose it is. */
function cycle(count: number) {
  let next = 0;
  return () => next++ % count;
}

function answerTurns(users: BenchUser[], serviceUrl: string) {
  const revision = new Map<string, number>();
  const pick = cycle(users.length);
  const counts = { acknowledged: 0, stale: 0, other: 0 };
  const setup: Setup = (ctx) => {
    const u = users[pick()]!;
    const rev = revision.get(u.aadObjectId) ?? 0;
    ctx.user = u;
    const data: Record<string, unknown> = {
      action: 'save',
      assessmentId: u.assessmentId,
      revision: rev,
      subAreaId: u.subAreaId,
    };
    u.statementIds.forEach((id, n) => (data[`rating:${id}`] = RATINGS[(rev + n) % RATINGS.length]));
    return JSON.stringify({
      ...personalActivity(u.aadObjectId, serviceUrl),
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `bench-${++activityCounter}`,
      value: { action: { type: 'Action.Execute', verb: 'assess.step', data }, trigger: 'manual' },
    });
  };
  const onResponse: OnResponse = (status, body, ctx) => {
    const u = ctx.user as BenchUser;
    let parsed: { statusCode?: number; type?: string; value?: unknown } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      /* counted below */
    }
    const text = JSON.stringify(parsed.value ?? '');
    if (status === 200 && parsed.statusCode === 200 && text.includes('Self-assessment saved')) {
      counts.acknowledged++;
      revision.set(u.aadObjectId, (revision.get(u.aadObjectId) ?? 0) + 1);
      return;
    }
    // A stale card: the bot answers with the current step card; take the revision it carries.
    const m = /"revision":(\d+)/.exec(text);
    if (status === 200 && m) {
      counts.stale++;
      revision.set(u.aadObjectId, Number(m[1]));
    } else counts.other++;
  };
  return { setup, onResponse, counts };
}

async function connectorCount(
  port: number,
): Promise<{ activities: number; conversations: number; first: number; last: number }> {
  return (await (await fetch(`http://127.0.0.1:${port}/count`)).json()) as never;
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined || Number.isNaN(n)
    ? '—'
    : n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

// ------------------------------------------------------------------------------------------------
// DIGEST: the weekly digest for 1,000 managers × 10 coders through the connector stand-in: the time to
// compute every digest, then a real run, sent at the pace Teams allows.
// ------------------------------------------------------------------------------------------------
interface WriteCost {
  storedDocuments: number;
  writes: number;
  meanMicros: number;
  p50Micros: number;
  p99Micros: number;
}

/**
 * One lowdb write's cost with few or many documents stored: read-modify-write of a user's assessment
 * document (DocumentStore.update, as a turn does it), one at a time, cycling over the stored users.
 */
async function benchWrites(dir: string, users: BenchUser[], storedDocuments: number): Promise<WriteCost> {
  const storage = new LowdbStorage(dir);
  const store = new DocumentStore(storage);
  const times: number[] = [];
  const writes = 2_000;
  for (let i = 0; i < writes; i++) {
    const u = users[i % users.length]!;
    const t0 = performance.now();
    await store.update(assessmentKey(u.aadObjectId), AssessmentDocSchema, (doc) =>
      doc?.current ? { ...doc, current: { ...doc.current, updatedAt: new Date().toISOString() } } : undefined,
    );
    times.push((performance.now() - t0) * 1000);
  }
  // The bot processes write here next; a directory has one writing process at a time.
  await storage.close();
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
  return {
    storedDocuments,
    writes,
    meanMicros: Math.round(times.reduce((a, b) => a + b, 0) / times.length),
    p50Micros: at(0.5),
    p99Micros: at(0.99),
  };
}

interface DigestFigures {
  managers: number;
  /** Coders across all digests, and the time to compute every digest from storage, without sending. */
  coders: number;
  computeSeconds: number;
  /** The pace the run keeps to (connector requests per second per tenant). */
  requestsPerSecond: number;
  codersPerManager: number;
  wallSeconds: number;
  peakRssMiB: number;
  sendsPerSec: number;
  sends: number;
}

const DIGEST_MANAGERS = 1_000;
const DIGEST_CODERS_EACH = 10;

async function benchDigest(
  dataDir: string,
  connectorPort: number,
  serviceUrl: string,
): Promise<DigestFigures> {
  // The coders are the first 10,000 users already seeded in dataDir; the managers are added here.
  await seedManagers(dataDir, DIGEST_MANAGERS, DIGEST_CODERS_EACH, serviceUrl);
  await fetch(`http://127.0.0.1:${connectorPort}/reset`, { method: 'POST' });
  const proc = spawn(process.execPath, [built('digest.ts'), dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  proc.stderr.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => {
    const t = setTimeout(() => proc.kill('SIGKILL'), 300_000);
    proc.once('exit', (c) => {
      clearTimeout(t);
      resolve(c);
    });
  });
  const line = /BENCH_DIGEST (.*)/.exec(out)?.[1];
  if (code !== 0 || !line)
    throw new Error(`digest run exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`);
  const r = JSON.parse(line) as {
    managers: number;
    coders: number;
    computeMs: number;
    requestsPerSecond: number;
    summary: { sent: number; failed: number; skipped: number; unreachable: number };
    wallMs: number;
    maxRssKiB: number;
  };
  const received = await connectorCount(connectorPort);
  if (r.summary.sent !== DIGEST_MANAGERS || received.activities < DIGEST_MANAGERS)
    throw new Error(
      `sent ${r.summary.sent} of ${DIGEST_MANAGERS} digests (index listed ${r.managers}; failed ${r.summary.failed}, skipped ${r.summary.skipped}); the connector received ${received.activities}`,
    );
  return {
    managers: DIGEST_MANAGERS,
    coders: r.coders,
    computeSeconds: Math.round(r.computeMs / 10) / 100,
    requestsPerSecond: r.requestsPerSecond,
    codersPerManager: DIGEST_CODERS_EACH,
    wallSeconds: Math.round(r.wallMs / 100) / 10,
    peakRssMiB: Math.round(r.maxRssKiB / 1024),
    sendsPerSec: Math.round((r.summary.sent / r.wallMs) * 1000),
    sends: r.summary.sent,
  };
}

// ------------------------------------------------------------------------------------------------
// REMINDERS: a reminder pass over 10,000 people, each with an unfinished self-assessment, saved
// eligibility answers and a personal chat: the time to work out what is due for everyone, then a whole
// pass (claims and records written; the sends answered at once, since in production they keep to the
// proactive pace, which the digest measures), then a pass with nothing left to send.
// ------------------------------------------------------------------------------------------------
interface ReminderFigures {
  people: number;
  due: number;
  planSeconds: number;
  passSeconds: number;
  sent: number;
  againSeconds: number;
  peakRssMiB: number;
  /** Reminders a second through the connector stand-in, over the paced sample, and the pace set. */
  pacedSendsPerSecond: number;
  pacedSends: number;
  requestsPerSecond: number;
}

/** Runs bench/reminders.ts and returns the JSON after its marker line. */
async function remindersProcess(args: string[], marker: string): Promise<unknown> {
  const proc = spawn(process.execPath, [built('reminders.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  proc.stderr.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => {
    const t = setTimeout(() => proc.kill('SIGKILL'), 300_000);
    proc.once('exit', (c) => {
      clearTimeout(t);
      resolve(c);
    });
  });
  const line = new RegExp(`${marker} (.*)`).exec(out)?.[1];
  if (code !== 0 || !line)
    throw new Error(`reminder pass exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(line);
}

async function benchReminders(dataDir: string, people: number): Promise<ReminderFigures> {
  const DAY = 24 * 3600 * 1000;
  await seedReminderState(dataDir, people, new Date());
  // The pace is read on a copy, before the pass below records every reminder as sent.
  const pacedDir = `${dataDir}-paced`;
  await cp(dataDir, pacedDir, { recursive: true });
  // A weekday morning eight days on: every seeded assessment has waited over a week.
  const day = new Date(Date.now() + 8 * DAY);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setTime(day.getTime() + DAY);
  const at = `${day.toISOString().slice(0, 10)}T10:00:00.000Z`;
  const r = (await remindersProcess([dataDir, at], 'BENCH_REMINDERS')) as {
    people: number;
    due: number;
    planMs: number;
    pass: { sent: number; failed: number; durationMs: number };
    again: { sent: number; durationMs: number };
    maxRssKiB: number;
  };
  if (r.due !== people || r.pass.sent !== people || r.again.sent !== 0)
    throw new Error(
      `of ${people} people ${r.due} had a reminder due, ${r.pass.sent} were sent (${r.pass.failed} failed), then ${r.again.sent} again`,
    );
  const paced = (await remindersProcess([pacedDir, at, 'paced'], 'BENCH_REMINDERS_PACED')) as {
    sent: number;
    failed: number;
    paced: number;
    sendsPerSecond: number;
    requestsPerSecond: number;
  };
  await rm(pacedDir, { recursive: true, force: true });
  if (paced.sent !== people || paced.paced === 0)
    throw new Error(
      `paced reminder pass: ${paced.sent} of ${people} sent, ${paced.paced} through the connector`,
    );
  const seconds = (ms: number) => Math.round(ms / 10) / 100;
  return {
    people: r.people,
    due: r.due,
    planSeconds: seconds(r.planMs),
    passSeconds: seconds(r.pass.durationMs),
    sent: r.pass.sent,
    againSeconds: seconds(r.again.durationMs),
    peakRssMiB: Math.round(r.maxRssKiB / 1024),
    pacedSendsPerSecond: Math.round(paced.sendsPerSecond * 10) / 10,
    pacedSends: paced.paced,
    requestsPerSecond: paced.requestsPerSecond,
  };
}
// ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const lib = await loadLibrary();
  const connector = await startChild('connector.ts', []);
  const serviceUrl = `http://127.0.0.1:${connector.port}/`;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'cab-bench-'));
  const results: Measured[] = [];
  let echoServer: Child | undefined;
  const writeCosts: WriteCost[] = [];
  let digest: DigestFigures | string = 'not run';
  let reminders: ReminderFigures | string = 'not run';
  const seedSeconds: Record<number, number> = {};
  try {
    const datasets = new Map<number, { dir: string; users: BenchUser[] }>();
    const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : SIZES;
    const seedCoders = async (n: number) => {
      const dir = path.join(tmp, `users-${n}`);
      const t0 = performance.now();
      const users = await seedUsers(dir, lib, n, serviceUrl);
      seedSeconds[n] = Math.round((performance.now() - t0) / 10) / 100;
      console.error(`seeded ${n.toLocaleString('en-GB')} users in ${seedSeconds[n]} s`);
      datasets.set(n, { dir, users });
      return { dir, users };
    };
    for (const n of ONLY === 'echo' || ONLY === 'digest' || ONLY === 'reminders' ? [100] : sizes)
      await seedCoders(n);
    const largest = datasets.get(10_000) ?? datasets.get(100)!;

    console.error(`echo baseline…`);
    const echoPick = cycle(largest.users.length);
    echoServer = await startChild('server.ts', ['echo', path.join(tmp, 'echo')]);
    const baseline: Load = {
      url: `http://127.0.0.1:${echoServer.port}`,
      setup: () => messageBody(userId(echoPick()), serviceUrl, 'hello'),
    };
    results.push(await measureRunning('echo (baseline)', 0, baseline));

    if (!ONLY || ONLY === 'writes') {
      console.error(`lowdb write cost…`);
      const few = await seedUsers(path.join(tmp, 'users-5'), lib, 5, serviceUrl);
      writeCosts.push(await benchWrites(path.join(tmp, 'users-5'), few, 10));
      for (const [n, set] of datasets) writeCosts.push(await benchWrites(set.dir, set.users, n * 2));
    }

    if (runs('question')) {
      console.error(`question turn…`);
      const qPick = cycle(largest.users.length);
      let q = 0;
      const question = await measureBot('question turn', largest.users.length, largest.dir, baseline, () =>
        messageBody(userId(qPick()), serviceUrl, QUESTIONS[q++ % QUESTIONS.length]!),
      );
      results.push(question);
    }

    for (const n of runs('answer') ? [10_000, 1_000, 100].filter((x) => datasets.has(x)) : []) {
      console.error(`answer turn at ${n} users…`);
      const set = datasets.get(n)!;
      const turns = answerTurns(set.users, serviceUrl);
      const m = await measureBot('answer turn', n, set.dir, baseline, turns.setup, turns.onResponse);
      m.acknowledged = turns.counts.acknowledged;
      m.stale = turns.counts.stale;
      m.errors += turns.counts.other;
      results.push(m);
    }

    if (runs('digest')) {
      console.error(`weekly digest…`);
      try {
        const coders = datasets.get(10_000) ?? (await seedCoders(10_000));
        digest = await benchDigest(coders.dir, connector.port, serviceUrl);
      } catch (e) {
        digest = `failed: ${(e as Error).message}`;
      }
    }

    if (runs('reminders')) {
      console.error(`reminder pass…`);
      try {
        const coders = datasets.get(10_000) ?? (await seedCoders(10_000));
        reminders = await benchReminders(coders.dir, coders.users.length);
      } catch (e) {
        reminders = `failed: ${(e as Error).message}`;
      }
    }
    // Its peak RSS covers the runs made alongside the other scenarios too: the same kind of load.
    results[0]!.peakRssMiB = Math.round((await serverStats(baseline.url)).maxRssKiB / 1024);
  } finally {
    await echoServer?.stop();
    await connector.stop();
    await rm(tmp, { recursive: true, force: true });
  }
  results[0]!.ratioToEcho = 1;

  const lines = [
    `| Scenario | Stored users | Requests/s | p50 ms | p99 ms | Peak RSS MiB | × echo | Server CPU ms/request |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|`,
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.storedUsers ? fmt(r.storedUsers) : '—'} | ${fmt(r.requestsPerSec)} | ${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.peakRssMiB)} | ${fmt(r.ratioToEcho, 2)} | ${fmt(r.cpuMsPerRequest, 2)} |`,
    ),
    '',
    ...(writeCosts.length
      ? [
          `| One lowdb write (read-modify-write of an assessment) | Documents stored | Mean µs | p50 µs | p99 µs |`,
          `|---|---:|---:|---:|---:|`,
          ...writeCosts.map(
            (w) =>
              `| ${fmt(w.writes)} in a row | ${fmt(w.storedDocuments)} | ${fmt(w.meanMicros)} | ${fmt(w.p50Micros)} | ${fmt(w.p99Micros)} |`,
          ),
          '',
        ]
      : []),
    ...(typeof digest === 'string'
      ? [`digest: ${digest}`]
      : [
          `| Weekly digest | Managers × coders | Compute all, s | Run wall time s | Sends/s (pace) | Peak RSS MiB |`,
          `|---|---:|---:|---:|---:|---:|`,
          `| through the connector stand-in | ${fmt(digest.managers)} × ${digest.codersPerManager} (${fmt(digest.coders)}) | ${fmt(digest.computeSeconds, 2)} | ${fmt(digest.wallSeconds, 1)} | ${fmt(digest.sendsPerSec)} (${digest.requestsPerSecond}) | ${fmt(digest.peakRssMiB)} |`,
        ]),
    '',
    ...(typeof reminders === 'string'
      ? [`reminders: ${reminders}`]
      : [
          `| Reminder pass | People | Due | Work out what is due, s | Whole pass, sends answered at once, s | Next pass, nothing left, s | Sends/s through the connector (pace) | Peak RSS MiB |`,
          `|---|---:|---:|---:|---:|---:|---:|---:|`,
          `| one reminder due each, lowdb | ${fmt(reminders.people)} | ${fmt(reminders.due)} | ${fmt(reminders.planSeconds, 2)} | ${fmt(reminders.passSeconds, 2)} | ${fmt(reminders.againSeconds, 2)} | ${fmt(reminders.pacedSendsPerSecond, 1)} over ${fmt(reminders.pacedSends)} (${reminders.requestsPerSecond}) | ${fmt(reminders.peakRssMiB)} |`,
        ]),
  ];
  const at = (n: number) => results.find((r) => r.scenario === 'answer turn' && r.storedUsers === n);
  const question = results.find((r) => r.scenario === 'question turn' && r.storedUsers === 10_000);
  const [answer10k, answer100] = [at(10_000), at(100)];
  if (ONLY || !question || !answer10k || !answer100) {
    console.log(
      `\n${lines.join('\n')}\n\n(partial run: BENCH_ONLY or BENCH_SIZES set; bench/results.json left as it was)`,
    );
    return;
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
  const table = lines.join('\n');
  const growth = answer10k.requestsPerSec / answer100.requestsPerSec;
  const targets = {
    questionAtLeastHalfOfEcho: question.ratioToEcho! >= 0.5,
    answerAtLeastHalfOfEcho: answer10k.ratioToEcho! >= 0.5,
    questionP99Under50ms: question.p99Ms < 50,
    answerP99Under50ms: answer10k.p99Ms < 50,
    answerAt10kWithin20PercentOf100: growth >= 0.8,
    reminderPassFor10kWorkedOutUnder5s: typeof reminders !== 'string' && reminders.planSeconds < 5,
    // Sent at the proactive pace: never faster than the pace set, and not held far below it.
    reminderSendsKeepToProactivePace:
      typeof reminders !== 'string' &&
      reminders.pacedSendsPerSecond <= reminders.requestsPerSecond * 1.05 &&
      reminders.pacedSendsPerSecond >= reminders.requestsPerSecond * 0.8,
  };
  console.log(
    [
      '',
      table,
      '',
      `${CONNECTIONS} connections; per scenario a fresh server process, a ${WARMUP} s warm-up, then the best of ${ROUNDS} runs of ${DURATION} s, each just after a run of the echo bot (× echo compares the best of each); all on 127.0.0.1, server and load generator in separate processes.`,
      `Answer turn at 10,000 users / at 100 users: ${fmt(growth * 100)}% of the throughput.`,
      ...results.map(
        (r) =>
          `${r.scenario}${r.storedUsers ? ` at ${fmt(r.storedUsers)}` : ''}: ${fmt(r.requests)} requests, ${r.non2xx} non-2xx, ${r.errors} errors${r.acknowledged !== undefined ? `, ${fmt(r.acknowledged)} answers acknowledged and ${fmt(r.stale)} stale cards resynced over all runs` : ''}; requests/s per run ${r.rounds.join(', ')}${r.echoRounds ? ` (echo just before: ${r.echoRounds.join(', ')})` : ''}.`,
      ),
      `Machine: ${machine}.`,
      '',
      'Targets:',
      ...Object.entries(targets).map(([k, v]) => `  ${v ? 'met    ' : 'MISSED '} ${k}`),
      '',
    ].join('\n'),
  );

  const json = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()}`,
    method: {
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      rounds: ROUNDS,
      warmupSeconds: WARMUP,
      host: '127.0.0.1',
      storage: 'lowdb',
      seedSeconds,
    },
    results,
    answerThroughputAt10kVs100: Math.round(growth * 100) / 100,
    lowdbWriteCost: writeCosts,
    digest,
    reminders,
    targets,
    table,
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  const out = path.join(here, 'results.json');
  // Formatted as the repository's formatter would, so the file is ready to commit as it is.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(out)) ?? {};
  await writeFile(`${out}.tmp`, await prettier.format(JSON.stringify(json), { ...options, parser: 'json' }));
  await rename(`${out}.tmp`, out);
  console.error(`wrote ${path.relative(root, out)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
