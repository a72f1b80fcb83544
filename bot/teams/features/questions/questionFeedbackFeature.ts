import { z } from 'zod';
import { DEFAULT_TIME_ZONE, formatLongDate, localDate } from '../../../core/calendar.js';
import {
  scrubQuestion,
  summariseQuestionLog,
  type QuestionLogReason,
  type QuestionLogRepo,
  type UnansweredRow,
} from '../../../core/questions/questionLog.js';
import { asPlainText, type CardViews } from '../../cards.js';
import { verb, type Feature } from '../../feature.js';
import type { InvokeResponse, Turn } from '../../turn.js';
import { noticeView } from '../../views.js';

export type AnswerFeedback = 'helpful' | 'not-helpful';

export interface QuestionFeedbackDeps {
  log: QuestionLogRepo;
  /** Entra object ids of the content owners, lower case. */
  owners: ReadonlySet<string>;
  /** How many days of questions /unanswered and the CSV cover (QUESTION_LOG_DAYS). */
  days: number;
  /** The time zone whose calendar days the log is kept in. */
  timeZone?: string;
  /** A signed, short-lived CSV download link for this owner; absent when downloads are not configured. */
  csvLink?: (ownerId: string, now: Date) => string | undefined;
  /** The answer card again, marked with the feedback given, to replace the card pressed. */
  rerenderAnswer: (turn: Turn, question: string, feedback: AnswerFeedback) => Promise<InvokeResponse>;
}

/** What an answer card's Helpful / Not helpful buttons send with the verb `answer.feedback`. */
const AnswerFeedbackSchema = z.object({
  helpful: z.enum(['yes', 'no']),
  q: z.string().trim().min(1).max(500),
});

/** How many of the most frequent questions /unanswered shows; the CSV has them all. */
const UNANSWERED_SHOWN = 15;

const ADD_EXAMPLE_HINT =
  "Add it to the passage's examples in data/questionVocabulary.json; the next start uses it.";

/**
 * Keeps a question the bot declined to answer, scrubbed, for the content owners. Who asked is
 * never stored; their display name, if given, is taken out of the words as well. Returns whether
 * anything was kept (nothing is left of a question that was only a mention or a number).
 */
export async function recordUnanswered(
  log: QuestionLogRepo,
  text: string,
  now: Date,
  zone: string = DEFAULT_TIME_ZONE,
  asker: { name?: string } = {},
): Promise<boolean> {
  return recordQuestion(log, text, 'unanswered', now, zone, asker);
}

async function recordQuestion(
  log: QuestionLogRepo,
  text: string,
  reason: QuestionLogReason,
  now: Date,
  zone: string,
  asker: { name?: string },
): Promise<boolean> {
  const scrubbed = scrubQuestion(text, { names: asker.name ? [asker.name] : [] });
  if (!/[\p{L}\p{N}]/u.test(scrubbed.replace(/\[(?:name|email|phone|number)\]/g, ''))) return false;
  await log.add({ text: scrubbed, reason, day: localDate(now, zone) });
  return true;
}

/** The owner's Entra object id, or undefined for anyone who is not a content owner. */
function contentOwnerId(turn: Turn, owners: ReadonlySet<string>): string | undefined {
  const id = turn.activity.from?.aadObjectId?.toLowerCase();
  return id && owners.has(id) ? id : undefined;
}

/**
 * The answer card's Helpful / Not helpful (`answer.feedback`), and /unanswered for content owners:
 * the questions the bot could not answer or whose answer did not help, most frequent first.
 */
export function questionFeedbackFeature(deps: QuestionFeedbackDeps): Feature<'unanswered'> {
  const zone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  return {
    verbs: {
      'answer.feedback': verb(
        AnswerFeedbackSchema,
        async (turn, data) => {
          const feedback: AnswerFeedback = data.helpful === 'yes' ? 'helpful' : 'not-helpful';
          if (feedback === 'not-helpful') {
            await recordQuestion(deps.log, data.q, 'not-helpful', turn.now, zone, {
              name: turn.userName,
            });
          }
          return deps.rerenderAnswer(turn, data.q, feedback);
        },
        'That feedback button is out of date. Please ask the question again.',
      ),
    },
    commands: {
      unanswered: async (turn) => {
        const ownerId = contentOwnerId(turn, deps.owners);
        if (!ownerId) {
          return turn.send(
            'notice',
            noticeView(
              "/unanswered is for content owners, the people who look after the bot's answers. If that should include you, ask your administrator.",
            ),
          );
        }
        const entries = await deps.log.list(localDate(turn.now, zone), deps.days);
        const rows = summariseQuestionLog(entries);
        await turn.send(
          'unanswered',
          unansweredView(rows, { days: deps.days, csvUrl: deps.csvLink?.(ownerId, turn.now) }),
        );
      },
    },
  };
}

/** The /unanswered card: totals, the window, the most frequent questions, and the CSV. */
export function unansweredView(
  rows: readonly UnansweredRow[],
  opts: { days: number; csvUrl?: string },
): CardViews['unanswered'] {
  const total = rows.reduce((n, r) => n + r.count, 0);
  const unanswered = rows.reduce((n, r) => n + r.unanswered, 0);
  const notHelpful = total - unanswered;
  const window = `the last ${opts.days} day${opts.days === 1 ? '' : 's'}`;
  const shown = rows.slice(0, UNANSWERED_SHOWN);
  const intro = total
    ? `${times(total, 'question')} in ${window} (${unanswered} unanswered, ${notHelpful} not helpful), ` +
      `${rows.length} different. ` +
      (rows.length > shown.length
        ? `The ${shown.length} most frequent are below; the CSV has them all.`
        : 'Most frequent first.')
    : `No questions in ${window}.`;
  return {
    summary: total
      ? `${times(total, 'question')} I could not answer or that were marked Not helpful in ${window}.`
      : `No unanswered or not-helpful questions in ${window}.`,
    title: 'Unanswered and not-helpful questions',
    intro,
    rows: shown.map((r) => ({ question: asPlainText(r.question), meta: rowMeta(r) })),
    empty: total ? '' : 'Nothing to add to the content for now.',
    note: opts.csvUrl
      ? `${ADD_EXAMPLE_HINT} The download link works for 15 minutes. Questions are kept as text only, never with who asked.`
      : `${ADD_EXAMPLE_HINT} A CSV download needs BOT_PUBLIC_URL and EXPORT_LINK_SECRET to be configured.`,
    links: opts.csvUrl ? [{ title: 'Download CSV', url: opts.csvUrl }] : [],
  };
}

function rowMeta(r: UnansweredRow): string {
  const why = [
    r.unanswered ? `${r.unanswered} unanswered` : '',
    r.notHelpful ? `${r.notHelpful} not helpful` : '',
  ].filter(Boolean);
  return `${r.count === 1 ? 'Once' : `${r.count} times`}: ${why.join(', ')} · last ${formatLongDate(r.lastSeen)}`;
}

function times(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
