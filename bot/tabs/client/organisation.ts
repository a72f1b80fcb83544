/**
 * Organisation: where the gaps are across all coders who share with a line manager, by area, by
 * sub-area and over time, for one level or all. Aggregates only; a cell the server suppresses (too
 * few people, or hidden so a small group cannot be worked out by difference) says so in words and
 * never carries a number, in the tables and in the charts alike.
 */
import type { OrgCell, OrgView, WhoAmIView } from '../../core/tabs/tabViews.js';
import { ApiError, getJson, type Session } from './api.js';
import { chartFigure, drawPendingCharts } from './charts.js';
import { dataTable, h, section, uniqueId } from './dom.js';
import { loading, problem, runTab } from './page.js';

const FORBIDDEN =
  'This tab is for the people who look after coding across the organisation. Ask whoever runs the bot to add you to its organisation viewers.';

type LevelChoice = OrgView['level'];
const LEVELS: { value: LevelChoice; label: string }[] = [
  { value: 'all', label: 'All levels' },
  { value: 'trainee', label: 'Trainee' },
  { value: 'approved', label: 'Approved auditor' },
];

/**
 * Every hidden cell reads the same, whether it holds a small group itself or is hidden so that one
 * elsewhere cannot be worked out by difference: telling the two apart would point at the small ones.
 */
const HIDDEN = 'hidden';

function hiddenNote(threshold: number): HTMLElement {
  return h(
    'p',
    { class: 'note' },
    `“${HIDDEN}”: fewer than ${threshold} people, or hidden so that a group of fewer than ${threshold} cannot be worked out from the other figures.`,
  );
}

/** The share of people with a gap, or null when it may not be shown. */
function share(cell: OrgCell): number | null {
  if (cell.suppressed || cell.people === null || cell.gapPeople === null || cell.people === 0) return null;
  return Math.round((100 * cell.gapPeople) / cell.people);
}

function row(cell: OrgCell): (string | HTMLElement)[] {
  if (cell.suppressed || cell.people === null || cell.gapPeople === null) {
    return [cell.label, ...[1, 2, 3].map(() => h('span', { class: 'suppressed' }, HIDDEN))];
  }
  const s = share(cell);
  return [cell.label, String(cell.people), String(cell.gapPeople), s === null ? '–' : `${s}%`];
}

const COLUMNS = ['People', 'With a gap', 'Share with a gap'];

function summaryOf(cells: OrgCell[], threshold: number, what: string): string {
  const shown = cells.filter((c) => share(c) !== null).sort((a, b) => (share(b) ?? 0) - (share(a) ?? 0));
  const hiddenCount = cells.length - shown.length;
  const top = shown
    .filter((c) => (share(c) ?? 0) > 0)
    .slice(0, 3)
    .map((c) => `${c.label} ${share(c) ?? 0}%`)
    .join(', ');
  const tail = hiddenCount
    ? ` ${hiddenCount} hidden (fewer than ${threshold} people, or hidden to protect a group that small).`
    : '';
  if (!shown.length) return `Nothing can be shown by ${what}.${tail}`;
  return top ? `Most gaps by ${what}: ${top}.${tail}` : `No gaps by ${what}.${tail}`;
}

function content(view: OrgView): (Node | false)[] {
  const t = view.threshold;
  const total = view.total;
  const lead =
    total.suppressed || total.people === null || total.gapPeople === null
      ? `Fewer than ${t} coders with a completed assessment at this level: nothing can be shown.`
      : `${total.people} coders with a completed assessment; ${total.gapPeople} have at least one gap. No group of fewer than ${t} people is shown.`;
  const byArea = view.byArea;
  const overTime = view.overTime;
  const anyHidden = [total, ...byArea, ...view.bySubArea, ...overTime].some((c) => c.suppressed);
  return [
    h('p', { class: 'lead' }, lead),
    anyHidden ? hiddenNote(t) : false,
    section(
      'Gaps by area',
      chartFigure({
        title: 'Share of coders with a gap, by area',
        summary: summaryOf(byArea, t, 'area'),
        spec: {
          kind: 'bar',
          labels: byArea.map((c) => (share(c) === null ? `${c.key} (hidden)` : c.key)),
          yTitle: 'Coders with a gap',
          series: [{ label: 'Share with a gap', values: byArea.map(share) }],
        },
        table: dataTable(
          'Coders with a gap, by area',
          ['Area', ...COLUMNS],
          byArea.map((c) => row(c)),
        ),
      }),
    ),
    section(
      'Gaps by sub-area',
      dataTable(
        'Coders with a gap, by sub-area',
        ['Sub-area', ...COLUMNS],
        view.bySubArea.map((c) => row(c)),
      ),
    ),
    section(
      'Over time',
      chartFigure({
        title: 'Share of coders with a gap, by quarter',
        summary: overTime.length
          ? summaryOf(overTime, t, 'quarter').replace('Most gaps by quarter', 'Quarters with the most gaps')
          : 'No completed assessments yet.',
        spec: {
          kind: 'line',
          labels: overTime.map((c) => (share(c) === null ? `${c.label} (hidden)` : c.label)),
          joinGaps: false,
          yTitle: 'Coders with a gap',
          series: [{ label: 'Share with a gap', values: overTime.map(share) }],
        },
        table: dataTable(
          'Coders with a gap, by quarter',
          ['Quarter', ...COLUMNS],
          overTime.map((c) => row(c)),
        ),
      }),
    ),
  ];
}

function levelPicker(current: LevelChoice, onChange: (level: LevelChoice) => void): HTMLElement {
  const name = uniqueId('level');
  return h(
    'fieldset',
    { class: 'levels' },
    h('legend', {}, 'Level'),
    ...LEVELS.map((l) => {
      const input = h('input', { type: 'radio', name, value: l.value, checked: l.value === current });
      input.addEventListener('change', () => {
        if (input.checked) onChange(l.value);
      });
      return h('label', {}, input, ` ${l.label}`);
    }),
  );
}

function levelFromAddress(): LevelChoice {
  const asked = new URLSearchParams(location.search).get('level');
  return LEVELS.find((l) => l.value === asked)?.value ?? 'all';
}

async function render(session: Session): Promise<Node[]> {
  // Asked first, so someone who is not an organisation viewer is told so without a refused request.
  const who = await getJson<WhoAmIView>(session, '/api/tabs/whoami');
  if (!who.roles.orgViewer) throw new ApiError(403, 'not an organisation viewer');
  let level = levelFromAddress();
  const first = await getJson<OrgView>(session, `/api/tabs/org?level=${level}`);
  const results = h('div', {});
  results.append(...content(first).filter((n) => n !== false));
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const reload = async () => {
    const url = new URL(location.href);
    url.searchParams.set('level', level);
    history.replaceState(null, '', url);
    results.replaceChildren(loading());
    try {
      const view = await getJson<OrgView>(session, `/api/tabs/org?level=${level}`);
      results.replaceChildren(...content(view).filter((n) => n !== false));
      status.textContent = `Showing ${LEVELS.find((l) => l.value === level)?.label.toLowerCase() ?? level}.`;
    } catch (e) {
      results.replaceChildren(problem(e, FORBIDDEN, () => void reload()));
    }
    drawPendingCharts();
  };
  return [
    levelPicker(level, (l) => {
      level = l;
      void reload();
    }),
    status,
    results,
  ];
}

runTab({ title: 'Organisation', forbidden: FORBIDDEN, render });
