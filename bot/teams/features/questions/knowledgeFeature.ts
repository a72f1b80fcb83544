import { z } from 'zod';
import type { AreaId, Level } from '../../../core/frameworkSchema.js';
import { parseCompetencyRef, type Library } from '../../../core/library.js';
import type { QuestionService, Reply } from '../../../core/questions/answerQuestion.js';
import { answerCard, declineCard, eligibilityAnswerCard, type FeedbackState } from '../../answerView.js';
import type { RenderedCard } from '../../cards.js';
import { verb, type Feature } from '../../feature.js';
import { cardInvokeResponse, errorInvokeResponse, type InvokeResponse, type Turn } from '../../turn.js';
import { activitiesView, areasView, competencyView, noticeView } from '../../views.js';

/** Show more carries only the question; the answer is worked out again. */
const MoreSchema = z.object({ q: z.string().transform((q) => q.slice(0, 500)) });

export interface KnowledgeDeps {
  /** A coder with results asking for activities without an area gets those for their own gaps. */
  ownGaps?: (turn: Turn) => Promise<boolean>;
  /** A question the sources could not answer, for the content owners' log (text only, never who). */
  onUnanswered?: (turn: Turn, question: string) => Promise<void>;
  /** Whether answers carry Helpful / Not helpful (only where the feedback log is wired). */
  askFeedback?: boolean;
}

/** Questions and the framework's reference commands: /ask, /areas, /competency, /activities <area>. */
export function knowledgeFeature(
  lib: Library,
  questions: QuestionService,
  deps: KnowledgeDeps,
): Feature<'ask' | 'areas' | 'competency' | 'activities'> & {
  renderAnswer: (
    turn: Turn,
    question: string,
    feedback: 'helpful' | 'not-helpful',
  ) => Promise<InvokeResponse>;
} {
  const cardFor = (
    turn: Turn,
    question: string,
    reply: Reply,
    feedback: FeedbackState,
    showMore = false,
  ): RenderedCard => {
    switch (reply.kind) {
      case 'competency': {
        const view = competencyView(lib, reply.ref);
        if (view) return turn.render('competency', view);
        return turn.render(
          'answer',
          declineCard(lib, { kind: 'decline', near: [], didYouMean: [] }, question, 'none'),
        );
      }
      case 'activities':
        return turn.render('activities', activitiesView(lib, reply.areaId, reply.level));
      case 'answer':
        return turn.render('answer', { ...answerCard(lib, reply, question, feedback), showMore });
      case 'eligibility':
        return turn.render('answer', {
          ...eligibilityAnswerCard(lib, reply, question, feedback),
          showMore,
        });
      case 'decline':
        return turn.render('answer', declineCard(lib, reply, question, feedback));
    }
  };

  const ask = async (turn: Turn, question: string) => {
    if (!question.trim()) {
      await turn.send(
        'notice',
        noticeView('What would you like to know? For example: /ask what does CC2 cover?', {
          buttons: [{ title: 'The five areas', command: '/areas' }],
        }),
      );
      return;
    }
    const reply = questions.reply(question, turn.today);
    // Someone's own dates stay out of a channel or group chat, even when they typed them there.
    if (reply.kind === 'eligibility' && turn.isShared) {
      await turn.send(
        'notice',
        noticeView(
          'I answer questions about your own eligibility only in our private chat, so your dates stay out of this conversation. Send me the question there, or use /eligibility.',
        ),
      );
      return;
    }
    await turn.sendRendered(cardFor(turn, question, reply, deps.askFeedback ? 'ask' : 'none'));
    if (reply.kind === 'decline') await deps.onUnanswered?.(turn, question);
  };

  return {
    renderAnswer: (turn, question, feedback) => {
      const reply = questions.reply(question, turn.today);
      return Promise.resolve(
        cardInvokeResponse(
          cardFor(turn, question, reply, feedback === 'helpful' ? 'given-helpful' : 'given-not-helpful'),
        ),
      );
    },
    verbs: {
      // "Show N more": the answer again, in place, opened up. The card carries only the question;
      // the answer is worked out again, as Helpful / Not helpful does.
      'answer.more': verb(
        MoreSchema,
        (turn, { q: question }) => {
          const reply = question ? questions.reply(question, turn.today) : undefined;
          if (reply?.kind !== 'answer' && reply?.kind !== 'eligibility')
            return Promise.resolve(
              errorInvokeResponse(400, 'That answer could not be shown again. Please ask once more.'),
            );
          return Promise.resolve(
            cardInvokeResponse(cardFor(turn, question, reply, deps.askFeedback ? 'ask' : 'none', true)),
          );
        },
        'That answer could not be shown again. Please ask once more.',
      ),
    },
    commands: {
      ask: (turn, args) => ask(turn, args.query ?? ''),
      areas: (turn) => turn.send('competency', areasView(lib)),
      competency: async (turn, args) => {
        const query = args.query ?? '';
        if (!query) return turn.send('competency', areasView(lib));
        const ref = parseCompetencyRef(query);
        if (ref) {
          const view = competencyView(
            lib,
            ref.kind === 'area'
              ? { areaId: ref.areaId }
              : { areaId: ref.subAreaId.slice(0, 3) as AreaId, subAreaId: ref.subAreaId },
          );
          if (view) return turn.send('competency', view);
          return turn.send(
            'notice',
            noticeView(`There is no ${query.toUpperCase()} in the framework. Try /areas to see them all.`),
          );
        }
        await ask(turn, query);
      },
      activities: async (turn, args) => {
        const area = args.area ? (args.area.replace(/\s+/g, '').toUpperCase() as AreaId) : undefined;
        const level = args.level?.toLowerCase().replace(/s$/, '') as Level | undefined;
        // Without an area, a coder with results gets the activities for their own gaps.
        if (!area && !level && !turn.isShared && (await deps.ownGaps?.(turn))) return;
        await turn.send('activities', activitiesView(lib, area, level, { page: Number(args.page ?? 1) }));
      },
    },
  };
}
