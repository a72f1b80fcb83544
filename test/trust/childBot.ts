import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/dev.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The real composition root (`node --import tsx bot/index.ts`) as a child process, on loopback. */
export class ChildBot {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly output: string[],
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  ) {}

  /** `preload`: modules imported before the bot (`--import`), such as a clock set to another day. */
  static async start(
    env: Record<string, string>,
    timeoutMs = 30_000,
    preload: string[] = [],
  ): Promise<ChildBot> {
    const port = await freePort();
    const imports = preload.flatMap((m) => ['--import', m]);
    const child = spawn(process.execPath, ['--import', 'tsx', ...imports, 'bot/index.ts'], {
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
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });
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
