import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import type { Config } from './config.js';
import { QuestionAnswerer } from './core/questionAnswering.js';
import type { Library } from './core/library.js';
import { loadLibrary, projectRoot } from './data/loadData.js';
import type { Logger } from './logger.js';
import { DocumentStore } from './storage/documentStore.js';
import { CodingAuditorBot } from './teams/bot.js';
import { CardRenderer } from './teams/cards.js';
import { ConversationRefStore } from './teams/conversationRefs.js';
import { AssessmentRepo, assessmentFeature, sendGapActivities } from './teams/features/assessment.js';
import { knowledgeFeature } from './teams/features/knowledge.js';
import { noticeView } from './teams/views.js';

export const REQUIRED_CARDS = [
  'welcome',
  'help',
  'notice',
  'answer',
  'competency',
  'activities',
  'assessChoice',
  'assessStep',
  'assessResults',
] as const;

/** What is loaded once at start-up and shared by every turn. */
export interface Assets {
  lib: Library;
  qa: QuestionAnswerer;
  cards: CardRenderer;
}

export async function loadAssets(root = projectRoot()): Promise<Assets> {
  const lib = await loadLibrary(path.join(root, 'data'));
  const cards = await CardRenderer.load(path.join(root, 'cards'), REQUIRED_CARDS);
  return { lib, qa: new QuestionAnswerer(lib), cards };
}

export interface AppDeps {
  assets: Assets;
  storage: Storage;
  log: Logger;
  clock?: () => Date;
  botName?: string;
}

export interface App {
  bot: CodingAuditorBot;
  store: DocumentStore;
  refs: ConversationRefStore;
  assessments: AssessmentRepo;
}

/** Builds the bot and its stores from loaded assets and a storage; tests use it with memory storage. */
export function createApp(deps: AppDeps): App {
  const clock = deps.clock ?? (() => new Date());
  const store = new DocumentStore(deps.storage);
  const refs = new ConversationRefStore(store, clock);
  const { lib, qa, cards } = deps.assets;
  const assessments = new AssessmentRepo(store);
  const assessment = assessmentFeature(lib, assessments);
  const bot = new CodingAuditorBot({
    cards,
    refs,
    clock,
    log: deps.log,
    botName: deps.botName ?? 'Coding Auditor',
    features: [
      knowledgeFeature(lib, qa, { ownGaps: (turn) => sendGapActivities(turn, assessments, assessment) }),
      assessment,
    ],
  });
  return { bot, store, refs, assessments };
}

export function createAdapter(config: Config, log: Logger, cards: CardRenderer): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = turnErrorHandler(log, cards);
  return adapter;
}

/** Logs the stack with ids only (never text or names) and tells the user, with a correlation id. */
export function turnErrorHandler(log: Logger, cards: CardRenderer) {
  return async (context: TurnContext, error: Error) => {
    const correlationId = randomUUID().slice(0, 8);
    log.error(
      {
        event: 'turn.error',
        correlationId,
        conversationId: context.activity.conversation?.id,
        activityType: context.activity.type,
        activityName: context.activity.name,
        err: {
          type: error?.name,
          message: error?.message,
          stack: error?.stack,
          code: (error as { code?: string })?.code,
        },
      },
      'turn failed',
    );
    if (context.activity.type === 'invoke') return;
    try {
      const rendered = cards.render(
        'notice',
        noticeView(
          `Sorry, something went wrong on my side. Nothing you had saved is lost. Please try again.`,
          {
            detail: `If it keeps happening, quote reference ${correlationId} to your administrator.`,
          },
        ),
      );
      await context.sendActivity({ attachments: [rendered.attachment], summary: rendered.summary });
    } catch {
      // The connector may be what failed; the log line above is what remains.
    }
  };
}
