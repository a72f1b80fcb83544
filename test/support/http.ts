import { RATINGS } from '../../bot/core/assessment/assessment.js';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { cardToText, type CardButton, type CardInput } from '../../bot/teams/cardText.js';
import { startBot, type RunningBot } from './botServer.js';
import { ConnectorStandIn } from './connectorStandIn.js';
import { fitAnswer } from './conversation.js';

export const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** A card as a person reads it, with what its buttons send. */
export interface ReadCard {
  text: string;
  lines: string[];
  buttons: CardButton[];
  inputs: CardInput[];
  card: Record<string, unknown>;
}

export function readCard(card: Record<string, unknown>): ReadCard {
  const flat = cardToText(card);
  return { text: flat.lines.join('\n'), ...flat, card };
}

/** What the bot posted to the service URL: where it went and the cards it carried. */
export interface Posted {
  path: string;
  /** The conversation id from the URL path, decoded. */
  conversationId: string;
  body: Record<string, unknown>;
  cards: ReadCard[];
  /** Plain text and every card line, for "contains" checks. */
  text: string;
}

export function posted(standIn: ConnectorStandIn): Posted[] {
  return standIn.received
    .filter((r) => /\/activities/.test(r.path))
    .map((r) => {
      const m = /\/v3\/conversations\/([^/]+)\/activities/.exec(r.path);
      const attachments = (r.body.attachments ?? []) as { contentType?: string; content?: unknown }[];
      const cards = attachments
        .filter((a) => a.contentType === ADAPTIVE && a.content && typeof a.content === 'object')
        .map((a) => readCard(a.content as Record<string, unknown>));
      const text = [typeof r.body.text === 'string' ? r.body.text : '', ...cards.map((c) => c.text)]
        .join('\n')
        .trim();
      return {
        path: r.path,
        conversationId: m?.[1] ? decodeURIComponent(m[1]) : '',
        body: r.body,
        cards,
        text,
      };
    });
}

/** The start of a body as JSON for a message; JSON.stringify gives undefined (not typed so) for undefined. */
function preview(body: unknown): string {
  return body === undefined ? 'undefined' : JSON.stringify(body).slice(0, 300);
}

/** The card an adaptiveCard/action invoke answered with, from the HTTP response body. */
export function invokeCard(res: { status: number; body: unknown }): ReadCard {
  assert.equal(res.status, 200, `invoke HTTP status (body: ${preview(res.body)})`);
  const body = res.body as { statusCode?: number; type?: string; value?: unknown };
  assert.equal(body.statusCode, 200, `invoke statusCode (body: ${preview(body)})`);
  assert.equal(body.type, ADAPTIVE);
  return readCard(body.value as Record<string, unknown>);
}

export function button(card: ReadCard, title: string): CardButton {
  const b = card.buttons.find((x) => x.title === title);
  assert.ok(b, `button "${title}" on the card (have: ${card.buttons.map((x) => x.title).join(', ')})`);
  return b;
}

/** A bot on loopback and a Bot Connector stand-in it replies to. */
export class Harness {
  private constructor(
    public bot: RunningBot,
    readonly connector: ConnectorStandIn,
  ) {}

  static async start(opts: { dataDir?: string } = {}): Promise<Harness> {
    const connector = await new ConnectorStandIn().start();
    try {
      const bot = await startBot({ dataDir: opts.dataDir });
      return new Harness(bot, connector);
    } catch (e) {
      await connector.stop();
      throw e;
    }
  }

  get serviceUrl(): string {
    return this.connector.url;
  }

  get messagesUrl(): string {
    return `${this.bot.url}/api/messages`;
  }

  /** POSTs to this bot's /api/messages (see postActivity). */
  send(
    activity: unknown,
    opts: { headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<{ status: number; body: unknown }> {
    return postActivity(this.messagesUrl, activity, opts);
  }

  posted(): Posted[] {
    return posted(this.connector);
  }

  /** Replaces the bot with a new one over the same data directory (a restart). */
  async restartBot(): Promise<void> {
    const dataDir = this.bot.dataDir;
    await stopBot(this.bot);
    this.bot = await startBot({ dataDir });
  }

  async stop(): Promise<void> {
    await Promise.allSettled([stopBot(this.bot), this.connector.stop()]);
  }
}

/** Stops the bot, dropping connections a stuck turn still holds open (close alone would wait). */
async function stopBot(bot: RunningBot): Promise<void> {
  const stopped = bot.stop();
  (bot.server.server as http.Server).closeAllConnections();
  await stopped;
}

/** Gives anything the bot might still send (it should not) a moment to arrive. */
/**
 * POSTs an activity to a bot's /api/messages; raw strings go as they are (for malformed bodies). A bot
 * that never answers fails the test after `timeoutMs` instead of hanging it; a dropped connection (the
 * bot was killed) rejects.
 */
export async function postActivity(
  url: string,
  activity: unknown,
  opts: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown }> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) },
      body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    if ((e as Error).name === 'TimeoutError') {
      const a: { type?: unknown; text?: unknown } =
        typeof activity === 'object' && activity !== null ? activity : {};
      throw new Error(
        `POST /api/messages (${String(a.type)} ${JSON.stringify(a.text ?? '').slice(0, 60)}) got no HTTP response within ${timeoutMs} ms`,
        { cause: e },
      );
    }
    throw e;
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

/** A step card's ratings as the card would submit them: a different rating per statement, from `seed`. */
export function ratingsFor(card: ReadCard, seed: number): Record<string, string> {
  const out: Record<string, string> = {};
  card.inputs
    .filter((i) => i.id.startsWith('rating:'))
    .forEach((input, n) => (out[input.id] = fitAnswer(input, RATINGS[(seed + n) % RATINGS.length]!)));
  return out;
}

export function settle(ms = 150): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
