import type { Activity, ConversationReference } from 'botbuilder';
import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { DocumentStore } from '../storage/documentStore.js';
import { isSupportedTimeZone } from '../core/calendar.js';
import { userKeyOf } from './turn.js';

const RefSchema = z.object({
  reference: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
  /** The team a channel belongs to, for its roster (the people picker, reaching a manager). */
  teamId: z.string().optional(),
});

const UserRefsSchema = z.object({
  userKey: z.string(),
  /** The user's personal chat with the bot, for proactive messages. */
  personal: RefSchema.optional(),
  /** Teams and group chats the user was seen in, by conversation id (to reach them through a roster). */
  shared: z.record(z.string(), RefSchema).default({}),
  blocked: z.boolean().default(false),
  welcomed: z.boolean().default(false),
  /** The IANA zone Teams last gave on the user's activities (localTimezone): their reminders' working hours. */
  timeZone: z.string().optional(),
});

const ConversationSchema = z.object({
  conversationId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  greeted: z.boolean().default(false),
  updatedAt: z.string(),
});

export type UserRefs = z.infer<typeof UserRefsSchema>;

/**
 * Conversation references, stored on install and on every message, keyed by the user's AAD object
 * id; removed on uninstall or when the connector says the bot can no longer reach them.
 */
export class ConversationRefStore {
  /**
   * Conversations whose stored reference this process wrote or found fresh, and when: a message within
   * the hour then needs no read at all (the read was a tenth of a question turn's CPU). Bounded; the
   * oldest entries go first. Installs and removals always go to storage.
   */
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: () => Date,
    private readonly maxRecent = 20_000,
  ) {}

  /** `remember` for a message or card action: skipped when this process confirmed it within the hour. */
  async rememberFromTurn(activity: Partial<Activity>): Promise<void> {
    const key = recentKey(activity);
    const now = this.clock().getTime();
    const seen = this.recent.get(key);
    if (seen !== undefined && now - seen >= 0 && now - seen < FRESH_MS) return;
    await this.remember(activity);
    this.recent.delete(key);
    this.recent.set(key, now);
    if (this.recent.size > this.maxRecent) {
      const oldest = this.recent.keys().next();
      if (!oldest.done) this.recent.delete(oldest.value);
    }
  }

  private forgetRecent(userKey: string): void {
    for (const key of this.recent.keys()) if (key.startsWith(`${userKey}\n`)) this.recent.delete(key);
  }

  static userKey(userKey: string): string {
    return `refs/user/${userKey}`;
  }

  private static convKey(conversationId: string): string {
    return `refs/conv/${baseConversationId(conversationId)}`;
  }

  async remember(activity: Partial<Activity>): Promise<void> {
    const reference = TurnContext.getConversationReference(activity) as Record<string, unknown>;
    const now = this.clock().toISOString();
    const personal =
      activity.conversation?.conversationType === 'personal' || !activity.conversation?.isGroup;
    const convId = activity.conversation?.id ?? '';
    const user = userKeyOf(activity);
    const given = activity.localTimezone;
    const timeZone = typeof given === 'string' && isSupportedTimeZone(given) ? given : undefined;
    if (activity.from?.id && activity.from.id !== activity.recipient?.id) {
      await this.store.update(ConversationRefStore.userKey(user), UserRefsSchema, (cur) => {
        const before = cur ?? { userKey: user, shared: {}, blocked: false, welcomed: false };
        const zoneIsNew = timeZone !== undefined && timeZone !== before.timeZone;
        const doc = zoneIsNew ? { ...before, timeZone } : before;
        const entry = { reference, updatedAt: now };
        if (personal) {
          // Writing on every message would cost a write per turn; refresh at most hourly.
          if (
            !zoneIsNew &&
            doc.personal &&
            !doc.blocked &&
            sameConversation(doc.personal.reference, reference) &&
            fresh(doc.personal.updatedAt, now)
          )
            return undefined;
          return { ...doc, personal: entry, blocked: false };
        }
        const key = baseConversationId(convId);
        if (!zoneIsNew && doc.shared[key] && fresh(doc.shared[key].updatedAt, now)) return undefined;
        const teamId = (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
        return { ...doc, shared: { ...doc.shared, [key]: teamId ? { ...entry, teamId } : entry } };
      });
    }
    if (!personal) {
      // A team or group chat's reference is kept without the person who happened to speak last.
      const shared = withoutSpeaker(reference);
      await this.store.update(ConversationRefStore.convKey(convId), ConversationSchema, (cur) =>
        cur && fresh(cur.updatedAt, now)
          ? undefined
          : {
              conversationId: baseConversationId(convId),
              reference: shared,
              greeted: cur?.greeted ?? false,
              updatedAt: now,
            },
      );
    }
  }

  /**
   * True for exactly one caller per installation: Teams sends installationUpdate and
   * conversationUpdate together on install, and only one of them may greet. The flag is set with
   * the document's eTag, so two turns (or two instances) cannot both win.
   */
  async claimGreeting(activity: Partial<Activity>): Promise<boolean> {
    let claimed = false;
    const reference = TurnContext.getConversationReference(activity) as Record<string, unknown>;
    const now = this.clock().toISOString();
    if (!activity.conversation?.isGroup) {
      const user = userKeyOf(activity);
      await this.store.update(ConversationRefStore.userKey(user), UserRefsSchema, (cur) => {
        claimed = !cur?.welcomed;
        if (!claimed) return undefined;
        return { ...(cur ?? { userKey: user, shared: {}, blocked: false }), welcomed: true };
      });
      return claimed;
    }
    const convId = activity.conversation.id;
    await this.store.update(ConversationRefStore.convKey(convId), ConversationSchema, (cur) => {
      claimed = !cur?.greeted;
      if (!claimed) return undefined;
      return {
        conversationId: baseConversationId(convId),
        reference: cur?.reference ?? withoutSpeaker(reference),
        greeted: true,
        updatedAt: cur?.updatedAt ?? now,
      };
    });
    return claimed;
  }

  async forgetConversation(activity: Partial<Activity>): Promise<void> {
    const convId = activity.conversation?.id ?? '';
    this.forgetRecent(userKeyOf(activity));
    if (activity.conversation?.isGroup) {
      const base = baseConversationId(convId);
      for (const key of this.recent.keys()) if (key.split('\n')[1] === base) this.recent.delete(key);
    }
    if (activity.conversation?.isGroup) {
      await this.store.remove(ConversationRefStore.convKey(convId));
    } else {
      await this.store.update(ConversationRefStore.userKey(userKeyOf(activity)), UserRefsSchema, (cur) =>
        cur ? { ...cur, personal: undefined, welcomed: false } : undefined,
      );
    }
  }

  async forUser(userKey: string): Promise<UserRefs | undefined> {
    return this.store.get(ConversationRefStore.userKey(userKey), UserRefsSchema);
  }

  /** The connector answered 403/404: the user removed or blocked the bot; stop trying until they return. */
  async markUnreachable(userKey: string): Promise<void> {
    this.forgetRecent(userKey);
    await this.store.update(ConversationRefStore.userKey(userKey), UserRefsSchema, (cur) =>
      cur ? { ...cur, personal: undefined, blocked: true } : undefined,
    );
  }

  async forgetUser(userKey: string): Promise<void> {
    this.forgetRecent(userKey);
    await this.store.remove(ConversationRefStore.userKey(userKey));
  }

  /**
   * What a reminder needs to reach the user: their personal chat (none when they removed or blocked the
   * bot) and their time zone as Teams last gave it.
   */
  async personalChat(
    userKey: string,
  ): Promise<{ reference?: Partial<ConversationReference>; blocked: boolean; timeZone?: string }> {
    const doc = await this.forUser(userKey);
    return { reference: doc?.personal?.reference, blocked: doc?.blocked ?? false, timeZone: doc?.timeZone };
  }

  async personalReference(userKey: string): Promise<Partial<ConversationReference> | undefined> {
    const doc = await this.forUser(userKey);
    return doc?.personal?.reference;
  }
}

function withoutSpeaker(reference: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...reference };
  delete rest.user;
  return rest;
}

/** Channel replies carry ";messageid=…"; the channel itself is the part before it. */
function baseConversationId(id: string): string {
  return id.split(';')[0] ?? id;
}

function sameConversation(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ca = a.conversation as { id?: string } | undefined;
  const cb = b.conversation as { id?: string } | undefined;
  return ca?.id === cb?.id && a.serviceUrl === b.serviceUrl;
}

/** References are refreshed at most hourly. */
const FRESH_MS = 60 * 60 * 1000;

function fresh(updatedAt: string, now: string): boolean {
  return Date.parse(now) - Date.parse(updatedAt) < FRESH_MS;
}

/** A message from another time zone is news: its zone is part of what was confirmed. */
function recentKey(activity: Partial<Activity>): string {
  return [
    userKeyOf(activity),
    baseConversationId(activity.conversation?.id ?? ''),
    activity.serviceUrl ?? '',
    activity.localTimezone ?? '',
  ].join('\n');
}
