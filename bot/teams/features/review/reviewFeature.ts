import { z } from 'zod';
import {
  RATING_LABELS,
  type AssessmentRepo,
  type CompletedAssessment,
} from '../../../core/assessment/assessment.js';
import { LEVEL_NAMES, findSubArea, subAreaLabel, type Library } from '../../../core/library.js';
import type { ManagerRepo } from '../../../core/managers/consent.js';
import {
  REVIEW_COMMENT_MAX,
  VerdictChoiceSchema,
  asReviewed,
  compareWithReview,
  latestDone,
  openReview,
  recordVerdicts,
  reviewOf,
  reviewPages,
  waitingFor,
  withdrawReviews,
  type Review,
  type ReviewRepo,
  type Verdict,
} from '../../../core/review/review.js';
import type { RenderedCard } from '../../cards.js';
import type { ConversationRefStore } from '../../conversationRefs.js';
import { verb, type Feature } from '../../feature.js';
import { managerAddress } from '../../addresses.js';
import type { ProactiveMessenger } from '../../proactive.js';
import { cardInvokeResponse, type Turn } from '../../turn.js';
import { noticeView } from '../../views.js';

export interface ReviewFeatureDeps {
  lib: Library;
  reviews: ReviewRepo;
  managers: ManagerRepo;
  assessments: AssessmentRepo;
  refs: ConversationRefStore;
  messenger: () => ProactiveMessenger | undefined;
}

const OpenSchema = z.object({ coderKey: z.string().min(1).max(200) });
/** The page's inputs arrive as verdict:<sub-area id> and comment:<sub-area id> beside the page's own data. */
const SaveSchema = z
  .object({
    coderKey: z.string().min(1).max(200),
    assessmentId: z.string().min(1).max(100),
    page: z.coerce.number().int().min(0).max(200),
    move: z.enum(['next', 'previous', 'finish']),
  })
  .catchall(z.unknown());

/**
 * The manager's review of a coder's completed self-assessment: the card, a few sub-areas a page, sent when
 * the assessment completes (and opened with /review); the coder told when it is done; /results shows
 * both sides. Only the manager the coder shares with reviews, and only while they share.
 */
export function reviewFeature(deps: ReviewFeatureDeps): Feature<'review'> & {
  onCompleted: (turn: Turn, done: CompletedAssessment) => Promise<string | undefined>;
  sideBySide: (
    turn: Turn,
    done: CompletedAssessment,
  ) => Promise<{
    heading: string;
    rows: { label: string; text: string }[];
    managerName: string;
    reviewed?: CompletedAssessment;
  }>;
  /** The coder stopped sharing or named someone else: nothing of theirs waits with the old manager. */
  withdraw: (coderKey: string, now: Date) => Promise<void>;
} {
  const { lib, reviews } = deps;

  /** The review card at one page, with what the manager has said so far filled in. */
  const reviewCard = async (
    turn: Turn,
    coderKey: string,
    review: Review,
    pageIndex: number,
    message = '',
    unsaved: Record<string, Verdict> = {},
  ): Promise<RenderedCard> => {
    const done = (await deps.assessments.get(coderKey))?.history.find((a) => a.id === review.assessmentId);
    // Evidence notes only where the coder agreed to share them (links made before reviews did not).
    const notesShared = ((await deps.managers.link(coderKey))?.terms ?? 1) >= 2;
    const pages = reviewPages(lib, review);
    const index = Math.min(Math.max(pageIndex, 0), pages.length - 1);
    const page = pages[index];
    const subs = page?.subAreas ?? [];
    const data = { coderKey, assessmentId: review.assessmentId, page: index };
    const last = index === pages.length - 1;
    return turn.render('review', {
      summary: `Review ${review.coderName}'s self-assessment.`,
      message,
      title: `Review: ${review.coderName}'s ${LEVEL_NAMES[review.level].toLowerCase()} self-assessment`,
      subtitle: `Completed ${turn.day(review.completedAt)} · ${page ? `${page.areaId} ${page.areaTitle}` : ''} (page ${index + 1} of ${pages.length})`,
      intro: `For each sub-area, agree with ${review.coderName}'s own ratings or give yours with a comment. ${review.coderName} sees your review beside their ratings.`,
      subAreas: subs.map((s) => {
        const said = unsaved[s.subAreaId] ?? review.verdicts[s.subAreaId];
        return {
          subAreaId: s.subAreaId,
          code: s.label.split('.')[0] ?? s.label,
          label: s.label,
          statements: s.statements.map((st) => {
            const r = done?.ratings[st.id];
            return { rating: r ? RATING_LABELS[r] : 'Not answered', text: st.text };
          }),
          note: notesShared ? (done?.notes[s.subAreaId] ?? '') : '',
          choice: said?.choice ?? 'agree',
          comment: said?.comment ?? '',
        };
      }),
      buttons: [
        ...(index > 0 ? [{ title: 'Back', verb: 'review.save', data: { ...data, move: 'previous' } }] : []),
        ...(last
          ? [{ title: 'Finish review', verb: 'review.save', data: { ...data, move: 'finish' } }]
          : [
              { title: 'Save and next', verb: 'review.save', data: { ...data, move: 'next' } },
              { title: 'Agree to all the rest', verb: 'review.save', data: { ...data, move: 'finish' } },
            ]),
      ],
    });
  };

  /** The manager's card went nowhere (or was not yet sent): /review finds it. */
  const sendToManager = async (turn: Turn, coderKey: string, review: Review): Promise<boolean> => {
    const messenger = deps.messenger();
    const doc = await deps.managers.manager(review.managerTeamsId);
    if (!messenger || !doc) return false;
    const address = managerAddress(doc, turn.activity.recipient);
    const outcome = await messenger.sendCard(address, await reviewCard(turn, coderKey, review, 0));
    return outcome.ok;
  };

  const tellCoder = async (turn: Turn, coderKey: string, review: Review) => {
    const messenger = deps.messenger();
    const reference = await deps.refs.personalReference(coderKey);
    if (!messenger || !reference) return;
    const differ = Object.values(review.verdicts).filter((v) => v.choice !== 'agree').length;
    const agreed = Object.values(review.verdicts).length - differ;
    const text = `${review.managerName} reviewed your self-assessment of ${turn.day(review.completedAt)}: agrees on ${agreed} sub-area${agreed === 1 ? '' : 's'}${differ ? `, rated ${differ} differently` : ''}. Type /results to see both side by side.`;
    await messenger.sendCard(
      { reference },
      turn.render('notice', noticeView(text, { buttons: [{ title: 'My results', command: '/results' }] })),
    );
  };

  /** The coder's verdicts on this page, read from the card's inputs; a problem names the sub-area. */
  const readPage = (
    raw: Record<string, unknown>,
    subAreaIds: string[],
    coderName: string,
  ): { verdicts: Record<string, Verdict> } | { problem: string; verdicts: Record<string, Verdict> } => {
    const verdicts: Record<string, Verdict> = {};
    const missing: string[] = [];
    for (const id of subAreaIds) {
      const choice = VerdictChoiceSchema.safeParse(raw[`verdict:${id}`] ?? 'agree');
      const commentRaw = raw[`comment:${id}`];
      const comment = typeof commentRaw === 'string' ? commentRaw.trim() : '';
      if (!choice.success)
        return { problem: 'That card could not be read. Type /review to start again.', verdicts };
      if (comment.length > REVIEW_COMMENT_MAX)
        return { problem: `Keep each comment to ${REVIEW_COMMENT_MAX} characters.`, verdicts };
      verdicts[id] = comment ? { choice: choice.data, comment } : { choice: choice.data };
      if (choice.data !== 'agree' && !comment) missing.push(id);
    }
    if (missing.length) {
      // As the card names them: "CC1 a", "CC5 (general)".
      const codes = missing.map((id) => {
        const found = findSubArea(lib, id);
        return found ? (subAreaLabel(found.subArea).split('.')[0] ?? id) : id;
      });
      return {
        problem: `Add a comment where you rate differently (${codes.join(', ')}), so ${coderName} knows why.`,
        verdicts,
      };
    }
    return { verdicts };
  };

  const closedNotice = (turn: Turn) =>
    cardInvokeResponse(
      turn.render(
        'notice',
        noticeView('This review is no longer open: it was finished, or the coder stopped sharing with you.'),
      ),
    );

  return {
    onCompleted: async (turn, done) => {
      const link = await deps.managers.link(turn.userKey);
      if (link?.status !== 'accepted') return undefined;
      const saved = await reviews.update(turn.userKey, (doc) =>
        openReview(
          doc,
          done,
          { coderName: link.coderName, managerTeamsId: link.managerTeamsId, managerName: link.managerName },
          turn.now,
        ),
      );
      const review = reviewOf(saved, done.id);
      if (!review) return undefined;
      // The coder's results must not wait on, or fail with, the manager's chat: /review finds it anyway.
      const sent = await sendToManager(turn, turn.userKey, review).catch(() => false);
      if (sent) {
        await reviews.update(turn.userKey, (doc) => ({
          reviews: doc.reviews.map((r) =>
            r.assessmentId === review.assessmentId ? { ...r, sentAt: turn.now.toISOString() } : r,
          ),
        }));
      }
      return `${link.managerName} has been asked to review it; you will hear when they have.`;
    },

    sideBySide: async (turn, done) => {
      const review = latestDone(await reviews.get(turn.userKey), done.id);
      if (!review) return { heading: '', rows: [], managerName: '' };
      const rows = compareWithReview(lib, done, review);
      const differ = rows.filter((r) => r.difference > 0);
      const shown = [
        ...differ.map((r) => ({
          label: r.label,
          text: `You: ${r.self} · ${review.managerName}: ${r.manager}${r.comment ? ` ("${r.comment}")` : ''}`,
        })),
        {
          label: differ.length ? 'Everything else' : 'Every sub-area',
          text: `${review.managerName} agrees with your ratings (${rows.length - differ.length} of ${rows.length} sub-areas).`,
        },
      ];
      return {
        heading: `${review.managerName}'s review (${turn.day(review.doneAt ?? review.completedAt)})${differ.length ? ': differences first' : ''}`,
        rows: shown,
        managerName: review.managerName,
        reviewed: asReviewed(lib, done, review),
      };
    },

    withdraw: async (coderKey, now) => {
      await reviews.update(coderKey, (doc) => withdrawReviews(doc, now));
    },

    commands: {
      review: async (turn) => {
        const me = turn.activity.from?.id ?? '';
        const doc = await deps.managers.manager(me);
        const coders = Object.entries(doc?.coders ?? {}).filter(([, c]) => c.status === 'accepted');
        const waiting: { coderKey: string; review: Review }[] = [];
        for (const [coderKey] of coders) {
          const review = waitingFor(await reviews.get(coderKey), me);
          if (review) waiting.push({ coderKey, review });
        }
        const [only] = waiting;
        if (!only) {
          return turn.send(
            'notice',
            noticeView(
              'No reviews are waiting for you. When a coder who shares with you completes a self-assessment, I send you their review card.',
            ),
          );
        }
        if (waiting.length === 1) {
          await turn.sendRendered(await reviewCard(turn, only.coderKey, only.review, 0));
          return;
        }
        await turn.send('choice', {
          summary: `${waiting.length} self-assessments are waiting for your review.`,
          message: '',
          title: 'Reviews waiting for you',
          text: 'Choose whose self-assessment to review:',
          lines: waiting.map((w) => ({
            text: `${w.review.coderName}, completed ${turn.day(w.review.completedAt)}`,
          })),
          detail: '',
          buttons: waiting.map((w) => ({
            title: `Review ${w.review.coderName}`,
            verb: 'review.open',
            data: { coderKey: w.coderKey },
          })),
        });
      },
    },

    verbs: {
      'review.open': verb(OpenSchema, async (turn, data) => {
        const review = waitingFor(await reviews.get(data.coderKey), turn.activity.from?.id ?? '');
        if (!review || !(await stillShared(deps, data.coderKey, review))) return closedNotice(turn);
        return cardInvokeResponse(await reviewCard(turn, data.coderKey, review, 0));
      }),
      'review.save': verb(
        SaveSchema,
        async (turn, data, raw) => {
          const me = turn.activity.from?.id ?? '';
          const doc = await reviews.get(data.coderKey);
          const review = reviewOf(doc, data.assessmentId);
          if (!review || review.managerTeamsId !== me || review.status !== 'waiting')
            return closedNotice(turn);
          if (!(await stillShared(deps, data.coderKey, review))) return closedNotice(turn);
          const subIds = (reviewPages(lib, review)[data.page]?.subAreas ?? []).map((s) => s.subAreaId);
          const page = readPage(raw, subIds, review.coderName);
          if ('problem' in page) {
            return cardInvokeResponse(
              await reviewCard(turn, data.coderKey, review, data.page, page.problem, page.verdicts),
            );
          }
          let outcome: ReturnType<typeof recordVerdicts> | undefined;
          await reviews.update(data.coderKey, (current) => {
            outcome = recordVerdicts(lib, current, {
              assessmentId: data.assessmentId,
              managerTeamsId: me,
              verdicts: page.verdicts,
              finish: data.move === 'finish',
              now: turn.now,
            });
            return outcome.ok ? outcome.doc : undefined;
          });
          if (!outcome?.ok) return closedNotice(turn);
          const saved = outcome.review;
          if (saved.status === 'done') {
            await tellCoder(turn, data.coderKey, saved).catch(() => undefined);
            const differ = Object.values(saved.verdicts).filter((v) => v.choice !== 'agree').length;
            return cardInvokeResponse(
              turn.render(
                'notice',
                noticeView(
                  `Review done: you agree on ${Object.keys(saved.verdicts).length - differ} sub-areas${differ ? ` and rated ${differ} differently` : ''}. ${saved.coderName} has been told and sees your review beside their ratings.`,
                ),
              ),
            );
          }
          const next = data.move === 'previous' ? data.page - 1 : data.page + 1;
          return cardInvokeResponse(await reviewCard(turn, data.coderKey, saved, next));
        },
        'That review card could not be read. Type /review to open it again.',
      ),
    },
  };
}

/** The review belongs to the manager the coder shares with now, and the assessment is still theirs. */
async function stillShared(deps: ReviewFeatureDeps, coderKey: string, review: Review): Promise<boolean> {
  const link = await deps.managers.link(coderKey);
  if (link?.status !== 'accepted' || link.managerTeamsId !== review.managerTeamsId) return false;
  const doc = await deps.assessments.get(coderKey);
  return doc?.history.some((a) => a.id === review.assessmentId) ?? false;
}
