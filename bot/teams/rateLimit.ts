import { ActivityTypes, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import { errorInvokeResponse, userKeyOf } from './turn.js';

export const RATE_LIMIT_NOTICE = "You're sending messages faster than I can answer; please wait a moment.";

/** Turns people start themselves; Teams' own events (installs, members added) are never dropped. */
const COUNTED = new Set<string>([ActivityTypes.Message, ActivityTypes.Invoke, ActivityTypes.MessageReaction]);
/** The activity types answered here, as the plain strings an activity's `type` holds. */
const MESSAGE: string = ActivityTypes.Message;
const INVOKE: string = ActivityTypes.Invoke;

interface Bucket {
  tokens: number;
  at: number;
  /** The user has been told about this run of refusals already. */
  warned: boolean;
}

export type Take = 'allowed' | 'refused' | 'refusedFirst';

/**
 * Token buckets, one per key: `capacity` turns at once, refilled at `capacity` per minute. The map is
 * kept in least-recently-used order and trimmed to `maxKeys`; forgetting a bucket only gives that key
 * a full bucket again, so memory is bounded and the worst case is a little leniency.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = capacity / 60_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): Take {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now, warned: false };
    this.buckets.delete(key);
    b.tokens = Math.min(this.capacity, b.tokens + Math.max(0, now - b.at) * this.perMs);
    b.at = now;
    let result: Take;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.warned = false;
      result = 'allowed';
    } else {
      result = b.warned ? 'refused' : 'refusedFirst';
      b.warned = true;
    }
    this.buckets.set(key, b);
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(oldest);
    }
    return result;
  }
}

/**
 * Per-user throttling of incoming turns (RATE_LIMIT_PER_MINUTE). A refused turn goes no further: no
 * handler runs and nothing is stored. A message gets one short notice per run of refusals; an invoke
 * gets an HTTP 200 invoke response with an error body, statusCode 429, so a card shows the error
 * instead of waiting for a timeout. Other users have their own buckets.
 */
export class RateLimitMiddleware implements Middleware {
  private readonly buckets: TokenBuckets;

  constructor(
    perMinute: number,
    private readonly log?: Logger,
    opts: { maxKeys?: number; now?: () => number } = {},
  ) {
    this.buckets = new TokenBuckets(perMinute, opts.maxKeys, opts.now);
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    // As it arrived: the channel may leave out the conversation (or anything else botbuilder types as there).
    const activity: Partial<Activity> = context.activity;
    if (!COUNTED.has(activity.type ?? '')) return next();
    const verdict = this.buckets.take(userKeyOf(activity));
    if (verdict === 'allowed') return next();
    if (verdict === 'refusedFirst') {
      this.log?.warn(
        { event: 'turn.throttled', activityType: activity.type, conversationId: activity.conversation?.id },
        'turns refused: over the per-user rate limit',
      );
    }
    if (activity.type === INVOKE) {
      await context.sendActivity({
        type: 'invokeResponse',
        value: errorInvokeResponse(429, RATE_LIMIT_NOTICE),
      });
      return;
    }
    if (activity.type === MESSAGE && verdict === 'refusedFirst') {
      await context
        .sendActivity({ type: ActivityTypes.Message, text: RATE_LIMIT_NOTICE, textFormat: 'plain' })
        .catch((e: unknown) =>
          this.log?.warn(
            { event: 'turn.throttled.notice.failed', status: (e as { statusCode?: number }).statusCode },
            'could not send the rate-limit notice',
          ),
        );
    }
  }
}
