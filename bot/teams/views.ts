import { COMMANDS, type CommandSpec } from '../core/commands.js';
import type { Activity, AreaId, Level } from '../core/frameworkSchema.js';
import {
  describeLevels,
  findArea,
  findSource,
  findSubArea,
  subAreaLabel,
  type Library,
} from '../core/library.js';
import { asPlainText, type Button, type CardViews } from './cards.js';

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
): CardViews['help'] {
  const shown = commands.filter(
    (c) => scope === 'personal' || !c.personal || c.name === 'assess' || c.name === 'eligibility',
  );
  return {
    summary: unknown
      ? `I don't know the command ${asPlainText(truncate(unknown, 40))}. Type /help to see what I can do.`
      : 'What I can do: type a question or one of the commands.',
    title: unknown ? `I don't know "${asPlainText(truncate(unknown, 40))}"` : 'What I can do',
    intro:
      scope === 'personal'
        ? 'Type a question in your own words, or one of these commands:'
        : 'Mention me with a question or a command. Anything personal continues in your private chat with me.',
    commands: shown.map((c) => ({ usage: c.usage, help: c.help })),
    note: 'Answers quote the Clinical Coding Auditor Competency Framework and the programme and apprenticeship pages, with their dates.',
    buttons: [AREAS, ELIGIBILITY, ASSESS],
  };
}

export function areasView(lib: Library): CardViews['competency'] {
  return {
    summary: `The framework has five areas: ${lib.framework.areas.map((a) => `${a.id} ${a.title}`).join(', ')}.`,
    title: 'The five competency areas',
    intro: 'Each area is described for two levels: trainee auditor and approved auditor.',
    subAreas: lib.framework.areas.map((a) => {
      const statements = a.subAreas.flatMap((s) => s.statements);
      const trainee = statements.filter((s) => s.levels.includes('trainee')).length;
      return {
        label: `${a.id} ${a.title}: ${statements.length} statements (${trainee} for trainees)`,
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
): CardViews['competency'] | undefined {
  const area = findArea(lib, ref.areaId);
  if (!area) return undefined;
  const subs = ref.subAreaId ? [findSubArea(lib, ref.subAreaId)?.subArea].filter((s) => !!s) : area.subAreas;
  if (subs.length === 0) return undefined;
  const statements = subs.flatMap((s) => s.statements);
  const trainee = statements.filter((s) => s.levels.includes('trainee')).length;
  const title = `${area.id} ${area.title}`;
  return {
    summary: `${title}: ${statements.length} statements, ${trainee} for trainee auditors and ${statements.length} for approved auditors.`,
    title,
    intro: `${statements.length} statements: ${trainee} apply to trainee auditors, ${statements.filter((s) => s.levels.includes('approved')).length} to approved auditors.`,
    subAreas: subs.map((s) => ({
      label: subAreaLabel(s),
      statements: s.statements.map((st) => ({
        text: st.readingNote ? `${st.text} (levels read from an ambiguous tick in the source)` : st.text,
        levels: shortLevels(st.levels),
      })),
    })),
    footer: `T = trainee auditor, A = approved auditor. Source: ${sourceLine(lib, lib.framework.source)}`,
    buttons: [{ title: `Manager activities for ${area.id}`, command: `/activities ${area.id}` }, ASSESS],
  };
}

export const ACTIVITIES_PAGE = 10;

export function activitiesView(
  lib: Library,
  areaId: AreaId | undefined,
  level: Level | undefined,
  opts: { page?: number } = {},
): CardViews['activities'] {
  const area = areaId ? findArea(lib, areaId) : undefined;
  const all = lib.framework.activities.filter(
    (a) => (!areaId || a.supports.includes(areaId)) && (!level || a.levels.includes(level)),
  );
  const pages = Math.max(1, Math.ceil(all.length / ACTIVITIES_PAGE));
  const page = Math.min(Math.max(1, opts.page ?? 1), pages);
  const shown = all.slice((page - 1) * ACTIVITIES_PAGE, page * ACTIVITIES_PAGE);
  const who = level ? (level === 'trainee' ? 'trainee auditors' : 'approved auditors') : 'both levels';
  const resources = lib.framework.resources.filter(
    (r) => areaId && r.helpsWith.some((h) => h.startsWith(areaId)),
  );
  const title = area
    ? `Line-manager activities for ${area.id} ${area.title}`
    : 'Suggested line-manager activities';
  const command = ['/activities', areaId, level].filter(Boolean).join(' ');
  const paging: Button[] = [];
  if (page > 1) paging.push({ title: 'Previous', command: `${command} ${page - 1}` });
  if (page < pages) paging.push({ title: 'More', command: `${command} ${page + 1}` });
  return {
    summary: `${title}: ${all.length} suggested activities for ${who}.`,
    title,
    intro: `${all.length} suggested activities for ${who}${level ? '' : ' (each marked with its levels)'}.`,
    activities: shown.map((a) => ({ text: a.text, meta: activityMeta(a) })),
    resources:
      page === 1
        ? resources.slice(0, 6).map((r) => ({ text: `${r.title}${r.detail ? ` — ${r.detail}` : ''}` }))
        : [],
    more: pages > 1 ? `Page ${page} of ${pages} (${shown.length} of ${all.length} activities).` : '',
    source: sourceLine(lib, lib.framework.source),
    buttons: [
      ...paging,
      ...(area
        ? [
            ...(level !== 'trainee'
              ? [{ title: 'For trainees', command: `/activities ${area.id} trainee` }]
              : []),
            ...(level !== 'approved'
              ? [{ title: 'For approved auditors', command: `/activities ${area.id} approved` }]
              : []),
            { title: `See ${area.id}`, command: `/competency ${area.id}` },
          ]
        : lib.framework.areas.map((a) => ({ title: a.id, command: `/activities ${a.id}` }))),
    ].slice(0, 6),
  };
}

export function activityMeta(a: Activity): string {
  return `${describeLevels(a.levels)} · supports ${a.supports.join(', ')}`;
}

export function noAnswerView(question: string): CardViews['notice'] {
  return {
    summary:
      "I couldn't find that in the framework or the programme pages. Type /help to see what I can answer.",
    title: '',
    text: `I couldn't find a good answer to "${asPlainText(truncate(question, 100))}" in the framework, the programme pages or the apprenticeship standard, so I won't guess.`,
    detail: 'Try other words, name an area (CC1 to CC5), or type /help.',
    buttons: [AREAS, HELP],
  };
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
