import { compareWithReview, type ReviewDoc } from '../review/review.js';
import type { PlanDoc } from '../plan/plan.js';
import { LEVEL_NAMES, type Library } from '../library.js';
import type { CompletedAssessment } from './assessment.js';
import { summarizeAssessment } from './gaps.js';

/** One line of a coder's history, with the instant it happened for ordering and the words to show. */
export interface HistoryEntry {
  at: string;
  kind: 'assessment' | 'review' | 'plan';
  text: string;
}

/** How many lines the history shows, newest first, so a long record keeps the card short. */
const HISTORY_SHOWN = 8;

/**
 * A coder's record, newest first: each completed self-assessment with what it found, each finished
 * manager's review with how far it agreed, and each plan item done or dropped. `day` writes a date
 * the way the rest of the card does.
 */
export function coderHistory(
  lib: Library,
  input: { completed: readonly CompletedAssessment[]; reviews?: ReviewDoc; plan?: PlanDoc },
  day: (iso: string) => string,
): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const a of input.completed) {
    const t = summarizeAssessment(lib, a).totals;
    entries.push({
      at: a.completedAt,
      kind: 'assessment',
      text: `${day(a.completedAt)}: ${LEVEL_NAMES[a.level].toLowerCase()} self-assessment, ${t.met} of ${t.total} statements met (${t.percentMet}%), ${t.gaps === 1 ? '1 gap' : `${t.gaps} gaps`}.`,
    });
    const review = input.reviews?.reviews.find((r) => r.assessmentId === a.id && r.status === 'done');
    if (review) {
      const rows = compareWithReview(lib, a, review);
      const differ = rows.filter((r) => r.difference > 0).length;
      entries.push({
        at: review.doneAt ?? a.completedAt,
        kind: 'review',
        text: `${day(review.doneAt ?? a.completedAt)}: ${review.managerName} reviewed it, agreeing on ${rows.length - differ} of ${rows.length} sub-areas${differ ? ` and rating ${differ} differently` : ''}.`,
      });
    }
  }
  for (const item of input.plan?.items ?? []) {
    if ((item.status !== 'done' && item.status !== 'dropped') || !item.closedAt) continue;
    entries.push({
      at: item.closedAt,
      kind: 'plan',
      text: `${day(item.closedAt)}: plan item ${item.status === 'done' ? 'done' : 'dropped'}, "${item.activityText}"${item.note ? `: ${item.note.replace(/[.\s]+$/, '')}` : ''}.`,
    });
  }
  // At the same instant a review follows its assessment, so newest first shows it above.
  const rank = { plan: 0, review: 1, assessment: 2 };
  return entries
    .sort((x, y) => y.at.localeCompare(x.at) || rank[x.kind] - rank[y.kind])
    .slice(0, HISTORY_SHOWN);
}
