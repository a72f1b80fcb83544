import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { CloudAdapter, INVOKE_RESPONSE_KEY, type Storage, type TurnContext } from 'botbuilder';
import { StrictBotFrameworkAuthentication } from './authentication.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { EligibilityRulesSchema, type EligibilityRules } from './core/eligibility/eligibilitySchema.js';
import { QuestionAnswerer } from './core/questionAnswering.js';
import { QuestionService } from './core/questions/answerQuestion.js';
import { checkVocabulary, VocabularySchema } from './core/questions/vocabulary.js';
import { Calendar } from './core/calendar.js';
import type { Library } from './core/library.js';
import { DataFileError, loadDataFile, loadLibrary, projectRoot } from './data/loadData.js';
import type { Logger } from './logger.js';
import { DocumentStore } from './storage/documentStore.js';
import { QuestionLogStore } from './storage/questionLogRepo.js';
import { CodingAuditorBot } from './teams/bot.js';
import type { CommandsOf } from './teams/feature.js';
import type { CommandName } from './core/commands.js';
import { CardRenderer } from './teams/cards.js';
import { ConversationRefStore } from './teams/conversationRefs.js';
import { activitiesFeature } from './teams/features/activities/activitiesFeature.js';
import { referenceFeature } from './teams/features/questions/referenceFeature.js';
import { assessmentFeature } from './teams/features/assessment/assessmentFeature.js';
import { digestFeature } from './teams/features/digest/digestFeature.js';
import { DigestRunner } from './teams/features/digest/weeklyRun.js';
import { eligibilityFeature } from './teams/features/eligibility/eligibilityFeature.js';
import { knowledgeFeature } from './teams/features/questions/knowledgeFeature.js';
import { myDataFeature } from './teams/features/myData/myDataFeature.js';
import { managerFeature } from './teams/features/managers/managerFeature.js';
import { applyAssessmentRetention, type AssessmentRepo } from './core/assessment/assessment.js';
import { coderHistory } from './core/assessment/history.js';
import { DigestBuilder } from './core/digest/digestRun.js';
import type { EligibilityRepo } from './core/eligibility/answers.js';
import type { ManagerRepo } from './core/managers/consent.js';
import type { UsersIndex } from './core/myData/myData.js';
import { AssessmentStore } from './storage/assessmentRepo.js';
import { EligibilityStore } from './storage/eligibilityRepo.js';
import { ManagerStore } from './storage/managerRepo.js';
import { ReviewStore } from './storage/reviewRepo.js';
import { PlanStore } from './storage/planRepo.js';
import type { PlanRepo } from './core/plan/plan.js';
import { planFeature } from './teams/features/plan/planFeature.js';
import type { ReviewRepo } from './core/review/review.js';
import { reviewFeature } from './teams/features/review/reviewFeature.js';
import { UsersIndexStore } from './storage/usersIndex.js';
import {
  questionFeedbackFeature,
  recordUnanswered,
  type QuestionFeedbackDeps,
} from './teams/features/questions/questionFeedbackFeature.js';
import { RateLimitMiddleware } from './teams/rateLimit.js';
import {
  aboutFacts,
  RemindersDataSchema,
  type PersonState,
  type ReminderRepo,
  type ReminderSource,
  type RemindersData,
} from './core/reminders/reminders.js';
import type { ReminderSettings } from './core/reminders/schedule.js';
import {
  eligibilityTimeSource,
  reassessmentSource,
  planItemSource,
  refresherLapsingSource,
  unfinishedAssessmentSource,
} from './core/reminders/sources.js';
import { ReminderStore } from './storage/reminderRepo.js';
import { remindersFeature } from './teams/features/reminders/remindersFeature.js';
import { ReminderRunner } from './teams/features/reminders/reminderRun.js';

import type { ProactiveMessenger } from './teams/proactive.js';
import { errorInvokeResponse } from './teams/turn.js';
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
  'eligibilityForm',
  'eligibilityResult',
  'choice',
  'managerPicker',
  'digest',
  'links',
  'unanswered',
  'review',
  'plan',
  'reminders',
] as const;

/** What is loaded once at start-up and shared by every turn. */
export interface Assets {
  lib: Library;
  qa: QuestionAnswerer;
  questions: QuestionService;
  rules: EligibilityRules;
  cards: CardRenderer;
  /** Reminder wording, timings and working hours (data/reminders.json). */
  reminders: RemindersData;
}

export async function loadAssets(root = projectRoot()): Promise<Assets> {
  const dataDir = path.join(root, 'data');
  const [lib, vocab, rules, reminders, cards] = await Promise.all([
    loadLibrary(dataDir),
    loadDataFile(path.join(dataDir, 'questionVocabulary.json'), VocabularySchema),
    loadDataFile(path.join(dataDir, 'eligibility.json'), EligibilityRulesSchema),
    loadDataFile(path.join(dataDir, 'reminders.json'), RemindersDataSchema),
    CardRenderer.load(path.join(root, 'cards'), REQUIRED_CARDS),
  ]);
  const qa = new QuestionAnswerer(lib, vocab);
  const problems = checkVocabulary(vocab, qa.documentIds());
  if (problems.length) throw new DataFileError(path.join(dataDir, 'questionVocabulary.json'), problems);
  return { lib, qa, questions: new QuestionService(lib, qa, vocab, rules), rules, cards, reminders };
}

export interface AppDeps {
  assets: Assets;
  storage: Storage;
  log: Logger;
  clock?: Clock;
  botName?: string;
  /** Sends proactive messages (consent requests, digests); absent where there is no connector. */
  messenger?: ProactiveMessenger;
  /** The zone the bot works in (TIME_ZONE): "today", digest weeks, the question log's days. */
  timeZone?: string;
  /** How dates read in cards (LOCALE); en-GB unless told. */
  locale?: string;
  /** Signs export download links; absent when exports are not configured. */
  exportLink?: (managerId: string, now: Date) => string | undefined;
  /** Signs a person's /mydata download link; absent when downloads are not configured. */
  myDataLink?: (userKey: string, teamsId: string, now: Date) => string | undefined;
  /** Reminders: at most `perWeek` a person a week (REMINDERS_PER_WEEK, 3), reassessment after `reassessMonths` (REASSESS_MONTHS, 6). */
  reminders?: { perWeek?: number; reassessMonths?: number };
  /** The question log behind Helpful / Not helpful and /unanswered. */
  questionLog?: {
    /** Entra object ids of the content owners (CONTENT_OWNERS). */
    owners?: readonly string[];
    /** Days kept (QUESTION_LOG_DAYS); 90 unless told. */
    days?: number;
    /** Signs an owner's CSV download link; absent when downloads are not configured. */
    csvLink?: (ownerId: string, now: Date) => string | undefined;
    /** Re-renders an answer card after feedback; a thank-you card until the answer card does it. */
    rerenderAnswer?: QuestionFeedbackDeps['rerenderAnswer'];
  };
}

export interface App {
  bot: CodingAuditorBot;
  store: DocumentStore;
  refs: ConversationRefStore;
  assessments: AssessmentRepo;
  managers: ManagerRepo;
  reviews: ReviewRepo;
  plans: PlanRepo;
  eligibility: EligibilityRepo;
  digests: DigestBuilder;
  users: UsersIndex;
  questionLog: QuestionLogStore;
  /** Entra object ids of the content owners, lower case. */
  contentOwners: ReadonlySet<string>;
  questionLogDays: number;
  /** The one calendar: the bot's time zone and locale. */
  calendar: Calendar;
  /** The weekly run, when there is a connector to send through. */
  digestRunner?: DigestRunner;
  reminders: ReminderRepo;
  /** A reminder pass, when there is a connector to send through. */
  reminderRunner?: ReminderRunner;
}

/** Builds the bot and its stores from loaded assets and a storage; tests use it with memory storage. */
export function createApp(deps: AppDeps): App {
  const clock = deps.clock ?? systemClock;
  const store = new DocumentStore(deps.storage);
  const refs = new ConversationRefStore(store, clock);
  const { lib, questions, rules, cards, reminders: reminderData } = deps.assets;
  const users: UsersIndex = new UsersIndexStore(store);
  const assessments: AssessmentRepo = new AssessmentStore(store, (userKey) => users.add(userKey));
  const managers: ManagerRepo = new ManagerStore(store);
  const reviews: ReviewRepo = new ReviewStore(store);
  const plans: PlanRepo = new PlanStore(store);
  const eligibility: EligibilityRepo = new EligibilityStore(store, (userKey) => users.add(userKey));
  const botName = deps.botName ?? 'Coding Auditor';
  const review = reviewFeature({
    lib,
    reviews,
    managers,
    assessments,
    refs,
    messenger: () => deps.messenger,
  });
  const assessment = assessmentFeature(lib, assessments, review, async (turn, completed) => {
    const [reviewDoc, plan] = await Promise.all([reviews.get(turn.userKey), plans.get(turn.userKey)]);
    return coderHistory(lib, { completed, reviews: reviewDoc, plan }, (iso) => turn.day(iso));
  });
  const calendar = new Calendar(deps.timeZone, deps.locale);
  const timeZone = calendar.timeZone;
  const digestDeps = { lib, managers, assessments, eligibility, reviews, plans, calendar };
  const questionLog = new QuestionLogStore(store);
  const contentOwners = new Set((deps.questionLog?.owners ?? []).map((id) => id.toLowerCase()));
  const questionLogDays = deps.questionLog?.days ?? 90;
  const digests = new DigestBuilder(digestDeps);
  const reminderRepo: ReminderRepo = new ReminderStore(store);
  const reminderSettings: ReminderSettings = {
    perWeek: deps.reminders?.perWeek ?? 3,
    hours: reminderData.workingHours,
    defaultTimeZone: calendar.timeZone,
  };
  const reassessMonths = deps.reminders?.reassessMonths ?? 6;
  // The reminder sources, in the order a person gets reminders due on the same day. Another kind is
  // one more source here, with its part of PersonState read in readPerson below.
  const reminderSources: ReminderSource[] = [
    unfinishedAssessmentSource(reminderData.kinds.unfinishedAssessment),
    reassessmentSource(reminderData.kinds.reassessment, reassessMonths),
    eligibilityTimeSource(rules, reminderData.kinds.eligibilityTime),
    refresherLapsingSource(rules, reminderData.kinds.refresherLapsing),
    planItemSource(reminderData.kinds.planItem),
  ];
  // A line manager's part is found by their Teams id (managers are keyed by it), which the reminder
  // pass reads from their personal chat's reference and /reminders from the turn.
  const readPerson = async (userKey: string, teamsId?: string): Promise<PersonState> => {
    const [a, e, plan, asManager] = await Promise.all([
      assessments.dates(userKey),
      eligibility.get(userKey),
      plans.get(userKey),
      teamsId ? managers.manager(teamsId) : Promise.resolve(undefined),
    ]);
    const sharing = Object.entries(asManager?.coders ?? {}).filter(([, c]) => c.status === 'accepted');
    const managedPlans = await Promise.all(
      sharing.map(async ([coderKey, c]) => ({ coderName: c.name, plan: await plans.get(coderKey) })),
    );
    return {
      userKey,
      assessments: a,
      eligibility: e,
      plan,
      managedPlans: managedPlans.flatMap((m) => (m.plan ? [{ coderName: m.coderName, plan: m.plan }] : [])),
    };
  };

  const digest = digestFeature({
    lib,
    managers,
    builder: digests,
    exportLink: deps.exportLink,
    // Bound late: the manager feature is built below, with the digest's preview.
    pendingRequests: (turn) => manager.pendingRequests(turn),
  });
  const knowledge = knowledgeFeature(lib, questions, {
    askFeedback: true,
    ownGaps: (turn) => assessment.showOwnGaps(turn),
    onUnanswered: async (turn, question) => {
      // The asker already has their answer; a log that cannot be written must not turn it into an apology.
      await recordUnanswered(questionLog, question, turn.now, timeZone, { name: turn.userName }).catch(
        (e: unknown) => {
          deps.log.warn(
            { event: 'questionlog.add.failed', err: { type: (e as Error).name } },
            'could not keep an unanswered question',
          );
        },
      );
    },
  });
  const manager = managerFeature({
    repo: managers,
    refs,
    botName,
    messenger: () => deps.messenger,
    previewFor: digest.previewFor,
    remindable: (userKey) => users.add(userKey),
    onStopSharing: (coderKey, now) => review.withdraw(coderKey, now),
  });
  // /activities is answered by the activities feature, which starts from the person's level and gaps.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- named only to leave /activities out of the rest
  const { activities: _activities, ...referenceCommands } = knowledge.commands;
  const features = [
    { ...knowledge, commands: referenceCommands },
    activitiesFeature(lib, assessments),
    referenceFeature(lib),
    assessment,
    eligibilityFeature(lib, eligibility, rules),
    manager,
    review,
    planFeature({
      lib,
      plans,
      managers,
      assessments,
      refs,
      messenger: () => deps.messenger,
      remindable: (userKey) => users.add(userKey),
    }),
    digest,
    remindersFeature({
      repo: reminderRepo,
      readPerson,
      sources: reminderSources,
      settings: reminderSettings,
      data: reminderData,
      about: aboutFacts(reminderData, reassessMonths),
      chats: refs,
    }),
    myDataFeature({
      assessments,
      eligibility,
      managers,
      reviews,
      plans,
      refs,
      users,
      reminders: reminderRepo,
      downloadLink: deps.myDataLink,
    }),
    questionFeedbackFeature({
      log: questionLog,
      owners: contentOwners,
      days: questionLogDays,
      timeZone,
      csvLink: deps.questionLog?.csvLink,
      rerenderAnswer: deps.questionLog?.rerenderAnswer ?? knowledge.renderAnswer,
    }),
  ] as const;
  // The compiler's half of the wiring check (the bot checks again at start-up): a command in the
  // table that no feature handles is an error here, naming the command.
  type Unhandled = Exclude<CommandName, CommandsOf<(typeof features)[number]> | 'help'>;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- read by the compiler alone: this line fails to compile while a command is unhandled
  const everyCommandHandled: [Unhandled] extends [never] ? true : Unhandled = true;
  const bot = new CodingAuditorBot({
    cards,
    refs,
    clock,
    log: deps.log,
    botName,
    calendar,
    personalChats: deps.messenger,
    features,
  });
  const digestRunner = deps.messenger
    ? new DigestRunner({
        ...digestDeps,
        builder: digests,
        cards,
        messenger: deps.messenger,
        log: deps.log,
      })
    : undefined;
  const messenger = deps.messenger;
  const reminderRunner = messenger
    ? new ReminderRunner({
        repo: reminderRepo,
        // Everyone with a stored assessment or eligibility answers, and line managers who accepted or act on
        // a plan: nobody else has anything to be reminded of.
        people: () => users.all(),
        readPerson,
        lineManagers: () => managers.managerIds(),
        sources: reminderSources,
        settings: reminderSettings,
        data: reminderData,
        locale: calendar.locale,
        cards,
        messenger,
        chats: refs,
        log: deps.log,
      })
    : undefined;
  return {
    bot,
    store,
    refs,
    assessments,
    managers,
    reviews,
    plans,
    eligibility,
    digests,
    digestRunner,
    reminders: reminderRepo,
    reminderRunner,
    users,
    questionLog,
    contentOwners,
    questionLogDays,
    calendar,
  };
}

/** Drops completed assessments older than `days` for everyone in the users index. */
export async function applyRetention(app: App, days: number, now: Date, log: Logger): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
  let dropped = 0;
  for (const userKey of await app.users.all())
    dropped += await applyAssessmentRetention(app.assessments, userKey, cutoff);
  log.info({ event: 'retention.run', days, dropped }, 'retention applied');
  return dropped;
}

/** Deletes the question log's days older than QUESTION_LOG_DAYS; logs counts only. */
export async function applyQuestionLogRetention(app: App, now: Date, log: Logger): Promise<number> {
  const removed = await app.questionLog.removeOlderThan(app.calendar.today(now), app.questionLogDays);
  log.info(
    { event: 'questionlog.retention', days: app.questionLogDays, removedDays: removed },
    'question log retention applied',
  );
  return removed;
}

/**
 * The CloudAdapter for Teams over HTTP: Bot Framework authentication (any request it cannot verify
 * is 401), the per-user rate limit on incoming turns, and the turn error handler.
 */
export function createAdapter(config: Config, log: Logger, cards: CardRenderer): CloudAdapter {
  const auth = new StrictBotFrameworkAuthentication(
    {
      MicrosoftAppId: config.MicrosoftAppId ?? '',
      MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
      MicrosoftAppType: config.MicrosoftAppType,
      MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
    },
    log,
  );
  const adapter = new CloudAdapter(auth);
  adapter.use(new RateLimitMiddleware(config.RATE_LIMIT_PER_MINUTE, log));
  adapter.onTurnError = turnErrorHandler(log, cards);
  return adapter;
}

/** Logs the stack with ids only (never text or names) and tells the user, with a correlation id. */
const SORRY = 'Sorry, something went wrong on my side. Nothing you had saved is lost. Please try again.';
const keepsHappening = (correlationId: string) =>
  `If it keeps happening, quote reference ${correlationId} to your administrator.`;

/**
 * The conversation of an incoming activity. botbuilder types it as always there, but the envelope
 * check lets an activity without one through, and a turn can fail on such an activity too.
 */
function conversationIdOf(activity: { conversation?: { id?: string } }): string | undefined {
  return activity.conversation?.id;
}

/** What is logged of a turn's error: botbuilder types it as an Error, but a turn can throw anything. */
function errorForLog(error: unknown): { type?: unknown; message?: unknown; stack?: unknown; code?: unknown } {
  if (typeof error !== 'object' || error === null) return {};
  return {
    type: 'name' in error ? error.name : undefined,
    message: 'message' in error ? error.message : undefined,
    stack: 'stack' in error ? error.stack : undefined,
    code: 'code' in error ? error.code : undefined,
  };
}

function turnErrorHandler(log: Logger, cards: CardRenderer) {
  return async (context: TurnContext, error: unknown) => {
    const correlationId = randomUUID().slice(0, 8);
    log.error(
      {
        event: 'turn.error',
        correlationId,
        conversationId: conversationIdOf(context.activity),
        activityType: context.activity.type,
        activityName: context.activity.name,
        err: errorForLog(error),
      },
      'turn failed',
    );
    if (context.activity.type === 'invoke') {
      // Without an invoke response the CloudAdapter answers 501; Teams shows this on the card instead.
      if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
      await context
        .sendActivity({
          type: 'invokeResponse',
          value: errorInvokeResponse(500, `${SORRY} ${keepsHappening(correlationId)}`),
        })
        .catch(() => undefined);
      return;
    }
    try {
      const rendered = cards.render('notice', noticeView(SORRY, { detail: keepsHappening(correlationId) }));
      await context.sendActivity({ attachments: [rendered.attachment], summary: rendered.summary });
    } catch {
      // The connector may be what failed; the log line above is what remains.
    }
  };
}
