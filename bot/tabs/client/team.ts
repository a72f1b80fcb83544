/**
 * My team: the coders who share with this manager against the framework's sub-areas, as a table
 * coloured by how much of each sub-area is met (the figure is always written in the cell too), their
 * review and plan, the change since their last assessment; picking a coder shows their progress.
 */
import type { AreaId } from '../../core/frameworkSchema.js';
import type { MyProgressView, MyTeamView, Percent, TeamCoderRow } from '../../core/tabs/tabViews.js';
import { getJson, type Session } from './api.js';
import { drawPendingCharts } from './charts.js';
import { h, hidden, scrollingTable, section } from './dom.js';
import { change, longDate, percent, plural } from './format.js';
import { loading, problem, runTab } from './page.js';
import { progressView } from './progressView.js';

const FORBIDDEN = 'This tab is for line managers with coders who share their results with them.';

/** Five bands of share met; the class colours the cell, the figure says the same in words. */
function band(value: Percent): string {
  if (value === null) return 'heat-none';
  return `heat-${Math.min(4, Math.floor(value / 20))}`;
}

/** "CC1 a" from "CC1 a. Risk, control and governance", so 35 columns stay narrow. */
function shortLabel(label: string): string {
  return /^CC\d\s*[a-z]\b/i.exec(label)?.[0] ?? label;
}

function heatMap(
  view: MyTeamView,
  onPick: (row: TeamCoderRow, button: HTMLButtonElement) => void,
): HTMLElement {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Coder'),
    ...view.subAreas.map((s) =>
      h(
        'th',
        { scope: 'col', title: s.label },
        h('span', { 'aria-hidden': 'true' }, shortLabel(s.label)),
        hidden(s.label),
      ),
    ),
  );
  const rows = view.coders.map((c) => {
    const button = h(
      'button',
      { type: 'button', class: 'link-button', 'aria-expanded': 'false' },
      c.displayName,
    );
    button.addEventListener('click', () => {
      onPick(c, button);
    });
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, button),
      ...view.subAreas.map((s) => {
        const v = c.subAreas[s.id] ?? null;
        return h(
          'td',
          { class: `heat ${band(v)}` },
          v === null ? h('span', {}, '–', hidden('not rated')) : percent(v),
        );
      }),
    );
  });
  const legend = h(
    'p',
    { class: 'legend' },
    'Each cell is the share of the sub-area’s statements met in the coder’s latest assessment. Colours: ',
    ...[0, 1, 2, 3, 4].map((b) =>
      h('span', { class: `swatch heat heat-${b}` }, `${b * 20}–${b === 4 ? 100 : b * 20 + 19}%`),
    ),
  );
  return h(
    'div',
    {},
    legend,
    scrollingTable(
      'Share of statements met, coder by sub-area',
      h('table', { class: 'heatmap' }, h('thead', {}, head), h('tbody', {}, ...rows)),
    ),
  );
}

function reviewText(c: TeamCoderRow): string {
  if (c.review === 'done') return 'Reviewed';
  if (c.review === 'waiting')
    return c.reviewWaitingDays === null ? 'Waiting' : `Waiting ${plural(c.reviewWaitingDays, 'day')}`;
  return 'No review';
}

function changeText(c: TeamCoderRow): string {
  const parts = (Object.entries(c.change) as [AreaId, number | null | undefined][])
    .filter((e): e is [AreaId, number] => typeof e[1] === 'number')
    .map(([area, points]) => `${area} ${change(points)}`);
  return parts.length ? parts.join(', ') : 'First assessment';
}

function statusTable(view: MyTeamView): HTMLElement {
  const head = h(
    'tr',
    {},
    ...['Coder', 'Latest assessment', 'Change since the one before', 'Review', 'Plan'].map((t) =>
      h('th', { scope: 'col' }, t),
    ),
  );
  const rows = view.coders.map((c) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, c.displayName),
      h('td', {}, c.lastCompletedOn ? longDate(c.lastCompletedOn) : 'None yet'),
      h('td', {}, changeText(c)),
      h(
        'td',
        { class: c.review === 'waiting' && (c.reviewWaitingDays ?? 0) > 7 ? 'overdue' : undefined },
        reviewText(c),
      ),
      h(
        'td',
        { class: c.plan.overdue ? 'overdue' : undefined },
        `${c.plan.agreed} agreed, ${c.plan.proposed} proposed, ${c.plan.done} done`,
        c.plan.overdue ? `, ${c.plan.overdue} overdue` : '',
      ),
    ),
  );
  return scrollingTable(
    'Reviews, plans and change, by coder',
    h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows)),
  );
}

async function render(session: Session): Promise<Node[]> {
  const view = await getJson<MyTeamView>(session, '/api/tabs/team');
  if (!view.coders.length) {
    // The server answers an empty team to anyone without sharing coders: the tab is not for them (yet).
    return [h('p', { class: 'notice', role: 'status' }, FORBIDDEN)];
  }
  const detail = h('div', { class: 'coder-detail' });
  let picked: HTMLButtonElement | undefined;
  const pick = async (row: TeamCoderRow, button: HTMLButtonElement) => {
    picked?.setAttribute('aria-expanded', 'false');
    picked = button;
    button.setAttribute('aria-expanded', 'true');
    const heading = h('h2', { tabindex: -1 }, `Progress: ${row.displayName}`);
    detail.replaceChildren(heading, loading(`Loading ${row.displayName}’s progress…`));
    heading.focus();
    try {
      const one = await getJson<MyProgressView>(
        session,
        `/api/tabs/team/${encodeURIComponent(row.coderKey)}`,
      );
      detail.replaceChildren(heading, ...progressView(one, { level: 3, own: false }));
    } catch (e) {
      detail.replaceChildren(
        heading,
        problem(e, `${row.displayName} no longer shares their results with you.`),
      );
    }
    drawPendingCharts();
  };
  const waiting = view.coders.filter((c) => c.review === 'waiting').length;
  const overdue = view.coders.reduce((n, c) => n + c.plan.overdue, 0);
  return [
    h(
      'p',
      { class: 'lead' },
      `${plural(view.coders.length, 'coder')} share with you; ${plural(waiting, 'review')} waiting, ${plural(overdue, 'plan item')} overdue. Pick a coder’s name to see their progress.`,
    ),
    section(
      'Where the gaps are',
      heatMap(view, (row, button) => void pick(row, button)),
    ),
    section('Reviews, plans and change', statusTable(view)),
    detail,
  ];
}

runTab({ title: 'My team', forbidden: FORBIDDEN, render });
