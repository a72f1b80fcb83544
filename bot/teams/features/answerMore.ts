import type { Library } from '../../core/library.js';
import type { QuestionService } from '../../core/questions/answerQuestion.js';
import { answerCard, eligibilityAnswerCard } from '../answerView.js';
import type { Feature } from '../feature.js';
import { cardInvokeResponse, errorInvokeResponse } from '../turn.js';

/**
 * "Show N more" on an answer: the answer again, in place, with its further quotes shown. The card
 * carries only the question; the answer is worked out again, as Helpful / Not helpful does.
 */
export function answerMoreFeature(lib: Library, questions: QuestionService): Feature {
  return {
    verbs: {
      'answer.more': async (turn, data) => {
        const question = typeof data.q === 'string' ? data.q.slice(0, 500) : '';
        const reply = question ? questions.reply(question, turn.today) : undefined;
        const view =
          reply?.kind === 'answer'
            ? answerCard(lib, reply, question, 'ask')
            : reply?.kind === 'eligibility'
              ? eligibilityAnswerCard(lib, reply, question, 'ask')
              : undefined;
        if (!view)
          return errorInvokeResponse(400, 'That answer could not be shown again. Please ask once more.');
        return cardInvokeResponse(turn.render('answer', { ...view, showMore: true }));
      },
    },
  };
}
