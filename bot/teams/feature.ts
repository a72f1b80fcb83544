import { z } from 'zod';
import type { CommandName } from '../core/commands.js';
import { errorInvokeResponse, type InvokeResponse, type Turn } from './turn.js';

export type CommandHandler = (turn: Turn, args: Record<string, string>) => Promise<void>;

/**
 * A card action verb, with the zod schema of the data its card sends. The bot parses the data
 * before the handler runs; data that does not parse gets `invalid` (an error card unless told
 * otherwise), never an exception. The handler answers with the card that replaces the one pressed
 * (Action.Execute), or with an error card; the same verb serves Action.Submit from clients that
 * cannot update in place, where the returned card is sent as a new message instead.
 */
export interface Verb<S extends z.ZodType = z.ZodType> {
  schema: S;
  handle(turn: Turn, data: z.output<S>, raw: Record<string, unknown>): Promise<InvokeResponse>;
  invalid(turn: Turn, error: z.ZodError): Promise<InvokeResponse>;
}

/** The schema of a verb whose card sends nothing it needs (anything it does send is ignored). */
export const NoData = z.object({}).catchall(z.unknown());

/** A verb and its schema; `invalid` is a sentence for the error card, or a card of the feature's own. */
export function verb<S extends z.ZodType>(
  schema: S,
  handle: Verb<S>['handle'],
  invalid: string | Verb<S>['invalid'] = 'That card could not be read. Type /help to start again.',
): Verb<S> {
  return {
    schema,
    handle,
    invalid: typeof invalid === 'string' ? () => Promise.resolve(errorInvokeResponse(400, invalid)) : invalid,
  };
}

/** What a feature brings: its commands (keyed by names from the command table), verbs and install step. */
export type Feature<C extends CommandName = never> = {
  verbs?: Record<string, Verb>;
  /** Runs on install in personal scope, after the welcome card. */
  onPersonalInstall?: (turn: Turn) => Promise<void>;
  /** Runs after /help in personal chat: what is waiting for this person's answer. */
  onPersonalHelp?: (turn: Turn) => Promise<void>;
} & ([C] extends [never] ? { commands?: undefined } : { commands: { [K in C]: CommandHandler } });

/** Any feature, as the bot registers it. */
export interface AnyFeature {
  commands?: Partial<Record<CommandName, CommandHandler>>;
  verbs?: Record<string, Verb>;
  onPersonalInstall?: (turn: Turn) => Promise<void>;
  onPersonalHelp?: (turn: Turn) => Promise<void>;
}

/** The command names a feature handles, from its type. */
export type CommandsOf<F> = F extends { commands?: infer M }
  ? Extract<keyof NonNullable<M>, CommandName>
  : never;
