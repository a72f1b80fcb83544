import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The real composition root (`node --import tsx bot/index.ts`) as a child process, on loopback. */
export class ChildBot {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly output: string[],
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  ) {}

  static async start(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildBot> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        LOG_LEVEL: 'silent',
        STORAGE: 'lowdb',
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const bot = new ChildBot(child, `http://127.0.0.1:${port}`, output, exited);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the bot exited during start-up:\n${output.join('')}`);
      try {
        const res = await fetch(`${bot.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return bot;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the bot did not answer /healthz within ${timeoutMs} ms:\n${output.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get messagesUrl(): string {
    return `${this.url}/api/messages`;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

/**
 * A Bot Connector stand-in that can hold its answer to the bot's replies, so that a turn is still in
 * flight (waiting on the connector) while the test does something to the bot.
 */
export class HoldingConnector {
  private server?: http.Server;
  private held: (() => void)[] = [];
  private holding = false;
  private arrivals: (() => void)[] = [];
  readonly received: { path: string; body: Record<string, unknown> }[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const answer = () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `m-${this.received.length}` }));
        };
        this.received.push({
          path: req.url ?? '',
          body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
        });
        this.arrivals.splice(0).forEach((f) => f());
        if (this.holding) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    this.held.splice(0).forEach((f) => f());
  }

  /** Resolves when the next request from the bot arrives. */
  nextArrival(): Promise<void> {
    return new Promise((r) => this.arrivals.push(r));
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}
