import {
  TeamsInfo,
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import pThrottle from 'p-throttle';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { RenderedCard } from './cards.js';

/** Where to reach someone who may never have chatted with the bot. */
export interface PersonalAddress {
  /** A stored personal conversation reference, when there is one. */
  reference?: Partial<ConversationReference>;
  /** Otherwise: their Teams user id (29:…), tenant and the service URL of a conversation both share. */
  teamsUserId?: string;
  tenantId?: string;
  serviceUrl?: string;
  bot?: { id: string; name?: string };
}

export type SendOutcome =
  | { ok: true; reference: Partial<ConversationReference> }
  | { ok: false; gone: boolean; status?: number; error: string };

/** Someone in the tenant, reached by their Entra object id, as their personal chat with the bot knows them. */
export type FoundPerson =
  | { ok: true; teamsId: string; name: string; reference: Partial<ConversationReference> }
  | { ok: false; gone: boolean; status?: number; error: string };

export interface RetryPolicy {
  attempts: number;
  /** Base delay for exponential backoff when the connector gives no Retry-After. */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Connector requests per second per tenant for proactive sends. Teams allows an app 50 per tenant in
 * all; the rest is left for replies in conversations going on during a digest run.
 */
const DEFAULT_REQUESTS_PER_SECOND = 40;

/**
 * Proactive messages: continue the stored personal conversation, or create one through the
 * connector (the documented Teams way to reach a user who never chatted with the bot). HTTP 429 and
 * 5xx are retried with backoff honouring Retry-After; 403/404 mean the user removed or blocked the
 * bot, reported as `gone` so the caller stops trying.
 */
export class ProactiveMessenger {
  /** One pacer per tenant: Teams counts an app's requests per tenant. */
  private readonly pacers = new Map<string, () => Promise<void>>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly log: Logger,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND,
  ) {}

  /**
   * Waits for a slot for `requests` connector requests in the tenant, so a run of many sends goes
   * as fast as Teams allows rather than into 429s. p-throttle's strict mode holds the limit over any
   * one-second window.
   */
  private async pace(tenantId: string, requests: number): Promise<void> {
    let pacer = this.pacers.get(tenantId);
    if (!pacer) {
      pacer = pThrottle({ limit: this.requestsPerSecond, interval: 1000, strict: true })(async () => {});
      this.pacers.set(tenantId, pacer);
    }
    for (let i = 0; i < requests; i++) await pacer();
  }

  async sendCard(to: PersonalAddress, card: RenderedCard): Promise<SendOutcome> {
    const activity: Partial<Activity> = {
      type: 'message',
      attachments: [card.attachment],
      summary: card.summary,
    };
    let sendError: unknown;
    const logic = async (ctx: TurnContext) => {
      sendError = undefined;
      try {
        await ctx.sendActivity(activity);
      } catch (e) {
        // Caught here so the adapter's turn-error handler does not swallow it: the caller decides.
        sendError = e;
      }
    };
    for (let attempt = 1; ; attempt++) {
      // What went wrong: opening the conversation threw, or the send inside it did.
      let e: unknown;
      try {
        const reference = await this.open(to, logic);
        if (!sendError) {
          if (!reference) return { ok: false, gone: false, error: 'no address' };
          return { ok: true, reference };
        }
        e = sendError;
      } catch (thrown) {
        e = thrown;
      }
      const status = statusOf(e);
      if (status === 403 || status === 404)
        return { ok: false, gone: true, status, error: `connector ${status}` };
      const retryable = status === 429 || (status !== undefined && status >= 500) || status === undefined;
      if (!retryable || attempt >= this.retry.attempts) {
        return { ok: false, gone: false, status, error: messageOf(e) ?? 'send failed' };
      }
      const wait = this.delayFor(e, attempt);
      this.log.debug({ event: 'proactive.retry', status, attempt, waitMs: wait }, 'retrying send');
      await (this.retry.sleep ?? sleep)(wait);
    }
  }

  /**
   * Runs `logic` as a turn in the person's personal chat with the bot: the stored one, or one
   * created now. For a personal command typed in a channel or group chat, so it is tried once,
   * within the user's turn, with no retries; 403/404 are reported as `gone`.
   */
  async runInPersonalChat(
    to: PersonalAddress,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<SendOutcome> {
    try {
      const reference = await this.open(to, logic);
      return reference ? { ok: true, reference } : { ok: false, gone: false, error: 'no address' };
    } catch (e) {
      const status = statusOf(e);
      return {
        ok: false,
        gone: status === 403 || status === 404,
        status,
        error: messageOf(e) ?? 'could not open the chat',
      };
    }
  }

  /**
   * Finds a person picked by Entra object id (the people picker's value) without a team shared
   * with them: Teams opens the bot's personal chat with anyone the app is installed for, given
   * their object id, and the chat's roster gives their Teams id and name. Nothing is sent. Where
   * the app is not installed for them the connector answers 403 or 404, reported as `gone`.
   */
  async findPerson(
    aadObjectId: string,
    where: { tenantId?: string; serviceUrl?: string; bot?: { id: string; name?: string } },
  ): Promise<FoundPerson> {
    let member: { id?: string; name?: string } | undefined;
    let lookupError: unknown;
    const opened = await this.runInPersonalChat({ teamsUserId: aadObjectId, ...where }, async (ctx) => {
      await this.pace(where.tenantId ?? 'unknown', 1);
      // Caught here so the adapter's turn-error handler does not swallow it.
      member = await TeamsInfo.getMember(ctx, aadObjectId).catch((e: unknown) => {
        lookupError = e;
        return undefined;
      });
    });
    if (!opened.ok) return opened;
    if (lookupError !== undefined) {
      const status = statusOf(lookupError);
      return {
        ok: false,
        gone: status === 403 || status === 404,
        status,
        error: messageOf(lookupError) ?? 'could not read the chat roster',
      };
    }
    if (!member?.id) return { ok: false, gone: true, error: 'not in the chat roster' };
    return {
      ok: true,
      teamsId: member.id,
      name: member.name ?? '',
      reference: { ...opened.reference, user: { id: member.id, name: member.name ?? '' } },
    };
  }

  /**
   * The one place a conversation is continued or created: continues the stored reference, or
   * creates a personal conversation through the connector (the documented Teams way to reach a
   * user who never chatted with the bot), paced per tenant, and runs `logic` in it. Returns the
   * conversation's reference, or undefined when the address is not enough to reach anyone.
   */
  private async open(
    to: PersonalAddress,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<Partial<ConversationReference> | undefined> {
    const tenant =
      to.tenantId ?? (to.reference?.conversation as { tenantId?: string } | undefined)?.tenantId ?? 'unknown';
    if (to.reference) {
      await this.pace(tenant, 1);
      await this.adapter.continueConversationAsync(this.appId, to.reference, async (ctx) => {
        // A proactive turn's event is nothing to reply to.
        delete (ctx.activity as Partial<Activity>).id;
        await logic(ctx);
      });
      return to.reference;
    }
    if (!to.teamsUserId || !to.serviceUrl) return undefined;
    const parameters = {
      isGroup: false,
      bot: to.bot,
      members: [{ id: to.teamsUserId, name: '' }],
      tenantId: to.tenantId,
      channelData: { tenant: { id: to.tenantId } },
    } as ConversationParameters;
    let reference: Partial<ConversationReference> = {};
    // Creating the conversation, then sending in it.
    await this.pace(tenant, 2);
    await this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      to.serviceUrl,
      '',
      parameters,
      async (ctx) => {
        // A created conversation's event carries the conversation id as its id: nothing to reply to.
        const created: Partial<Activity> = ctx.activity;
        delete created.id;
        // botbuilder's event for a created conversation sets no `from`: the user is the one it was made with.
        reference = {
          ...referenceOf(ctx),
          user: created.from ?? { id: to.teamsUserId ?? '', name: '' },
        };
        await logic(ctx);
      },
    );
    return reference;
  }

  private delayFor(e: unknown, attempt: number): number {
    const header = retryAfterOf(e);
    if (header !== undefined) return Math.min(header, this.retry.maxDelayMs);
    const backoff = this.retry.baseDelayMs * 2 ** (attempt - 1);
    return Math.min(backoff * (0.8 + Math.random() * 0.4), this.retry.maxDelayMs);
  }
}

function referenceOf(ctx: TurnContext): Partial<ConversationReference> {
  return {
    activityId: undefined,
    user: ctx.activity.from,
    bot: ctx.activity.recipient,
    conversation: ctx.activity.conversation,
    channelId: ctx.activity.channelId,
    serviceUrl: ctx.activity.serviceUrl,
    locale: ctx.activity.locale,
  };
}

const optionalNumber = z.number().optional().catch(undefined);

/**
 * What a thrown error may say about itself: core-rest-pipeline's RestError has all of it, but
 * anything can be thrown, so each part is read only where it has the expected type.
 */
const ConnectorErrorSchema = z.object({
  statusCode: optionalNumber,
  status: optionalNumber,
  message: z.string().optional().catch(undefined),
  response: z.object({ status: optionalNumber, headers: z.unknown() }).optional().catch(undefined),
});

function connectorError(e: unknown): z.output<typeof ConnectorErrorSchema> {
  return ConnectorErrorSchema.safeParse(e).data ?? {};
}

function statusOf(e: unknown): number | undefined {
  const err = connectorError(e);
  return err.statusCode ?? err.status ?? err.response?.status;
}

/** The error's message, cut to 200 characters; undefined when it has none. */
function messageOf(e: unknown): string | undefined {
  return connectorError(e).message?.slice(0, 200);
}

/** A header from core-rest-pipeline's HttpHeaders (`get`), else from a plain object of headers. */
function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const got: unknown =
    'get' in headers && typeof headers.get === 'function'
      ? (headers as { get: (n: string) => unknown }).get(name)
      : undefined;
  const value = got ?? (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After in milliseconds, from seconds or an HTTP date. */
function retryAfterOf(e: unknown): number | undefined {
  const raw = headerOf(connectorError(e).response?.headers, 'retry-after');
  if (!raw) return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
