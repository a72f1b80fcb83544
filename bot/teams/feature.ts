import type { InvokeResponse } from 'botbuilder';
import type { Turn } from './turn.js';

export type CommandHandler = (turn: Turn, args: Record<string, string>) => Promise<void>;

/**
 * A card action verb. It answers with the card that replaces the one pressed (Action.Execute), or
 * with an error card; the same handler serves Action.Submit from clients that cannot update in
 * place, where the returned card is sent as a new message instead.
 */
export type VerbHandler = (turn: Turn, data: Record<string, unknown>) => Promise<InvokeResponse>;

export interface Feature {
  commands?: Record<string, CommandHandler>;
  verbs?: Record<string, VerbHandler>;
  /** Runs on install in personal scope, after the welcome card. */
  onPersonalInstall?: (turn: Turn) => Promise<void>;
}
