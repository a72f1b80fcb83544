/**
 * A coder's progress: each area over their completed assessments, their ratings beside their
 * manager's, their gaps with what to do about them, their plan, and when each programme's rules
 * are met. Drawn on "My progress" and, for a manager, under a coder picked on "My team".
 */
import type {
  EligibilityMilestone,
  MyProgressView,
  PlanItemView,
  ProgressPoint,
} from '../../core/tabs/tabViews.js';
import { chartFigure } from './charts.js';
import { dataTable, h, hidden, uniqueId } from './dom.js';
import { change, longDate, percent, plural, shortDate } from './format.js';

type Level = 2 | 3;

/** A section whose heading sits at the given level, so the view nests under another heading. */
function part(level: Level, title: string, ...children: (Node | false)[]): HTMLElement {
  const id = uniqueId('part');
  return h('section', { 'aria-labelledby': id }, h(level === 2 ? 'h2' : 'h3', { id }, title), ...children);
}

function overTime(history: ProgressPoint[], title: string): HTMLElement {
  const first = history[0];
  const last = history[history.length - 1];
  const areas = last?.areas ?? [];
  const labels = history.map((p) => shortDate(p.completedOn));
  const moves = areas.map((a) => {
    const from = first?.areas.find((x) => x.area === a.area)?.self ?? null;
    return from === null || a.self === null || history.length < 2
      ? `${a.area} ${percent(a.self)}`
      : `${a.area} ${percent(from)} to ${percent(a.self)}`;
  });
  const summary =
    history.length < 2
      ? `One completed assessment so far (${longDate(last?.completedOn ?? '')}): ${moves.join(', ')}.`
      : `Statements met in each area over ${history.length} assessments, ${longDate(first?.completedOn ?? '')} to ${longDate(last?.completedOn ?? '')}: ${moves.join(', ')}.`;
  return chartFigure({
    title,
    summary,
    spec: {
      kind: 'line',
      labels,
      yTitle: 'Statements met',
      series: areas.map((a) => ({
        label: `${a.area} ${a.title}`,
        values: history.map((p) => p.areas.find((x) => x.area === a.area)?.self ?? null),
      })),
    },
    table: dataTable(
      'Statements met per area, by assessment',
      ['Completed', 'Level', ...areas.map((a) => `${a.area} ${a.title}`)],
      history.map((p) => [
        longDate(p.completedOn),
        p.level === 'trainee' ? 'Trainee' : 'Approved auditor',
        ...areas.map((a) => percent(p.areas.find((x) => x.area === a.area)?.self ?? null)),
      ]),
    ),
  });
}

function selfAndManager(history: ProgressPoint[]): HTMLElement {
  const reviewed = [...history].reverse().find((p) => p.areas.some((a) => a.manager !== null));
  const point = reviewed ?? history[history.length - 1];
  const areas = point?.areas ?? [];
  const differ = areas
    .filter((a) => a.self !== null && a.manager !== null && Math.round(a.self) !== Math.round(a.manager))
    .map((a) => `${a.area} (${percent(a.self)} against ${percent(a.manager)})`);
  const summary = !reviewed
    ? `Your manager has not reviewed an assessment yet; these are your own ratings of ${longDate(point?.completedOn ?? '')}.`
    : differ.length
      ? `Assessment of ${longDate(reviewed.completedOn)}: the manager's review differs in ${differ.join(', ')}.`
      : `Assessment of ${longDate(reviewed.completedOn)}: the manager's review agrees in every area.`;
  return chartFigure({
    title: 'Self-assessment and manager’s review by area',
    summary,
    spec: {
      kind: 'bar',
      labels: areas.map((a) => a.area),
      yTitle: 'Statements met',
      series: [
        { label: 'Self-assessment', values: areas.map((a) => a.self) },
        ...(reviewed ? [{ label: 'Manager’s review', values: areas.map((a) => a.manager) }] : []),
      ],
    },
    table: dataTable(
      'Statements met, self-assessment and manager’s review',
      ['Area', 'Self-assessment', 'Manager’s review'],
      areas.map((a) => [
        `${a.area} ${a.title}`,
        percent(a.self),
        a.manager === null ? 'not reviewed' : percent(a.manager),
      ]),
    ),
  });
}

function gapsList(view: MyProgressView, level: Level): HTMLElement {
  if (!view.gaps.length) return h('p', {}, 'No gaps in the latest assessment.');
  const sub = level === 2 ? 'h3' : 'h4';
  return h(
    'ul',
    { class: 'gaps' },
    ...view.gaps.map((g) =>
      h(
        'li',
        {},
        h(sub, {}, g.label),
        h('p', {}, plural(g.statements.length, 'statement'), ' not met yet:'),
        h('ul', {}, ...g.statements.map((s) => h('li', {}, s))),
        g.activities.length
          ? h(
              'div',
              {},
              h('p', {}, 'What a line manager can do:'),
              h('ul', { class: 'activities' }, ...g.activities.map((a) => h('li', {}, a.text))),
            )
          : false,
      ),
    ),
  );
}

const STATUS: Record<PlanItemView['status'], string> = {
  proposed: 'Proposed',
  agreed: 'Agreed',
  done: 'Done',
  dropped: 'Dropped',
};

function planTable(plan: PlanItemView[]): HTMLElement {
  if (!plan.length)
    return h('p', {}, 'Nothing in the development plan yet. Type /plan in the chat with the bot.');
  const overdue = plan.filter((p) => p.overdue).length;
  return h(
    'div',
    {},
    h(
      'p',
      {},
      `${plural(plan.length, 'item')}: ${plan.filter((p) => p.status === 'agreed').length} agreed, ${plan.filter((p) => p.status === 'done').length} done`,
      overdue ? `, ${overdue} overdue.` : '.',
    ),
    dataTable(
      'Development plan',
      ['Activity', 'Who', 'Target date', 'Status'],
      [...plan]
        .sort((a, b) => a.target.localeCompare(b.target))
        .map((p) => [
          p.activity,
          p.owner === 'coder' ? 'Coder' : 'Manager',
          longDate(p.target),
          p.overdue ? h('span', { class: 'overdue' }, `${STATUS[p.status]}, overdue`) : STATUS[p.status],
        ]),
    ),
  );
}

function milestoneText(m: EligibilityMilestone): string {
  switch (m.verdict) {
    case 'eligible':
      return m.metOn ? `Rules met since ${longDate(m.metOn)}` : 'Rules met';
    case 'not-yet':
      return m.metOn ? `Rules met from ${longDate(m.metOn)}` : 'Not yet';
    case 'unknown':
      return `Not known yet: ${m.unknown.join('; ') || 'some answers are missing'}`;
    case 'not-eligible':
      return 'Not met by the answers given';
  }
}

function eligibilityTimeline(list: EligibilityMilestone[]): HTMLElement {
  if (!list.length)
    return h('p', {}, 'No eligibility answers saved. Type /eligibility in the chat with the bot to check.');
  const dated = [...list].sort((a, b) => (a.metOn ?? '9999').localeCompare(b.metOn ?? '9999'));
  return h(
    'ol',
    { class: 'timeline' },
    ...dated.map((m) =>
      h(
        'li',
        { class: `milestone ${m.verdict}` },
        h('span', { class: 'when' }, m.metOn ? longDate(m.metOn) : 'No date yet'),
        h('span', { class: 'what' }, h('strong', {}, m.programme), ': ', milestoneText(m)),
      ),
    ),
  );
}

/** The whole progress view; `who` is "Your" on one's own tab, the coder's name on a manager's. */
export function progressView(view: MyProgressView, opts: { level: Level; own: boolean }): Node[] {
  if (!view.history.length) {
    return [
      h(
        'p',
        { class: 'notice' },
        opts.own
          ? 'No completed self-assessment yet. Type /assess in the chat with the bot to start one.'
          : `${view.displayName} has not completed a self-assessment yet.`,
      ),
    ];
  }
  const last = view.history[view.history.length - 1];
  const before = view.history[view.history.length - 2];
  const moved =
    last && before
      ? last.areas
          .map((a) => {
            const prev = before.areas.find((x) => x.area === a.area)?.self ?? null;
            return a.self === null || prev === null ? '' : `${a.area} ${change(a.self - prev)}`;
          })
          .filter(Boolean)
          .join(', ')
      : '';
  return [
    h(
      'p',
      { class: 'lead' },
      `${plural(view.history.length, 'completed assessment')}, the latest on ${longDate(last?.completedOn ?? '')}.`,
      moved ? ` Since the one before: ${moved}.` : '',
    ),
    part(
      opts.level,
      'Each area over time',
      overTime(view.history, opts.own ? 'Your areas over time' : `${view.displayName}: areas over time`),
    ),
    part(opts.level, 'Self-assessment and manager’s review', selfAndManager(view.history)),
    part(
      opts.level,
      'Current gaps',
      hidden(`${plural(view.gaps.length, 'gap')}.`),
      gapsList(view, opts.level),
    ),
    part(opts.level, 'Development plan', planTable(view.plan)),
    part(opts.level, 'Eligibility timeline', eligibilityTimeline(view.eligibility)),
  ];
}
