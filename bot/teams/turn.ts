import {
  ActivityTypes,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
} from 'botbuilder';
import { createHttpHeaders, createPipelineRequest, type PipelineRequest } from '@azure/core-rest-pipeline';
import type { Calendar } from '../core/calendar.js';
import type { CardName, CardRenderer, CardViews, RenderedCard } from './cards.js';
import { forSharedScope } from './views.js';

interface ConnectorLike {
  sendRequest?: (request: PipelineRequest) => Promise<{ status: number }>;
}

export type ConversationScope = 'personal' | 'groupChat' | 'channel';

/** Who is speaking: the AAD object id where Teams gives one (stable across chats), else the channel id. */
export function userKeyOf(activity: Partial<Activity>): string {
  return activity.from?.aadObjectId ?? activity.from?.id ?? 'anonymous';
}

function scopeOf(activity: Partial<Activity>): ConversationScope {
  const t = activity.conversation?.conversationType;
  if (t === 'channel') return 'channel';
  if (t === 'groupChat' || activity.conversation?.isGroup) return 'groupChat';
  return 'personal';
}

/** Someone in a team the bot is in. */
export interface TeamMember {
  id: string;
  name: string;
  aadObjectId: string;
}

/**
 * A roster entry as Teams' API returns it. botbuilder types `id` and `name` as always there; they
 * come over HTTP, so each is checked before use.
 */
interface RosterEntry {
  id?: string;
  name?: string;
  email?: string;
  aadObjectId?: string;
}

/**
 * One turn as the features see it: who, where, what they mentioned, the members of their teams,
 * and ways to answer. Features import nothing from botbuilder and reach the context only through
 * here, so a move to the Agents SDK changes this file, not them.
 */
export class Turn {
  readonly userKey: string;
  readonly scope: ConversationScope;

  constructor(
    /** The botbuilder turn, kept to this class: features see only what it offers. */
    private readonly context: TurnContext,
    readonly cards: CardRenderer,
    readonly now: Date,
    /** The one calendar: the bot's time zone and locale. */
    readonly calendar: Calendar,
  ) {
    this.userKey = userKeyOf(context.activity);
    this.scope = scopeOf(context.activity);
  }

  get locale(): string {
    return this.calendar.locale;
  }

  get timeZone(): string {
    return this.calendar.timeZone;
  }

  /** Today's calendar date ("YYYY-MM-DD") where the organisation is. */
  get today(): string {
    return this.calendar.today(this.now);
  }

  /** "14 March 2024" for a calendar date, or for the local day of an ISO instant; '' for none. */
  day(isoDateOrInstant: string | undefined): string {
    return this.calendar.day(isoDateOrInstant);
  }

  /**
   * The activity as it arrived. botbuilder types `from`, `recipient`, `conversation`, `serviceUrl`
   * and `text` as always present, but they come from the channel and the client (the Agents
   * Playground, a proactive turn's event), so here every field may be missing and is checked.
   */
  get activity(): Partial<Activity> {
    return this.context.activity;
  }

  /** The Entra tenant the conversation belongs to, where Teams says. */
  get tenantId(): string | undefined {
    return (
      this.activity.conversation?.tenantId ??
      (this.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id
    );
  }

  /** The people @mentioned in the message, the bot aside. */
  get mentions(): { id: string; name?: string }[] {
    const botId = this.activity.recipient?.id;
    return (this.activity.entities ?? []).flatMap((e) => {
      const m =
        e.type === 'mention' ? (e.mentioned as { id?: unknown; name?: unknown } | undefined) : undefined;
      return m && typeof m.id === 'string' && m.id && m.id !== botId
        ? [{ id: m.id, ...(typeof m.name === 'string' ? { name: m.name } : {}) }]
        : [];
    });
  }

  /** Members of a team the bot is installed in (one page), for choosing a person. */
  async teamMembers(teamId: string, pageSize = 200): Promise<TeamMember[]> {
    return membersOf(await TeamsInfo.getPagedTeamMembers(this.context, teamId, pageSize));
  }

  /** One member of a team by Entra object id; undefined when they are not in it. */
  async teamMember(teamId: string, aadObjectId: string): Promise<TeamMember | undefined> {
    try {
      return memberOf(await TeamsInfo.getTeamMember(this.context, teamId, aadObjectId), aadObjectId);
    } catch {
      return undefined;
    }
  }

  get userName(): string {
    return this.activity.from?.name ?? '';
  }

  get isShared(): boolean {
    return this.scope !== 'personal';
  }

  render<K extends CardName>(name: K, view: CardViews[K]): RenderedCard {
    return this.cards.render(name, view);
  }

  /**
   * Sends a card; a targeted message (Teams' "/" menu) is answered privately to its sender. In a
   * channel or group chat a long reference card is sent short, with a button for the rest.
   */
  async send<K extends CardName>(name: K, view: CardViews[K]): Promise<void> {
    await this.sendRendered(this.render(name, this.isShared ? forSharedScope(name, view) : view));
  }

  async sendRendered(rendered: RenderedCard): Promise<void> {
    const reply: Partial<Activity> = {
      type: ActivityTypes.Message,
      attachments: [rendered.attachment],
      summary: rendered.summary,
    };
    if (this.isTargeted && (await this.sendTargeted(reply))) return;
    await this.context.sendActivity(reply);
  }

  /** A message picked from Teams' "/" command menu in a channel or group chat, meant for the bot alone. */
  get isTargeted(): boolean {
    return (
      this.isShared && (this.activity.recipient as { isTargeted?: boolean } | undefined)?.isTargeted === true
    );
  }

  /**
   * Answers privately inside the shared conversation: the same send, with the asker as recipient
   * and ?isTargetedActivity=true, which makes Teams show it to them alone. botbuilder has no API
   * for it, so it goes through the turn's own (authenticated) connector client. Any failure falls
   * back to an ordinary reply: what reaches shared scopes is never personal, so that is safe.
   */
  private async sendTargeted(reply: Partial<Activity>): Promise<boolean> {
    const adapter = this.context.adapter as unknown as { ConnectorClientKey?: symbol };
    const client = adapter.ConnectorClientKey
      ? this.context.turnState.get<ConnectorLike | undefined>(adapter.ConnectorClientKey)
      : undefined;
    if (!client?.sendRequest) return false;
    const a = this.activity;
    // Without the conversation and its service there is nowhere to send it: an ordinary reply instead.
    if (!a.serviceUrl || !a.conversation?.id) return false;
    const body = {
      ...reply,
      from: a.recipient,
      recipient: a.from,
      conversation: a.conversation,
      replyToId: a.id,
      channelId: a.channelId,
      serviceUrl: a.serviceUrl,
    };
    const base = a.serviceUrl.endsWith('/') ? a.serviceUrl : `${a.serviceUrl}/`;
    const url = `${base}v3/conversations/${encodeURIComponent(a.conversation.id)}/activities?isTargetedActivity=true`;
    try {
      const res = await client.sendRequest(
        createPipelineRequest({
          url,
          method: 'POST',
          body: JSON.stringify(body),
          headers: createHttpHeaders({ 'content-type': 'application/json' }),
          // The Bot Connector is https; a local client such as the Agents Playground is http on loopback.
          allowInsecureConnection: url.startsWith('http://'),
        }),
      );
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    }
  }

  /** An Adaptive Card as it came back from a verb, sent as a message (for clients without Action.Execute). */
  async sendCardContent(card: unknown): Promise<void> {
    await this.context.sendActivity({
      type: ActivityTypes.Message,
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    });
  }

  async sendText(text: string): Promise<void> {
    await this.context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'plain' });
  }

  reference(): Partial<ConversationReference> {
    return TurnContext.getConversationReference(this.context.activity);
  }
}

/** A page of a team's roster as people to pick: those with the ids a person is picked and reached by. */
function membersOf(page: { members?: RosterEntry[] }): TeamMember[] {
  return (page.members ?? []).flatMap((m) =>
    m.aadObjectId && m.id ? [{ id: m.id, name: m.name ?? m.email ?? m.id, aadObjectId: m.aadObjectId }] : [],
  );
}

/** One roster entry, asked for by Entra object id; undefined without a Teams id. */
function memberOf(m: RosterEntry | undefined, aadObjectId: string): TeamMember | undefined {
  return m?.id ? { id: m.id, name: m.name ?? '', aadObjectId: m.aadObjectId ?? aadObjectId } : undefined;
}

/** What a card action answers with; features take the type from here, not from botbuilder. */
export type { InvokeResponse };

/** The body of an `adaptiveCard/action` invoke response that replaces the card in place. */
export function cardInvokeResponse(rendered: RenderedCard): InvokeResponse {
  return {
    status: 200,
    body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: rendered.card },
  };
}

export function errorInvokeResponse(code: number, message: string): InvokeResponse {
  return {
    status: 200,
    body: {
      statusCode: code,
      type: 'application/vnd.microsoft.error',
      value: { code: ERROR_CODE_NAMES[code] ?? 'Error', message },
    },
  };
}

const ERROR_CODE_NAMES: Record<number, string> = {
  400: 'BadRequest',
  404: 'NotFound',
  429: 'TooManyRequests',
  500: 'InternalServerError',
};
