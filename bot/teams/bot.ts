import {
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type ChannelAccount,
  type InvokeResponse,
} from 'botbuilder';
import { Mutex } from 'async-mutex';
import { z } from 'zod';
import type { Calendar } from '../core/calendar.js';
import { COMMANDS, matchCommand, type CommandName } from '../core/commands.js';
import type { Logger } from '../logger.js';
import type { CardRenderer } from './cards.js';
import { verb, type AnyFeature, type CommandHandler, type Verb } from './feature.js';
import type { ConversationRefStore } from './conversationRefs.js';
import type { PersonalAddress, ProactiveMessenger } from './proactive.js';
import { cardInvokeResponse, errorInvokeResponse, Turn, userKeyOf } from './turn.js';
import { helpView, noticeView, welcomeView } from './views.js';

export interface BotDeps {
  cards: CardRenderer;
  refs: ConversationRefStore;
  features: readonly AnyFeature[];
  clock: () => Date;
  log: Logger;
  botName: string;
  /** How dates read in cards (LOCALE) and where "today" is (TIME_ZONE). */
  calendar: Calendar;
  /** Opens (or finds) a user's personal chat with the bot, for personal commands typed in shared scopes. */
  personalChats?: Pick<ProactiveMessenger, 'runInPersonalChat'>;
}

/**
 * The Teams activity handler: strips the mention, routes commands through the command table and
 * card actions through the verb map, and keeps conversation references. Domain work happens in
 * the features; nothing personal is answered in a channel or group chat.
 */
export class CodingAuditorBot extends TeamsActivityHandler {
  private readonly commands: Map<CommandName, CommandHandler>;
  private readonly verbs: Map<string, Verb>;
  private readonly userLocks = new Map<string, Mutex>();

  constructor(private readonly deps: BotDeps) {
    super();
    const help: AnyFeature = {
      commands: {
        help: async (turn) => {
          await turn.send('help', helpView(turn.isShared ? 'shared' : 'personal'));
          if (!turn.isShared) for (const f of deps.features) await f.onPersonalHelp?.(turn);
        },
      },
      verbs: {
        'help.all': verb(z.unknown(), (turn) =>
          Promise.resolve(
            cardInvokeResponse(
              turn.render('help', helpView(turn.isShared ? 'shared' : 'personal', COMMANDS, undefined, true)),
            ),
          ),
        ),
      },
    };
    ({ commands: this.commands, verbs: this.verbs } = wireFeatures([...deps.features, help]));

    this.onMessage(async (context, next) => {
      await this.serialisedPerUser(context, () => this.handleMessage(context));
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.deps.refs.remember(context.activity);
      if (await this.deps.refs.claimGreeting(context.activity)) await this.greet(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.deps.refs.forgetConversation(context.activity);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = incoming(context).recipient?.id;
      const botAdded = (context.activity.membersAdded ?? []).some((m: ChannelAccount) => m.id === botId);
      if (botAdded) {
        await this.deps.refs.remember(context.activity);
        // Teams sends both installationUpdate and conversationUpdate on install: greet once.
        if (await this.deps.refs.claimGreeting(context.activity)) await this.greet(context);
      }
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botId = incoming(context).recipient?.id;
      if ((context.activity.membersRemoved ?? []).some((m: ChannelAccount) => m.id === botId)) {
        await this.deps.refs.forgetConversation(context.activity);
      }
      await next();
    });
  }

  /** Names of the command handlers registered, for tests that hold the table and handlers equal. */
  handledCommands(): string[] {
    return [...this.commands.keys()];
  }

  handledVerbs(): string[] {
    return [...this.verbs.keys()];
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') {
      const res = await super.onInvokeActivity(context).catch(() => undefined);
      return res && res.status < 500 ? res : notHandledInvokeResponse();
    }
    return this.serialisedPerUser(context, async () => {
      // The invoke's value is whatever the client sent: { action: { verb, data } } when well formed.
      const value: unknown = context.activity.value;
      const action = isRecord(value) && isRecord(value.action) ? value.action : {};
      const data = isRecord(action.data) ? action.data : {};
      const verb =
        typeof action.verb === 'string' ? action.verb : typeof data.verb === 'string' ? data.verb : '';
      const handler = this.verbs.get(verb);
      const turn = this.turn(context);
      if (!handler) {
        return errorInvokeResponse(400, 'That button is not one I know. Type /help to start again.');
      }
      await this.deps.refs.rememberFromTurn(context.activity);
      return runVerb(handler, turn, data);
    });
  }

  private turn(context: TurnContext): Turn {
    return new Turn(context, this.deps.cards, this.deps.clock(), this.deps.calendar);
  }

  private async greet(context: TurnContext): Promise<void> {
    const turn = this.turn(context);
    if (turn.isShared) {
      await turn.send(
        'notice',
        noticeView(
          `Hello, I'm ${this.deps.botName}. Mention me with a question about the Clinical Coding Auditor Competency Framework, or with /help. Anything personal, like a self-assessment, continues in a private chat with me.`,
          { buttons: [{ title: 'Help', command: '/help' }] },
        ),
      );
    } else {
      await turn.send('welcome', welcomeView(this.deps.botName));
      for (const f of this.deps.features) await f.onPersonalInstall?.(turn);
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    await this.deps.refs.rememberFromTurn(context.activity);
    const turn = this.turn(context);
    const value: unknown = context.activity.value;

    // A card button from a client without Action.Execute, or one of our messageBack buttons.
    if (!incoming(context).text && isRecord(value)) {
      const handler = typeof value.verb === 'string' ? this.verbs.get(value.verb) : undefined;
      if (handler) {
        const res = await runVerb(handler, turn, value);
        await this.sendInvokeResultAsMessage(turn, res);
        return;
      }
      if (typeof value.command === 'string') {
        await this.route(turn, value.command);
        return;
      }
    }
    const text = stripMentions(context);
    if (!text) {
      await turn.send('help', helpView(turn.isShared ? 'shared' : 'personal'));
      return;
    }
    await this.route(turn, text);
  }

  private async route(turn: Turn, text: string): Promise<void> {
    const match = matchCommand(text);
    if (!match) {
      await this.command('ask')(turn, { query: text });
      return;
    }
    if (match.name === 'unknown') {
      await turn.send('help', helpView(turn.isShared ? 'shared' : 'personal', COMMANDS, match.args.text));
      return;
    }
    const spec = COMMANDS.find((c) => c.name === match.name);
    if (!spec) throw new Error(`matchCommand gave /${match.name}, which is not in the command table`);
    if (spec.personal && turn.isShared) {
      await this.redirectToPersonal(turn, text, spec.name);
      return;
    }
    await this.command(match.name)(turn, match.args);
  }

  /** Every command has a handler: wireFeatures refused to start the bot otherwise. */
  private command(name: CommandName): CommandHandler {
    const handler = this.commands.get(name);
    if (!handler) throw new Error(`/${name} has no handler, yet the bot started`);
    return handler;
  }

  private async redirectToPersonal(turn: Turn, text: string, name: string): Promise<void> {
    const opened = await this.continueInPersonalChat(turn, text);
    const where = opened
      ? `I've sent you a private message to continue /${name}.`
      : `Please open a private chat with me to continue /${name}.`;
    await turn.send('notice', noticeView(`${where} Anything personal stays out of this conversation.`));
  }

  /**
   * Carries a personal command from a channel or group chat into the user's personal chat with the
   * bot: the stored personal conversation if there is one, else one created with the user and tenant
   * of the shared conversation. The proactive messenger opens it; the command runs there as a turn.
   */
  private async continueInPersonalChat(turn: Turn, text: string): Promise<boolean> {
    const chats = this.deps.personalChats;
    if (!chats) return false;
    const from = turn.activity.from;
    // Nobody to open a chat with: the shared-scope notice asks them to open one themselves.
    if (!from) return false;
    const reference = await this.deps.refs.personalReference(turn.userKey);
    const address: PersonalAddress = reference
      ? { reference }
      : {
          teamsUserId: from.id,
          tenantId: turn.tenantId,
          serviceUrl: turn.activity.serviceUrl,
          bot: turn.activity.recipient,
        };
    const outcome = await chats.runInPersonalChat(address, async (ctx) => {
      ctx.activity.from = from;
      ctx.activity.conversation = {
        ...ctx.activity.conversation,
        conversationType: 'personal',
        isGroup: false,
      };
      await this.deps.refs.remember(ctx.activity);
      // The shared-scope turn that called this already holds this user's turn lock.
      await this.route(this.turn(ctx), text);
    });
    if (!outcome.ok) {
      this.deps.log.warn(
        { event: 'proactive.personal.failed', status: outcome.status, gone: outcome.gone },
        'could not open a personal chat',
      );
      if (outcome.gone) await this.deps.refs.markUnreachable(turn.userKey);
    }
    return outcome.ok;
  }

  private async sendInvokeResultAsMessage(turn: Turn, res: InvokeResponse): Promise<void> {
    const body = res.body as { type?: string; value?: unknown } | undefined;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') {
      await turn.sendCardContent(body.value);
    } else if (body?.type === 'application/vnd.microsoft.error') {
      const v = body.value as { message?: string };
      await turn.send('notice', noticeView(v.message ?? 'That did not work.'));
    } else if (typeof body?.value === 'string') {
      await turn.sendText(body.value);
    }
  }

  /**
   * One turn at a time per user, so a double click or two devices cannot interleave a
   * read-modify-write of the same documents within this process (storage eTags cover the rest).
   */
  private async serialisedPerUser<T>(context: TurnContext, fn: () => Promise<T>): Promise<T> {
    const key = userKeyOf(context.activity);
    let m = this.userLocks.get(key);
    if (!m) {
      m = new Mutex();
      this.userLocks.set(key, m);
    }
    try {
      return await m.runExclusive(fn);
    } finally {
      if (!m.isLocked()) this.userLocks.delete(key);
    }
  }
}

/** A command or verb that is not wired exactly once: the bot refuses to start. */
export class WiringError extends Error {
  constructor(readonly problems: string[]) {
    super(`The bot's commands and verbs are not wired right:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WiringError';
  }
}

/**
 * Collects the features' commands and verbs, and checks them at start-up: every command in the
 * table has exactly one handler, no handler is for a command the table does not have, and no verb
 * is handled twice. The compiler checks names; this checks that nothing was left out or doubled.
 */
export function wireFeatures(features: readonly AnyFeature[]): {
  commands: Map<CommandName, CommandHandler>;
  verbs: Map<string, Verb>;
} {
  const commands = new Map<CommandName, CommandHandler>();
  const verbs = new Map<string, Verb>();
  const problems: string[] = [];
  const known = new Set<string>(COMMANDS.map((c) => c.name));
  for (const f of features) {
    // A Partial record may hold a name with no handler; that counts as no handler.
    for (const [name, handler] of Object.entries<CommandHandler | undefined>(f.commands ?? {})) {
      if (!known.has(name)) problems.push(`/${name} has a handler but is not in the command table`);
      else if (commands.has(name as CommandName)) problems.push(`/${name} has more than one handler`);
      else if (handler) commands.set(name as CommandName, handler);
    }
    for (const [name, handler] of Object.entries(f.verbs ?? {})) {
      if (verbs.has(name)) problems.push(`the verb ${name} has more than one handler`);
      else verbs.set(name, handler);
    }
  }
  for (const c of COMMANDS) if (!commands.has(c.name)) problems.push(`/${c.name} has no handler`);
  if (problems.length) throw new WiringError(problems);
  return { commands, verbs };
}

/** Parses a verb's data with its schema first; data that does not parse gets the verb's own answer. */
async function runVerb(handler: Verb, turn: Turn, data: Record<string, unknown>): Promise<InvokeResponse> {
  const parsed = handler.schema.safeParse(data);
  return parsed.success ? handler.handle(turn, parsed.data, data) : handler.invalid(turn, parsed.error);
}

/**
 * The answer to an invoke this bot does not handle (the SDK's default is a bare HTTP 501): HTTP 200
 * with a Universal Actions error body, statusCode 404, so a client shows an error, nothing retries
 * a server fault, and no 5xx is logged for a request that was simply not for us.
 */
function notHandledInvokeResponse(): InvokeResponse {
  return errorInvokeResponse(404, 'This app does not handle that request.');
}

/** Removes the bot's @mention (and any other <at> tags Teams leaves in the text), then trims. */
function stripMentions(context: TurnContext): string {
  const activity = incoming(context);
  // removeRecipientMention dereferences the recipient and the text, which an activity may lack.
  let text =
    (activity.recipient && activity.text ? TurnContext.removeRecipientMention(activity) : undefined) ??
    activity.text ??
    '';
  text = text.replace(/<at>[^<]*<\/at>/gi, ' ');
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The turn's activity as it may really arrive: botbuilder types `recipient`, `text` and the rest as
 * always there, but the channel or client can leave them out.
 */
function incoming(context: TurnContext): Partial<Activity> {
  return context.activity;
}

/** A JSON object (or array) from a client, whose fields are still to be checked. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
