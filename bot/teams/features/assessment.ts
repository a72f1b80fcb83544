import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AssessmentDocSchema,
  RATING_LABELS,
  RatingSchema,
  StepActionSchema,
  applyStep,
  currentStep,
  newAssessmentDoc,
  restartAssessment,
  type AssessmentDoc,
  type CompletedAssessment,
  type StepView,
} from '../../core/assessment.js';
import { LevelSchema, type Level } from '../../core/frameworkSchema.js';
import {
  compareAssessments,
  recommendResources,
  suggestActivities,
  summarizeAssessment,
} from '../../core/gaps.js';
import { LEVEL_NAMES, findStatement, type Library } from '../../core/library.js';
import type { DocumentStore } from '../../storage/documentStore.js';
import type { CardViews } from '../cards.js';
import type { Feature } from '../feature.js';
import { cardInvokeResponse, errorInvokeResponse, type Turn } from '../turn.js';
import { activityMeta, noticeView, sourceLine } from '../views.js';

export const assessmentKey = (userKey: string) => `assessment/${userKey}`;

/** Stored self-assessments, one small document per user. */
export class AssessmentRepo {
  constructor(
    private readonly store: DocumentStore,
    /** Called once when a user's first assessment document is written (the retention index). */
    private readonly onFirstWrite?: (userKey: string) => Promise<void>,
  ) {}

  get(userKey: string): Promise<AssessmentDoc | undefined> {
    return this.store.get(assessmentKey(userKey), AssessmentDocSchema);
  }

  async update(
    userKey: string,
    change: (doc: AssessmentDoc) => AssessmentDoc | undefined,
  ): Promise<AssessmentDoc | undefined> {
    let created = false;
    const saved = await this.store.update(assessmentKey(userKey), AssessmentDocSchema, (cur) => {
      created = !cur;
      return change(cur ?? newAssessmentDoc(userKey));
    });
    if (created && saved) await this.onFirstWrite?.(userKey);
    return saved;
  }

  /** Drops completed assessments older than the retention period; returns how many were dropped. */
  async applyRetention(userKey: string, cutoff: Date): Promise<number> {
    let dropped = 0;
    await this.store.update(assessmentKey(userKey), AssessmentDocSchema, (cur) => {
      if (!cur) return undefined;
      const kept = cur.history.filter((a) => Date.parse(a.completedAt ?? '') >= cutoff.getTime());
      dropped = cur.history.length - kept.length;
      return dropped ? { ...cur, history: kept } : undefined;
    });
    return dropped;
  }

  remove(userKey: string): Promise<void> {
    return this.store.remove(assessmentKey(userKey));
  }
}

/** Card inputs arrive as rating:<statement id> plus the hidden step data; zod checks them all. */
const StepCardSchema = z
  .object({
    action: StepActionSchema,
    assessmentId: z.string().min(1).max(100),
    revision: z.coerce.number().int().min(0),
    subAreaId: z.string().min(1).max(40),
    note: z.string().max(5000, 'That note is far too long.').optional(),
  })
  .catchall(z.unknown());

const StartSchema = z.object({ level: LevelSchema, assessmentId: z.string().optional() });

const BAR_WIDTH = 10;
export function bar(percent: number): string {
  const filled = Math.round((percent / 100) * BAR_WIDTH);
  return '●'.repeat(filled) + '○'.repeat(BAR_WIDTH - filled);
}

export function latestCompleted(doc: AssessmentDoc | undefined): CompletedAssessment | undefined {
  return doc?.history.at(-1) as CompletedAssessment | undefined;
}

/** The self-assessment: /assess, the card flow (Action.Execute verbs), /results and /gaps. */
export function assessmentFeature(lib: Library, repo: AssessmentRepo): Feature {
  const stepCard = (turn: Turn, step: StepView, message = '') =>
    turn.render('assessStep', stepView(step, message));

  const levelChoice = (turn: Turn, doc: AssessmentDoc | undefined) => {
    const current = doc?.current;
    if (current) {
      const step = currentStep(lib, current);
      return turn.render('assessChoice', {
        summary: `You have a self-assessment in progress: sub-area ${step.number} of ${step.total}.`,
        title: 'Your self-assessment',
        text: `You have a ${LEVEL_NAMES[current.level].toLowerCase()} assessment in progress: sub-area ${step.number} of ${step.total}, ${step.percentAnswered}% of statements answered.`,
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
        ? `Your last assessment was completed on ${formatDate(last.completedAt)}; I'll show what changed since then.`
        : 'Trainee auditor: 70 statements in 28 short cards. Approved auditor: 138 statements in 35 cards.',
      choices: (['trainee', 'approved'] as Level[]).map((level) => ({
        title: LEVEL_NAMES[level],
        verb: 'assess.start',
        level,
        assessmentId: '',
      })),
    });
  };

  const resultsCard = (turn: Turn, doc: AssessmentDoc) => {
    const done = latestCompleted(doc)!;
    const summary = summarizeAssessment(lib, done);
    const previous = doc.history.at(-2);
    const comparison = previous ? compareAssessments(lib, previous, done) : undefined;
    const changes: { text: string }[] = [];
    if (comparison) {
      changes.push({
        text: `${comparison.closed.length} gap${comparison.closed.length === 1 ? '' : 's'} closed, ${comparison.opened.length} new gap${comparison.opened.length === 1 ? '' : 's'} (compared with ${formatDate(previous!.completedAt!)}).`,
      });
      for (const c of comparison.areaChanges.filter((x) => x.change !== 0)) {
        changes.push({ text: `${c.areaId} ${c.title}: ${c.beforePercent}% → ${c.afterPercent}% met` });
      }
      for (const id of comparison.closed.slice(0, 5))
        changes.push({ text: `Closed: ${findStatement(lib, id)?.statement.text ?? id}` });
    }
    const gapCount = summary.totals.gaps;
    const shownGaps = summary.gaps.slice(0, 8);
    const view: CardViews['assessResults'] = {
      summary: `Your ${LEVEL_NAMES[summary.level].toLowerCase()} self-assessment of ${formatDate(done.completedAt)}: ${summary.totals.percentMet}% met, ${gapCount} gaps.`,
      title: `Your results: ${LEVEL_NAMES[summary.level].toLowerCase()}`,
      subtitle: `Completed ${formatDate(done.completedAt)} · ${summary.totals.met} of ${summary.totals.total} statements met (${summary.totals.percentMet}%)${summary.totals.unanswered ? ` · ${summary.totals.unanswered} not answered` : ''}`,
      areas: summary.areas.map((a) => ({
        label: `${a.areaId} ${a.title}`,
        bar: bar(a.percentMet),
        color: a.percentMet >= 80 ? 'Good' : a.percentMet >= 50 ? 'Warning' : 'Attention',
        figure: `${a.percentMet}% (${a.met}/${a.total})`,
      })),
      changes,
      gapsHeading: gapCount
        ? `Gaps (${gapCount})`
        : 'No gaps: every statement you answered is Competent or Confident.',
      gaps: shownGaps.map((g) => ({
        label: g.subAreaLabel,
        statements: g.statements.map((s) => ({
          text: s.text,
          rating: s.rating ? RATING_LABELS[s.rating] : 'not answered',
        })),
      })),
      strengthsHeading: summary.strengths.length ? 'Strengths' : '',
      strengths: summary.strengths.map((s) => ({
        text: `${s.subAreaLabel}: ${s.statements.length} statement${s.statements.length === 1 ? '' : 's'} Competent or Confident`,
      })),
      more:
        summary.gaps.length > shownGaps.length
          ? `And gaps in ${summary.gaps.length - shownGaps.length} more sub-areas: see /gaps.`
          : '',
      buttons: [
        { title: 'Gaps and manager activities', command: '/gaps' },
        { title: 'Share with my line manager', command: '/manager' },
        { title: 'New assessment', command: '/assess' },
      ],
    };
    return turn.render('assessResults', view);
  };

  const gapsCard = (turn: Turn, done: CompletedAssessment) => {
    const summary = summarizeAssessment(lib, done);
    const activities = suggestActivities(lib, summary);
    const resources = recommendResources(lib, summary);
    const gapLines = summary.gaps.map((g) => `- ${g.subAreaLabel}: ${g.statements.length}`).join('\n');
    const shown = activities.slice(0, 10);
    return turn.render('activities', {
      summary: summary.gaps.length
        ? `Your gaps are in ${summary.gapAreaIds.join(', ')}; ${activities.length} line-manager activities address them.`
        : 'You have no gaps in your latest self-assessment.',
      title: summary.gaps.length
        ? 'Your gaps and what your line manager can do'
        : 'No gaps in your latest self-assessment',
      intro: summary.gaps.length
        ? `From your ${LEVEL_NAMES[summary.level].toLowerCase()} assessment of ${formatDate(done.completedAt)}, gaps (statements rated Not yet or Developing) by sub-area:\n${gapLines}\n\nSuggested line-manager activities, those serving more of your gap areas first:`
        : 'Every statement you answered is Competent or Confident. Keep your CPD going.',
      activities: shown.map((a) => ({
        text: a.text,
        meta: `${activityMeta(a)} · addresses your gaps in ${a.servesAreas.join(', ')}`,
      })),
      resources: resources
        .slice(0, 6)
        .map((r) => ({ text: `${r.title}${r.detail ? ` — ${r.detail}` : ''}${r.url ? ` (${r.url})` : ''}` })),
      more:
        activities.length > shown.length
          ? `Showing the top ${shown.length} of ${activities.length} activities.`
          : '',
      source: sourceLine(lib, lib.framework.source),
      buttons: [
        { title: 'Share with my line manager', command: '/manager' },
        { title: 'My results', command: '/results' },
      ],
    });
  };

  return {
    commands: {
      assess: async (turn) => {
        await turn.sendRendered(levelChoice(turn, await repo.get(turn.userKey)));
      },
      results: async (turn) => {
        const doc = await repo.get(turn.userKey);
        if (!latestCompleted(doc)) return turn.send('notice', noResults(doc));
        await turn.sendRendered(resultsCard(turn, doc!));
      },
      gaps: async (turn) => {
        const done = latestCompleted(await repo.get(turn.userKey));
        if (!done) return turn.send('notice', noResults(undefined));
        await turn.sendRendered(gapsCard(turn, done));
      },
    },
    verbs: {
      'assess.start': async (turn, data) => {
        const parsed = StartSchema.safeParse(data);
        if (!parsed.success) return errorInvokeResponse(400, 'Please choose trainee or approved auditor.');
        const doc = await repo.get(turn.userKey);
        if (doc?.current) return cardInvokeResponse(levelChoice(turn, doc));
        const saved = await repo.update(turn.userKey, (d) =>
          d.current
            ? undefined
            : restartAssessment(d, parsed.data.level, { id: randomUUID(), now: turn.now }),
        );
        return cardInvokeResponse(stepCard(turn, currentStep(lib, saved!.current!)));
      },
      'assess.resume': async (turn) => {
        const doc = await repo.get(turn.userKey);
        if (!doc?.current) return cardInvokeResponse(levelChoice(turn, doc));
        return cardInvokeResponse(stepCard(turn, currentStep(lib, doc.current)));
      },
      'assess.restartAsk': async (turn, data) => {
        const doc = await repo.get(turn.userKey);
        if (!doc?.current || doc.current.id !== data.assessmentId)
          return cardInvokeResponse(levelChoice(turn, doc));
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
                assessmentId: doc.current!.id,
              })),
              {
                title: 'Keep my answers',
                verb: 'assess.resume',
                level: doc.current.level,
                assessmentId: doc.current.id,
              },
            ],
          }),
        );
      },
      'assess.restart': async (turn, data) => {
        const parsed = StartSchema.safeParse(data);
        if (!parsed.success) return errorInvokeResponse(400, 'Please choose trainee or approved auditor.');
        const saved = await repo.update(turn.userKey, (d) =>
          // Only the assessment the confirmation was shown for may be discarded (no stale double restart).
          d.current && d.current.id !== parsed.data.assessmentId
            ? undefined
            : restartAssessment(d, parsed.data.level, { id: randomUUID(), now: turn.now }),
        );
        return cardInvokeResponse(stepCard(turn, currentStep(lib, saved!.current!)));
      },
      'assess.step': async (turn, data) => {
        const parsed = StepCardSchema.safeParse(data);
        if (!parsed.success) {
          return errorInvokeResponse(
            400,
            `That card could not be read (${parsed.error.issues[0]?.message}). Type /assess to carry on.`,
          );
        }
        const { action, assessmentId, revision, subAreaId, note } = parsed.data;
        const ratings: Record<string, z.infer<typeof RatingSchema>> = {};
        for (const [k, v] of Object.entries(data)) {
          if (!k.startsWith('rating:') || v === '' || v === undefined || v === null) continue;
          const r = RatingSchema.safeParse(v);
          if (!r.success)
            return errorInvokeResponse(
              400,
              'Each rating must be Not yet, Developing, Competent or Confident.',
            );
          ratings[k.slice('rating:'.length)] = r.data;
        }
        let failure: { code: string; message: string } | undefined;
        let outcome: string | undefined;
        const saved = await repo.update(turn.userKey, (doc) => {
          const result = applyStep(
            lib,
            doc,
            { action, assessmentId, revision, subAreaId, ratings, note },
            turn.now,
          );
          if (!result.ok) {
            failure = result;
            return undefined;
          }
          failure = undefined;
          outcome = result.outcome;
          return result.doc;
        });
        if (failure) {
          if (saved?.current)
            return cardInvokeResponse(stepCard(turn, currentStep(lib, saved.current), failure.message));
          return errorInvokeResponse(400, failure.message);
        }
        if (outcome === 'completed') return cardInvokeResponse(resultsCard(turn, saved!));
        if (action === 'save') {
          const step = currentStep(lib, saved!.current!);
          return cardInvokeResponse(
            turn.render(
              'notice',
              noticeView(
                `Saved. You are on sub-area ${step.number} of ${step.total} (${step.percentAnswered}% answered). Type /assess whenever you want to carry on.`,
                { title: 'Self-assessment saved', buttons: [{ title: 'Carry on now', command: '/assess' }] },
              ),
            ),
          );
        }
        return cardInvokeResponse(stepCard(turn, currentStep(lib, saved!.current!)));
      },
    },
  };

  function noResults(doc: AssessmentDoc | undefined): CardViews['notice'] {
    return noticeView(
      doc?.current
        ? 'You have not finished a self-assessment yet. Carry on with /assess and your results will appear here.'
        : 'You have no self-assessment results yet. Start one with /assess; it takes a few minutes at a time.',
      { buttons: [{ title: doc?.current ? 'Carry on' : 'Start a self-assessment', command: '/assess' }] },
    );
  }
}

/** The gaps card for a user's latest assessment, for /activities with no area; false when there is none. */
export async function sendGapActivities(
  turn: Turn,
  repo: AssessmentRepo,
  feature: Feature,
): Promise<boolean> {
  const done = latestCompleted(await repo.get(turn.userKey));
  if (!done) return false;
  await feature.commands!.gaps!(turn, {});
  return true;
}

function stepView(step: StepView, message: string): CardViews['assessStep'] {
  return {
    summary: `${step.subArea.label}: ${step.statements.length} statements (sub-area ${step.number} of ${step.total})`,
    message,
    areaTitle: `${step.area.id} ${step.area.title} · ${LEVEL_NAMES[step.level]}`,
    title: `${step.subArea.label} — ${step.statements.length} statement${step.statements.length === 1 ? '' : 's'}`,
    progress: `Sub-area ${step.number} of ${step.total} · ${step.percentAnswered}% of statements answered${step.skipped ? ' · you skipped this one before' : ''}`,
    bar: bar(step.percentAnswered),
    statements: step.statements.map((s) => ({
      inputId: `rating:${s.id}`,
      text: s.text,
      value: s.rating ?? '',
    })),
    note: step.note,
    nextTitle: step.isLast ? 'Finish' : 'Next',
    nextAction: step.isLast ? 'finish' : 'next',
    assessmentId: step.assessmentId,
    revision: step.revision,
    subAreaId: step.subArea.id,
    isFirst: step.isFirst,
  };
}

/** Made once: toLocaleDateString builds a formatter on every call. */
const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

export function formatDate(iso: string | undefined): string {
  const date = iso ? new Date(iso) : undefined;
  return date && !Number.isNaN(date.getTime()) ? LONG_DATE.format(date) : 'an unknown date';
}
