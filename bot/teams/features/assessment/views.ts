import { answersFor, RATING_LABELS, type StepView } from '../../../core/assessment/assessment.js';
import type { GapFocus } from '../../../core/assessment/gaps.js';
import { LEVEL_NAMES } from '../../../core/library.js';
import type { CardViews, GapFocusView } from '../../cards.js';
import { bar } from '../../charts.js';
import { resourceText } from '../../views.js';

export function stepView(
  step: StepView,
  message: string,
  flagged: ReadonlySet<string>,
): CardViews['assessStep'] {
  const facts = step.statements.filter((s) => s.kind === 'fact').length;
  const partOf = step.parts > 1 ? ` (part ${step.part + 1} of ${step.parts})` : '';
  const answered = `${step.answeredCount} of ${step.totalStatements} answered`;
  const holding = flagged.size > 0;
  return {
    summary: `${step.subArea.label}${partOf}: ${plural(step.statements.length, 'statement')} (card ${step.number} of ${step.total})`,
    message,
    areaTitle: `${step.area.id} ${step.area.title} · ${LEVEL_NAMES[step.level]}`,
    title: `${step.subArea.label}${partOf}`,
    progress: `Card ${step.number} of ${step.total} · ${answered}${step.skipped ? ' · you skipped this card before' : ''}`,
    bar: bar(step.percentAnswered),
    ask:
      facts === step.statements.length
        ? 'Answer Yes, No or Not sure.'
        : facts
          ? 'How well can you show each of these today? The questions take Yes, No or Not sure.'
          : 'How well can you show each of these today?',
    statements: step.statements.map((s, i) => ({
      inputId: `rating:${s.id}`,
      label: `${i + 1}. ${s.question}`,
      placeholder: s.kind === 'fact' ? 'Yes, No or Not sure' : 'Not yet, Developing, Competent or Confident',
      value: s.rating ?? '',
      choices: answersFor(s.id).map((r) => ({ title: RATING_LABELS[r], value: r })),
      fact: s.kind === 'fact',
      flagged: flagged.has(s.id),
    })),
    noteAsked: step.isLastOfSubArea,
    noteShown: step.note !== '',
    noteLabel: `Evidence note for ${step.subArea.label} (optional)`,
    note: step.note,
    answered,
    nextTitle: holding ? (step.isLast ? 'Finish anyway' : 'Continue') : step.isLast ? 'Finish' : 'Next',
    nextAction: step.isLast ? 'finish' : 'next',
    leaveUnanswered: holding,
    assessmentId: step.assessmentId,
    revision: step.revision,
    subAreaId: step.subArea.id,
    part: step.part,
    isFirst: step.isFirst,
  };
}

/** A gap as the results and /gaps cards lead with it: how far off, the manager's activity, a resource. */
export function focusView(f: GapFocus): GapFocusView {
  const counts = new Map<string, number>();
  for (const st of f.group.statements) {
    const label = st.rating ? RATING_LABELS[st.rating] : 'Not answered';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return {
    gap: `Gap: ${f.group.subAreaLabel}`,
    statements: `${plural(f.group.statements.length, 'statement')}: ${[...counts].map(([label, n]) => `${n} ${label}`).join(', ')}`,
    activity: f.activity ? `Your manager can: ${f.activity.text}` : 'Talk to your manager about this area.',
    resource: f.resource ? `Read: ${resourceText({ ...f.resource, detail: undefined })}` : '',
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
