import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/**
 * A Bot Connector stand-in on loopback: accepts what the bot posts to the service URL, records it,
 * and can answer with a chosen status (429 with Retry-After, 5xx, 403) for the next N calls, or hold
 * its answers (so that a turn stays in flight, waiting on the connector) until released.
 */
export class ConnectorStandIn {
  readonly received: Received[] = [];
  /** Every request that arrived, including those answered with a failure. */
  attempts = 0;
  private server?: http.Server;
  private failures: { status: number; headers?: Record<string, string> }[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private holding = false;
  /** People the app is installed for, by Entra object id; see installedFor. */
  private readonly people = new Map<string, { id: string; name: string; aadObjectId: string }>();
  /** Requests after this many are held (see holdAfter). */
  private holdFrom = Infinity;
  private held: (() => void)[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      req.on('end', () => {
        this.attempts++;
        const fail = this.failures.shift();
        if (fail) {
          res.writeHead(fail.status, { 'content-type': 'application/json', ...(fail.headers ?? {}) });
          res.end(JSON.stringify({ error: { code: 'Failure', message: `stand-in ${fail.status}` } }));
          return;
        }
        let body: Record<string, unknown>;
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          body = { raw };
        }
        this.received.push({
          method: req.method ?? '',
          path: req.url ?? '',
          body,
          headers: req.headers,
          at: Date.now(),
        });
        this.waiters = this.waiters.filter((w) => {
          if (this.received.length >= w.count) {
            w.resolve();
            return false;
          }
          return true;
        });
        const n = this.received.length;
        const answer = () => {
          const reply = this.reply(req.method ?? '', req.url ?? '', body, n);
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply.body));
        };
        if (this.holding || n > this.holdFrom) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /**
   * Makes the tenant's directory known: Teams opens a personal chat by Entra object id only with
   * someone the app is installed for (403 for anyone else), and a chat's roster names its member.
   */
  installedFor(...people: { id: string; name: string; aadObjectId: string }[]): void {
    for (const p of people) this.people.set(p.aadObjectId, p);
  }

  private reply(
    method: string,
    url: string,
    body: Record<string, unknown>,
    n: number,
  ): { status: number; body: unknown } {
    const path = url.replace(/^\/+/, '/');
    if (path.endsWith('/v3/conversations') && method === 'POST') {
      const member = (body.members as { id?: string }[] | undefined)?.[0]?.id ?? '';
      const byObjectId = /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(member);
      if (byObjectId && !this.people.has(member)) {
        return { status: 403, body: { error: { code: 'Forbidden', message: 'bot not installed for user' } } };
      }
      return { status: 200, body: { id: `a:created-${n}`, serviceUrl: this.url } };
    }
    const asked = /\/v3\/conversations\/[^/]+\/members\/([^/?]+)$/.exec(path);
    if (method === 'GET' && asked) {
      const who = decodeURIComponent(asked[1]!);
      const p = this.people.get(who) ?? [...this.people.values()].find((x) => x.id === who);
      return p
        ? { status: 200, body: { ...p, userPrincipalName: `${p.aadObjectId}@example.org` } }
        : { status: 404, body: { error: { code: 'NotFound', message: 'member not found' } } };
    }
    return { status: 200, body: { id: `m-${n}` } };
  }

  /** Answers nothing until `release()`; requests are still recorded as they arrive. */
  hold(): void {
    this.holding = true;
  }

  /** Answers the first `count` requests from now as usual, then holds the rest until `release()`. */
  holdAfter(count: number): void {
    this.holdFrom = this.received.length + count;
  }

  release(): void {
    this.holding = false;
    this.holdFrom = Infinity;
    for (const answer of this.held.splice(0)) answer();
  }

  failNext(times: number, status: number, headers?: Record<string, string>): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, headers });
  }

  /** Resolves when at least `count` requests have arrived in all, or rejects after `ms`. */
  waitFor(count: number, ms = 5000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        reject(new Error(`connector stand-in: ${this.received.length} of ${count} requests after ${ms} ms`));
      }, ms);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  activities(): Record<string, unknown>[] {
    return this.received.filter((r) => /\/activities/.test(r.path)).map((r) => r.body);
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => {
      if (this.server) {
        this.server.close(() => {
          r();
        });
      } else r();
    });
  }
}
