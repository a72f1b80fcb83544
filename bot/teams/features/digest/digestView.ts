import { addDays, type Calendar } from '../../../core/calendar.js';
import type { CoderDigest, WeeklyDigest } from '../../../core/digest/digest.js';
import { LEVEL_NAMES, type Library } from '../../../core/library.js';
import { asPlainText, type CardViews } from '../../cards.js';
import { teamTotals } from '../../charts.js';

/** Good and Warning fail text contrast in Teams' light theme; the number itself says how many. */
const HEAT_COLORS = (gaps: number) => (gaps === 0 ? 'Default' : gaps <= 2 ? 'Accent' : 'Attention');

export function digestView(
  lib: Library,
  digest: WeeklyDigest,
  calendar: Calendar,
  opts: { now: Date; preview?: boolean },
): CardViews['digest'] {
  const areaIds = lib.framework.areas.map((a) => a.id);
  const common = digest.team.gapCountsByArea.filter((a) => digest.team.commonGapAreas.includes(a.areaId));
  return {
    summary: digest.summary,
    title: opts.preview
      ? 'What your line manager sees about you'
      : `Your team's self-assessments, ${calendar.formatWeekOf(digest.week)}`,
    areaIds,
    heatMap: digest.team.heatMap.map((r) => ({
      name: asPlainText(r.coderName),
      cells: r.cells.map((c) => ({ text: String(c.gaps), color: HEAT_COLORS(c.gaps) })),
    })),
    teamTotals: teamTotals(digest.team.heatMap, lib.framework.areas),
    teamLine: common.length
      ? `Most common gaps: ${common.map((a) => `${a.areaId} ${a.title} (${a.coders} coder${a.coders === 1 ? '' : 's'}, ${a.gaps} gaps)`).join('; ')}.`
      : '',
    activities: opts.preview ? [] : weekSuggestions(digest, calendar, opts.now),
    coders: digest.coders.map((c) => coderRows(c, calendar)),
    footer:
      'Numbers are gap statements (rated Not yet or Developing, or answered No) per area. Only coders who chose to share with you are shown.',
    buttons: opts.preview
      ? []
      : [
          { title: 'Team overview', command: '/team' },
          { title: 'Export', command: '/export' },
        ],
  };
}

function coderRows(c: CoderDigest, calendar: Calendar): CardViews['digest']['coders'][number] {
  const latest = c.latest
    ? `${LEVEL_NAMES[c.latest.level]} self-assessment of ${calendar.formatDay(c.latest.date)}: ${c.latest.percentMet}% met, ${c.latest.totalGaps} gap${c.latest.totalGaps === 1 ? '' : 's'}${c.inProgress ? ' (a newer one is in progress)' : ''}`
    : c.inProgress
      ? 'Self-assessment started, not finished yet'
      : 'No self-assessment yet';
  const changes: { text: string }[] = [];
  if (c.changes.isNew) changes.push({ text: 'New in your digest.' });
  for (const t of c.changes.closed.slice(0, 5)) changes.push({ text: `Closed: ${t}` });
  for (const t of c.changes.opened.slice(0, 5)) changes.push({ text: `New gap: ${t}` });
  return {
    name: asPlainText(c.coderName),
    latest,
    areas: c.latest ? c.latest.areas.map((a) => `${a.areaId} ${a.percentMet}%`).join(' · ') : '',
    gaps: c.gapsByArea.map((g) => ({
      text: `${g.areaId} ${g.title}: ${g.subAreas.map((s) => `${s.label.replace(/^CC\d /, '')} (${s.count})`).join(', ')}`,
    })),
    changes,
    overdue: c.overdue.map((text) => ({ text: `Overdue: ${text}` })),
    reviews: reviewLines(c, calendar),
    plan: planLines(c),
  };
}

/** A suggested activity a line of the digest is given to add to a plan, four weeks out, the manager doing it. */
const SUGGESTION_TARGET_DAYS = 28;
const SUGGESTIONS_SHOWN = 5;

/** This week's suggestion for each coder with gaps: who it is for, the gap areas it serves, a button to plan it. */
function weekSuggestions(
  digest: WeeklyDigest,
  calendar: Calendar,
  now: Date,
): CardViews['digest']['activities'] {
  const target = addDays(calendar.today(now), SUGGESTION_TARGET_DAYS);
  return digest.coders
    .flatMap((c) => (c.suggestion ? [{ c, s: c.suggestion }] : []))
    .slice(0, SUGGESTIONS_SHOWN)
    .map(({ c, s }) => ({
      text: `For ${asPlainText(c.coderName)} (gaps in ${s.servesAreas.join(', ')}): ${s.text}`,
      addTitle: `Add to ${asPlainText(c.coderName)}'s plan`,
      coderKey: c.coderKey,
      activityId: s.activityId,
      targetDate: target,
    }));
}

function planLines(c: CoderDigest): { text: string }[] {
  const p = c.plan;
  if (!p || p.agreed + p.waitingForCoder + p.waitingForManager === 0) return [];
  const parts = [
    p.agreed ? `${p.agreed} agreed${p.overdue ? ` (${p.overdue} overdue)` : ''}` : '',
    p.waitingForManager ? `${p.waitingForManager} waiting for you to confirm` : '',
    p.waitingForCoder ? `${p.waitingForCoder} waiting for them to confirm` : '',
  ].filter(Boolean);
  return [{ text: `Plan: ${parts.join(', ')}. Type /plan.` }];
}

function reviewLines(c: CoderDigest, calendar: Calendar): { text: string }[] {
  const lines: { text: string }[] = [];
  const waiting = c.review?.waiting;
  if (waiting) {
    lines.push({
      text: `Review waiting${waiting.tooLong ? ' for over a week' : ''}: their self-assessment of ${calendar.day(waiting.completedAt)}. Type /review.`,
    });
  }
  for (const d of c.review?.differences ?? []) {
    lines.push({
      text: `Your review differs: ${d.label}: they said ${d.self}; you said ${d.manager}.`,
    });
  }
  return lines;
}
