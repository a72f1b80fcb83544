import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  RATING_LABELS,
  RatingSchema,
  StepActionSchema,
  applyStep,
  cardPlan,
  completedInOrder,
  currentStep,
  latestCompleted,
  previousCompleted,
  restartAssessment,
  type Assessment,
  type AssessmentDoc,
  type AssessmentRepo,
  type CompletedAssessment,
  type StepView,
} from '../../../core/assessment/assessment.js';
import { LevelSchema, type Level } from '../../../core/frameworkSchema.js';
import { compareAssessments, focusGaps, summarizeAssessment } from '../../../core/assessment/gaps.js';
import type { HistoryEntry } from '../../../core/assessment/history.js';
import { LEVEL_NAMES, type Library } from '../../../core/library.js';
import type { CardViews } from '../../cards.js';
import { NoData, verb, type Feature } from '../../feature.js';
import { cardInvokeResponse, errorInvokeResponse, type Turn } from '../../turn.js';
import { activitiesForGaps, noticeView } from '../../views.js';
import { areaRows, areaSummary, reviewBars, trendView } from '../../charts.js';
import { focusView, plural, stepView } from './views.js';

/** Card inputs arrive as rating:<statement id> plus the hidden step data; zod checks them all. */
const StepCardSchema = z
  .object({
    action: StepActionSchema,
    assessmentId: z.string().min(1).max(100),
    revision: z.coerce.number().int().min(0),
    subAreaId: z.string().min(1).max(40),
    part: z.coerce.number().int().min(0).default(0),
    leaveUnanswered: z
      .union([z.boolean(), z.enum(['true', 'false'])])
      .transform((v) => v === true || v === 'true')
      .default(false),
    note: z.string().max(5000, 'That note is far too long.').optional(),
  })
  .catchall(z.unknown());

const StartSchema = z.object({ level: LevelSchema, assessmentId: z.string().optional() });
/** Start over is asked only for the assessment the card was shown for; any other id shows the choice again. */
const RestartAskSchema = z.object({ assessmentId: z.unknown() }).catchall(z.unknown());

/** The manager's review beside the coder's ratings: in words, and the assessment as the review reads it. */
interface SideBySide {
  heading: string;
  rows: { label: string; text: string }[];
  managerName: string;
  /** The manager's ratings in place of the coder's where they differ; absent with no review. */
  reviewed?: CompletedAssessment;
}

/** What the manager's review adds to the assessment: told when one completes, shown beside /results. */
export interface ReviewHooks {
  /** A sentence for the coder's results card when their manager has been asked to review. */
  onCompleted(turn: Turn, done: CompletedAssessment): Promise<string | undefined>;
  sideBySide(turn: Turn, done: CompletedAssessment): Promise<SideBySide>;
}

/** The coder's record behind "Show more" on /results: assessments, reviews and plan items closed, newest first. */
export type HistoryHook = (turn: Turn, completed: readonly CompletedAssessment[]) => Promise<HistoryEntry[]>;

/** The self-assessment: /assess, the card flow (Action.Execute verbs), /results and /gaps. */
export function assessmentFeature(
  lib: Library,
  repo: AssessmentRepo,
  review?: ReviewHooks,
  history?: HistoryHook,
): Feature<'assess' | 'results' | 'gaps'> & { showOwnGaps: (turn: Turn) => Promise<boolean> } {
  const stepCard = (turn: Turn, step: StepView, message = '', flagged = new Set<string>()) =>
    turn.render('assessStep', stepView(step, message, flagged));

  const levelChoice = (turn: Turn, doc: AssessmentDoc | undefined) => {
    const current = doc?.current;
    if (current) {
      const step = currentStep(lib, current);
      return turn.render('assessChoice', {
        summary: `You have a self-assessment in progress: card ${step.number} of ${step.total}.`,
        title: 'Your self-assessment',
        text: `You have a ${LEVEL_NAMES[current.level].toLowerCase()} assessment in progress: card ${step.number} of ${step.total}, ${step.answeredCount} of ${step.totalStatements} statements answered.`,
        detail: 'Resume where you left off, or start over (your answers so far would be discarded).',
        choices: [
          { title: 'Resume', verb: 'assess.resume', level: current.level, assessmentId: current.id },
          { title: 'Start over', verb: 'assess.restartAsk', level: current.level, assessmentId: current.id },
        ],
      });
    }
    const last = latestCompleted(doc);
    return turn.render('assessChoice', {
      summary: 'Start a self-assessment: choose trainee or approved auditor.',
      title: 'Self-assessment against the auditor competencies',
      text: 'Choose the level you are working towards. I ask only the statements that apply at that level, one sub-area at a time, and save every step.',
      detail: last
        ? `Your last assessment was completed on ${turn.day(last.completedAt)}; I'll show what changed since then.`
        : `Trainee auditor: ${sizeOf('trainee')}. Approved auditor: ${sizeOf('approved')}. A few statements at a time; every answer is saved.`,
      choices: (['trainee', 'approved'] as Level[]).map((level) => ({
        title: LEVEL_NAMES[level],
        verb: 'assess.start',
        level,
        assessmentId: '',
      })),
    });
  };

  const sizeOf = (level: Level) => {
    const cards = cardPlan(lib, level);
    const statements = cards.reduce((n, c) => n + c.statements.length, 0);
    return `${statements} statements on ${cards.length} short cards`;
  };

  /** The results of `done`, the latest assessment completed in `doc`, with what changed since the one before. */
  const resultsCard = async (
    turn: Turn,
    doc: AssessmentDoc | undefined,
    done: CompletedAssessment,
    expanded = false,
    note?: string,
  ) => {
    const summary = summarizeAssessment(lib, done);
    const reviewed: SideBySide = (await review?.sideBySide(turn, done)) ?? {
      heading: '',
      rows: [],
      managerName: '',
    };
    const previous = previousCompleted(doc);
    const changes: { text: string }[] = [];
    if (previous) {
      const comparison = compareAssessments(lib, previous, done);
      const moved = comparison.areaChanges.filter((x) => x.change !== 0);
      changes.push({
        text: `Since ${turn.day(previous.completedAt)}: ${plural(comparison.closed.length, 'gap')} closed, ${plural(comparison.opened.length, 'new gap')}${moved.length ? `; ${moved.map((c) => `${c.areaId} ${c.beforePercent}% → ${c.afterPercent}%`).join(', ')}` : ''}.`,
      });
    }
    const t = summary.totals;
    const focus = focusGaps(lib, summary);
    const areas = areaRows(summary.areas);
    const view: CardViews['assessResults'] = {
      summary: `Your ${LEVEL_NAMES[summary.level].toLowerCase()} self-assessment of ${turn.day(done.completedAt)}: ${t.percentMet}% met, ${plural(t.gaps, 'gap')}.`,
      title: `Your results: ${LEVEL_NAMES[summary.level].toLowerCase()}`,
      subtitle: `Completed ${turn.day(done.completedAt)} · ${t.met} of ${t.total} statements met (${t.percentMet}%) · ${plural(t.gaps, 'gap')}${t.unanswered ? ` · ${t.unanswered} not answered or not sure` : ''}`,
      focusHeading: focus.length
        ? focus.length === 1
          ? 'Your gap, and what to do about it'
          : `Your ${focus.length === 2 ? 'two' : 'three'} biggest gaps, and what to do`
        : 'No gaps: every statement you answered is met.',
      focus: focus.map((f) => focusView(f)),
      areas,
      areaSummary: areaSummary(areas),
      changes: note ? [...changes, { text: note }] : changes,
      // The line waits behind "Show more", so only that card pays for summarising every assessment.
      ...trendView(
        expanded
          ? completedInOrder(doc).map((a) => {
              const s = a.id === done.id ? summary : summarizeAssessment(lib, a);
              return {
                date: turn.calendar.localDate(new Date(a.completedAt)),
                day: turn.day(a.completedAt),
                percentMet: s.totals.percentMet,
                areas: s.areas,
              };
            })
          : [],
      ),
      reviewHeading: reviewed.heading,
      review: reviewed.rows,
      ...reviewBars(
        summary.areas,
        expanded && reviewed.reviewed ? summarizeAssessment(lib, reviewed.reviewed).areas : [],
        reviewed.managerName,
      ),
      moreLabel: 'Show more',
      expanded,
      gapsHeading: t.gaps ? `All ${plural(t.gaps, 'gap')}, by sub-area` : 'No gaps',
      gaps: summary.gaps.map((g) => ({
        label: g.subAreaLabel,
        statements: g.statements.map((s) => ({
          text: `Gap: ${s.text} (${s.rating ? RATING_LABELS[s.rating] : 'not answered'})`,
        })),
      })),
      unknownHeading: summary.unanswered.length ? 'Not answered, or not sure' : '',
      unknown: summary.unanswered.flatMap((g) =>
        g.statements.map((s) => ({
          text: `${g.subAreaLabel.split(' ')[0] ?? ''}: ${s.text}${s.rating ? ` (${RATING_LABELS[s.rating]})` : ''}`,
        })),
      ),
      strengthsHeading: summary.strengths.length ? 'Strengths' : '',
      strengths: summary.strengths.map((s) => ({
        text: `Strength: ${s.subAreaLabel}, ${plural(s.statements.length, 'statement')} met`,
      })),
      history: expanded && history ? await history(turn, doc?.history ?? [done]) : [],
      buttons: [
        { title: 'All gaps and activities', command: '/gaps' },
        { title: 'Share with my manager', command: '/manager' },
        { title: 'New assessment', command: '/assess' },
      ],
    };
    return turn.render('assessResults', view);
  };

  const gapsCard = (turn: Turn, done: CompletedAssessment) => {
    const summary = summarizeAssessment(lib, done);
    const focus = focusGaps(lib, summary);
    const list = activitiesForGaps(lib, summary, { page: 1 });
    const who = LEVEL_NAMES[summary.level].toLowerCase();
    const view: CardViews['activities'] = {
      ...list,
      summary: summary.gaps.length
        ? `Your gaps are in ${summary.gapAreaIds.join(', ')}; start with ${focus.map((f) => f.group.subAreaLabel).join(', ')}.`
        : 'You have no gaps in your latest self-assessment.',
      title: summary.gaps.length
        ? 'Your gaps and what your line manager can do'
        : 'No gaps in your latest self-assessment',
      intro: summary.gaps.length
        ? `From your ${who} assessment of ${turn.day(done.completedAt)}: ${plural(summary.totals.gaps, 'gap')} in ${plural(summary.gaps.length, 'sub-area')}. Start with ${focus.length === 1 ? 'this one' : `these ${focus.length}`}:`
        : 'Every statement you answered is met. Keep your CPD going.',
      focus: focus.map((f) => focusView(f)),
      listLabel: summary.gaps.length ? 'All activities for my gaps' : '',
      listHeading: summary.gaps.length
        ? `All ${plural(summary.totals.gaps, 'gap')}, by sub-area: ${summary.gaps.map((g) => `${g.subAreaLabel.split('.')[0] ?? ''} (${g.statements.length})`).join(', ')}.`
        : '',
      buttons: summary.gaps.length
        ? [
            { title: 'Share with my manager', command: '/manager' },
            { title: 'My results', command: '/results' },
          ]
        : [{ title: 'My results', command: '/results' }],
    };
    return turn.render('activities', view);
  };

  return {
    /** The gaps card for the user's latest assessment, for /activities with no area; false when there is none. */
    showOwnGaps: async (turn) => {
      const done = latestCompleted(await repo.get(turn.userKey));
      if (!done) return false;
      await turn.sendRendered(gapsCard(turn, done));
      return true;
    },
    commands: {
      assess: async (turn) => {
        await turn.sendRendered(levelChoice(turn, await repo.get(turn.userKey)));
      },
      results: async (turn) => {
        const doc = await repo.get(turn.userKey);
        const done = latestCompleted(doc);
        if (!done) return turn.send('notice', noResults(doc));
        await turn.sendRendered(await resultsCard(turn, doc, done));
      },
      gaps: async (turn) => {
        const done = latestCompleted(await repo.get(turn.userKey));
        if (!done) return turn.send('notice', noResults(undefined));
        await turn.sendRendered(gapsCard(turn, done));
      },
    },
    verbs: {
      'assess.results': verb(NoData, async (turn) => {
        const doc = await repo.get(turn.userKey);
        const done = latestCompleted(doc);
        if (!done) return cardInvokeResponse(turn.render('notice', noResults(doc)));
        return cardInvokeResponse(await resultsCard(turn, doc, done, true));
      }),
      'assess.start': verb(
        StartSchema,
        async (turn, data) => {
          const doc = await repo.get(turn.userKey);
          if (doc?.current) return cardInvokeResponse(levelChoice(turn, doc));
          const saved = await repo.update(turn.userKey, (d) =>
            d.current ? undefined : restartAssessment(d, data.level, { id: randomUUID(), now: turn.now }),
          );
          // Started now, or by another turn in between: either way one is in progress.
          return cardInvokeResponse(stepCard(turn, currentStep(lib, inProgress(saved))));
        },
        'Please choose trainee or approved auditor.',
      ),
      'assess.resume': verb(NoData, async (turn) => {
        const doc = await repo.get(turn.userKey);
        if (!doc?.current) return cardInvokeResponse(levelChoice(turn, doc));
        return cardInvokeResponse(stepCard(turn, currentStep(lib, doc.current)));
      }),
      'assess.restartAsk': verb(RestartAskSchema, async (turn, data) => {
        const doc = await repo.get(turn.userKey);
        const current = doc?.current;
        if (!current || current.id !== data.assessmentId) return cardInvokeResponse(levelChoice(turn, doc));
        return cardInvokeResponse(
          turn.render('assessChoice', {
            summary: 'Start over? Your answers in this assessment will be discarded.',
            title: 'Start over?',
            text: 'Your answers in the assessment in progress will be discarded. Completed assessments in your history are kept.',
            detail: 'Choose the level for the new assessment, or keep the one you have.',
            choices: [
              ...(['trainee', 'approved'] as Level[]).map((level) => ({
                title: `Start over: ${LEVEL_NAMES[level].toLowerCase()}`,
                verb: 'assess.restart',
                level,
                assessmentId: current.id,
              })),
              {
                title: 'Keep my answers',
                verb: 'assess.resume',
                level: current.level,
                assessmentId: current.id,
              },
            ],
          }),
        );
      }),
      'assess.restart': verb(
        StartSchema,
        async (turn, data) => {
          const saved = await repo.update(turn.userKey, (d) =>
            // Only the assessment the confirmation was shown for may be discarded (no stale double restart).
            d.current && d.current.id !== data.assessmentId
              ? undefined
              : restartAssessment(d, data.level, { id: randomUUID(), now: turn.now }),
          );
          // Restarted now, or another one kept: either way one is in progress.
          return cardInvokeResponse(stepCard(turn, currentStep(lib, inProgress(saved))));
        },
        'Please choose trainee or approved auditor.',
      ),
      'assess.step': verb(
        StepCardSchema,
        async (turn, card, data) => {
          const { action, assessmentId, revision, subAreaId, part, leaveUnanswered, note } = card;
          const ratings: Record<string, z.infer<typeof RatingSchema>> = {};
          for (const [k, v] of Object.entries(data)) {
            if (!k.startsWith('rating:') || v === '' || v === undefined || v === null) continue;
            const r = RatingSchema.safeParse(v);
            if (!r.success)
              return errorInvokeResponse(
                400,
                'Each answer must be one the card offers: Not yet to Confident, or Yes, No or Not sure.',
              );
            ratings[k.slice('rating:'.length)] = r.data;
          }
          let failure: { code: string; message: string } | undefined;
          let outcome: string | undefined;
          let unanswered: string[] = [];
          const saved = await repo.update(turn.userKey, (doc) => {
            const result = applyStep(
              lib,
              doc,
              { action, assessmentId, revision, subAreaId, part, leaveUnanswered, ratings, note },
              turn.now,
            );
            if (!result.ok) {
              failure = result;
              return undefined;
            }
            failure = undefined;
            outcome = result.outcome;
            unanswered = result.unanswered;
            return result.doc;
          });
          if (failure) {
            if (saved?.current)
              return cardInvokeResponse(stepCard(turn, currentStep(lib, saved.current), failure.message));
            return errorInvokeResponse(400, failure.message);
          }
          if (outcome === 'completed') {
            const done = latestCompleted(saved);
            if (!done) throw new Error('A completed self-assessment step saved no completed assessment');
            const asked = await review?.onCompleted(turn, done);
            return cardInvokeResponse(await resultsCard(turn, saved, done, false, asked));
          }
          // Any other outcome of a step keeps the assessment in progress.
          if (outcome === 'unanswered') {
            const step = currentStep(lib, inProgress(saved));
            const numbers = step.statements.flatMap((st, i) => (unanswered.includes(st.id) ? [i + 1] : []));
            const them = numbers.length === 1 ? 'it' : 'them';
            const list =
              numbers.length === 1
                ? `number ${numbers.join('')}`
                : `numbers ${numbers.slice(0, -1).join(', ')} and ${numbers.slice(-1).join('')}`;
            return cardInvokeResponse(
              stepCard(
                turn,
                step,
                `${numbers.length} not answered yet (${list}): answer ${them}, or press ${step.isLast ? 'Finish anyway' : 'Continue'} to leave ${them} for later.`,
                new Set(unanswered),
              ),
            );
          }
          if (action === 'save') {
            const step = currentStep(lib, inProgress(saved));
            return cardInvokeResponse(
              turn.render(
                'notice',
                noticeView(
                  `Saved. You are on card ${step.number} of ${step.total}, with ${step.answeredCount} of ${step.totalStatements} statements answered. Type /assess whenever you want to carry on.`,
                  {
                    title: 'Self-assessment saved',
                    buttons: [{ title: 'Carry on now', command: '/assess' }],
                  },
                ),
              ),
            );
          }
          return cardInvokeResponse(stepCard(turn, currentStep(lib, inProgress(saved))));
        },
        (_turn, error) =>
          Promise.resolve(
            errorInvokeResponse(
              400,
              `That card could not be read (${error.issues[0]?.message ?? 'not valid'}). Type /assess to carry on.`,
            ),
          ),
      ),
    },
  };

  /** The assessment in progress in a document a step just saved; a step that keeps one going always leaves one. */
  function inProgress(doc: AssessmentDoc | undefined): Assessment {
    if (!doc?.current) throw new Error('A self-assessment step saved no assessment in progress');
    return doc.current;
  }

  function noResults(doc: AssessmentDoc | undefined): CardViews['notice'] {
    return noticeView(
      doc?.current
        ? 'You have not finished a self-assessment yet. Carry on with /assess and your results will appear here.'
        : 'You have no self-assessment results yet. Start one with /assess; it takes a few minutes at a time.',
      { buttons: [{ title: doc?.current ? 'Carry on' : 'Start a self-assessment', command: '/assess' }] },
    );
  }
}
