import { COMMANDS, type CommandSpec } from '../core/commands.js';
import type { Activity, AreaId, Level, Resource } from '../core/frameworkSchema.js';
import { suggestActivities, type AssessmentSummary } from '../core/assessment/gaps.js';
import {
  describeLevels,
  findArea,
  findSource,
  findSubArea,
  LEVEL_NAMES,
  subAreaLabel,
  type Library,
} from '../core/library.js';
import { asPlainText, type Button, type CardName, type CardViews } from './cards.js';

const ASSESS: Button = { title: 'Start a self-assessment', command: '/assess' };
const ELIGIBILITY: Button = { title: 'Check my eligibility', command: '/eligibility' };
const AREAS: Button = { title: 'The five areas', command: '/areas' };
const HELP: Button = { title: 'Help', command: '/help' };

/** "Title, publisher, date" as the source gives them; a source that names no publisher has none here. */
export function sourceLine(lib: Library, id: string): string {
  const s = findSource(lib, id);
  return s ? [s.title, s.publisher, s.date].filter(Boolean).join(', ') : id;
}

function shortLevels(levels: readonly Level[]): string {
  return levels.map((l) => (l === 'trainee' ? 'T' : 'A')).join(' ');
}

export function welcomeView(botName: string): CardViews['welcome'] {
  return {
    summary: `Welcome to ${botName}: ask about the Clinical Coding Auditor Competency Framework, check eligibility or start a self-assessment.`,
    title: `Welcome to ${botName}`,
    intro:
      'I help clinical coders and their managers work with the Clinical Coding Auditor Competency Framework.',
    points: [
      {
        text: 'Ask me anything about the framework (CC1 to CC5), the auditor and trainer programmes or the Level 3 apprenticeship. I quote and cite the source.',
      },
      {
        text: 'Check whether you can apply for CCAP, CCTP or the apprenticeship, and when you will be able to.',
      },
      {
        text: 'Assess yourself a few minutes at a time; I save every step and show your gaps with the activities your line manager can use.',
      },
      {
        text: 'Line managers: when a coder names you, you accept here and see their results in a weekly digest; /team shows your team and any requests waiting for you.',
      },
    ],
    note: 'Try: "what does CC2 cover?" or type /help.',
    buttons: [
      { title: 'Ask a question', command: '/ask what does the framework cover?' },
      ELIGIBILITY,
      ASSESS,
      HELP,
    ],
  };
}

export function helpView(
  scope: 'personal' | 'shared',
  commands: readonly CommandSpec[] = COMMANDS,
  unknown?: string,
  expanded = false,
): CardViews['help'] {
  const shown = commands.filter(
    (c) => scope === 'personal' || !c.personal || c.name === 'assess' || c.name === 'eligibility',
  );
  // The commands most people want first; the rest behind "All commands", so the card stays short.
  const firstNames = ['ask', 'areas', 'competency', 'assess', 'results', 'eligibility'];
  const first = shown.length <= 8 ? shown : shown.filter((c) => firstNames.includes(c.name)).slice(0, 6);
  const rest = shown.filter((c) => !first.includes(c));
  return {
    summary: unknown
      ? `I don't know the command ${asPlainText(truncate(unknown, 40))}. Type /help to see what I can do.`
      : 'What I can do: type a question or one of the commands.',
    title: unknown ? `I don't know "${asPlainText(truncate(unknown, 40))}"` : 'What I can do',
    intro:
      scope === 'personal'
        ? 'Type a question in your own words, or one of these commands:'
        : 'Mention me with a question or a command. Anything personal continues in your private chat with me.',
    commands: first.map((c) => ({ usage: c.usage, help: c.help })),
    more: rest.map((c) => ({ usage: c.usage, help: c.help })),
    expanded,
    note: 'Answers quote the Clinical Coding Auditor Competency Framework and the programme and apprenticeship pages, with their dates.',
    buttons: [AREAS, ELIGIBILITY, ASSESS],
  };
}

export function areasView(lib: Library, expanded = false): CardViews['competency'] {
  return {
    summary: `The framework has five areas: ${lib.framework.areas.map((a) => `${a.id} ${a.title}`).join(', ')}.`,
    title: 'The five competency areas',
    intro: 'Each area is described for two levels: trainee auditor and approved auditor.',
    collapsed: false,
    showLabel: expanded ? '' : 'Show the sub-areas',
    showArea: '',
    showSub: '',
    subAreas: lib.framework.areas.map((a) => {
      const statements = a.subAreas.flatMap((s) => s.statements);
      const trainee = statements.filter((s) => s.levels.includes('trainee')).length;
      return {
        label: `${a.id} ${a.title}`,
        count: `${a.subAreas.length} sub-areas, ${statements.length} statements (${trainee} for trainees)`,
        open: expanded,
        statements: a.subAreas.map((s) => ({ text: subAreaLabel(s), levels: `${s.statements.length}` })),
      };
    }),
    footer: `Numbers are statements per sub-area. Source: ${sourceLine(lib, lib.framework.source)}`,
    buttons: lib.framework.areas.map((a) => ({ title: a.id, command: `/competency ${a.id}` })),
  };
}

export function competencyView(
  lib: Library,
  ref: { areaId: AreaId; subAreaId?: string },
  expanded = false,
): CardViews['competency'] | undefined {
  const area = findArea(lib, ref.areaId);
  if (!area) return undefined;
  const subs = ref.subAreaId ? [findSubArea(lib, ref.subAreaId)?.subArea].filter((s) => !!s) : area.subAreas;
  if (subs.length === 0) return undefined;
  const statements = subs.flatMap((s) => s.statements);
  const trainee = statements.filter((s) => s.levels.includes('trainee')).length;
  const title =
    ref.subAreaId && subs[0]
      ? `${area.id} ${area.title}: ${subAreaLabel(subs[0])}`
      : `${area.id} ${area.title}`;
  return {
    summary: `${title}: ${statements.length} statements, ${trainee} for trainee auditors and ${statements.length} for approved auditors.`,
    title,
    intro: `${statements.length} statements${subs.length > 1 ? ` in ${subs.length} sub-areas` : ''}: ${trainee} apply to trainee auditors, ${statements.filter((s) => s.levels.includes('approved')).length} to approved auditors.`,
    collapsed: false,
    showLabel: subs.length > 1 && !expanded ? 'Show all statements' : '',
    showArea: area.id,
    showSub: ref.subAreaId ?? '',
    subAreas: subs.map((s) => {
      const t = s.statements.filter((st) => st.levels.includes('trainee')).length;
      return {
        label: subAreaLabel(s),
        count: `${s.statements.length} statement${s.statements.length === 1 ? '' : 's'}, ${t} for trainees`,
        open: subs.length === 1 || expanded,
        statements: s.statements.map((st) => ({
          text: st.readingNote ? `${st.text} (levels read from an ambiguous tick in the source)` : st.text,
          levels: shortLevels(st.levels),
        })),
      };
    }),
    footer: `T = trainee auditor, A = approved auditor. Source: ${sourceLine(lib, lib.framework.source)}`,
    buttons: [{ title: `Manager activities for ${area.id}`, command: `/activities ${area.id}` }, ASSESS],
  };
}

/** Six to a page keeps the card within a laptop screen with the resources closed. */
const ACTIVITIES_PAGE = 6;

type ActivitiesView = CardViews['activities'];

function paged<T>(all: readonly T[], page: number | undefined) {
  const pages = Math.max(1, Math.ceil(all.length / ACTIVITIES_PAGE));
  const p = Math.min(Math.max(1, Number.isFinite(page) ? (page as number) : 1), pages);
  return { page: p, pages, shown: all.slice((p - 1) * ACTIVITIES_PAGE, p * ACTIVITIES_PAGE) };
}

function pageButtons(
  p: { page: number; pages: number },
  data: { area: string; level: string; mine: boolean },
): ActivitiesView['pages'] {
  return [
    ...(p.page > 1 ? [{ title: 'Previous', ...data, page: p.page - 1 }] : []),
    ...(p.page < p.pages ? [{ title: 'More', ...data, page: p.page + 1 }] : []),
  ];
}

/** A resource as a card line: its title as a link where it has a web address, and the framework's words about it. */
export function resourceText(r: Resource): string {
  const title = r.url && /^https?:\/\//.test(r.url) ? `[${r.title}](${r.url})` : r.title;
  return `${title}${r.detail ? ` — ${r.detail}` : ''}`;
}

/** A resource's title, a link where it has a web address. */
function resourceTitle(r: Resource): string {
  return resourceText({ ...r, detail: undefined });
}

/**
 * Line-manager activities for an area and level, a page at a time. `levelNote` says why the level is
 * what it is when it was not asked for ("trainee auditors, your level"); `mine` marks pages worked out
 * from the person's own assessment, so paging works them out again.
 */
export function activitiesView(
  lib: Library,
  areaId: AreaId | undefined,
  level: Level | undefined,
  opts: { page?: number; levelNote?: string; mine?: boolean } = {},
): ActivitiesView {
  const area = areaId ? findArea(lib, areaId) : undefined;
  const all = lib.framework.activities.filter(
    (a) => (!areaId || a.supports.includes(areaId)) && (!level || a.levels.includes(level)),
  );
  const p = paged(all, opts.page);
  const who =
    opts.levelNote ??
    (level ? (level === 'trainee' ? 'trainee auditors' : 'approved auditors') : 'both levels');
  const resources = lib.framework.resources.filter(
    (r) => areaId && r.helpsWith.some((h) => h.startsWith(areaId)),
  );
  const title = area
    ? `Line-manager activities for ${area.id} ${area.title}`
    : 'Suggested line-manager activities';
  return {
    summary: `${title}: ${all.length} suggested activities for ${who}.`,
    title,
    intro: `${all.length} suggested activities for ${who}${level ? '' : ' (each marked with its levels)'}.`,
    focus: [],
    listLabel: '',
    list: { area: areaId ?? '', level: level ?? '', mine: opts.mine ?? false },
    listHeading: '',
    activities: p.shown.map((a) => ({ text: a.text, meta: activityMeta(a) })),
    resources: p.page === 1 ? resources.slice(0, 4).map((r) => ({ text: resourceTitle(r) })) : [],
    more: p.pages > 1 ? `Page ${p.page} of ${p.pages}` : '',
    pages: pageButtons(p, { area: areaId ?? '', level: level ?? '', mine: opts.mine ?? false }),
    source: sourceLine(lib, lib.framework.source),
    buttons: area
      ? [
          ...(level !== 'trainee'
            ? [{ title: 'For trainees', command: `/activities ${area.id} trainee` }]
            : []),
          ...(level !== 'approved'
            ? [{ title: 'For approved auditors', command: `/activities ${area.id} approved` }]
            : []),
          { title: `See ${area.id}`, command: `/competency ${area.id}` },
        ]
      : lib.framework.areas.map((a) => ({ title: a.id, command: `/activities ${a.id}` })).slice(0, 5),
  };
}

/** The activities for a person's own gaps at their level, ranked (see suggestActivities), a page at a time. */
export function activitiesForGaps(
  lib: Library,
  summary: AssessmentSummary,
  opts: { page?: number },
): ActivitiesView {
  const all = suggestActivities(lib, summary);
  const p = paged(all, opts.page);
  const gapSubAreas = new Set(summary.gaps.map((g) => g.subAreaId));
  const gapAreas = new Set<string>(summary.gapAreaIds);
  const resources = lib.framework.resources
    .filter((r) => r.helpsWith.some((h) => gapSubAreas.has(h) || gapAreas.has(h)))
    .slice(0, 6);
  const level = LEVEL_NAMES[summary.level].toLowerCase();
  return {
    summary: `${all.length} line-manager activities for your gaps in ${summary.gapAreaIds.join(', ')}.`,
    title: 'Line-manager activities for your gaps',
    intro: `For your gaps in ${summary.gapAreaIds.join(', ')}, at your level (${level}): ${all.length} activities, those that serve more of your gap areas first. For an area, type /activities CC1 (to CC5).`,
    focus: [],
    listLabel: '',
    list: { area: '', level: summary.level, mine: true },
    listHeading: '',
    activities: p.shown.map((a) => ({
      text: a.text,
      meta: `${activityMeta(a)} · for your gaps in ${a.servesAreas.join(', ')}`,
    })),
    resources: p.page === 1 ? resources.slice(0, 4).map((r) => ({ text: resourceTitle(r) })) : [],
    more: p.pages > 1 ? `Page ${p.page} of ${p.pages}` : '',
    pages: pageButtons(p, { area: '', level: summary.level, mine: true }),
    source: sourceLine(lib, lib.framework.source),
    buttons: [
      { title: 'My gaps', command: '/gaps' },
      { title: 'My results', command: '/results' },
    ],
  };
}

/**
 * In a channel or group chat a reference card answers everyone, so it comes short: the heading and a
 * "Show all" button that returns the whole card to whoever asks. Personal chats get the card as it is.
 */
export function forSharedScope<K extends CardName>(name: K, view: CardViews[K]): CardViews[K] {
  if (name === 'competency') {
    const v = view as CardViews['competency'];
    return { ...v, collapsed: true, showLabel: 'Show all' } as CardViews[K];
  }
  if (name === 'activities') {
    const v = view as CardViews['activities'];
    if (v.listLabel === '' && v.activities.length > 0 && v.focus.length === 0)
      return { ...v, listLabel: 'Show all' } as CardViews[K];
  }
  return view;
}

function activityMeta(a: Activity): string {
  return `${describeLevels(a.levels)} · supports ${a.supports.join(', ')}`;
}

export function noticeView(
  text: string,
  opts: { title?: string; detail?: string; buttons?: Button[] } = {},
): CardViews['notice'] {
  return {
    summary: text,
    title: opts.title ?? '',
    text,
    detail: opts.detail ?? '',
    buttons: opts.buttons ?? [],
  };
}

export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
