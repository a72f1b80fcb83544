import type { AreaId, Level } from '../../core/frameworkSchema.js';
import { parseCompetencyRef, type Library } from '../../core/library.js';
import type { QuestionAnswerer } from '../../core/questionAnswering.js';
import type { Feature } from '../feature.js';
import type { Turn } from '../turn.js';
import { activitiesView, answerView, areasView, competencyView, noAnswerView, noticeView } from '../views.js';

/** Questions and the framework's reference commands: /ask, /areas, /competency, /activities <area>. */
export function knowledgeFeature(
  lib: Library,
  qa: QuestionAnswerer,
  hooks: {
    ownGaps?: (turn: Turn) => Promise<boolean>;
    /** After the bot has said it has no good answer: the question log keeps the question. */
    declined?: (turn: Turn, question: string) => Promise<void>;
  } = {},
): Feature {
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
    const answer = qa.answer(question);
    if (answer.status === 'competency') {
      const view = competencyView(lib, answer.ref);
      if (view) return turn.send('competency', view);
    }
    if (answer.status === 'activities')
      return turn.send('activities', activitiesView(lib, answer.areaId, undefined));
    if (answer.status === 'answered') return turn.send('answer', answerView(lib, question, answer));
    await turn.send('notice', noAnswerView(question));
    await hooks.declined?.(turn, question);
  };

  return {
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
        if (!area && !level && !turn.isShared && (await hooks.ownGaps?.(turn))) return;
        await turn.send('activities', activitiesView(lib, area, level, { page: Number(args.page ?? 1) }));
      },
    },
  };
}
