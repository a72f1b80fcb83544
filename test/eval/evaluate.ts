import path from 'node:path';
import { z } from 'zod';
import { formatLongDate } from '../../bot/core/calendar.js';
import { EligibilityRulesSchema } from '../../bot/core/eligibility/eligibilitySchema.js';
import { QuestionAnswerer, type Hit } from '../../bot/core/questionAnswering.js';
import { QuestionService, type Reply } from '../../bot/core/questions/answerQuestion.js';
import { VocabularySchema } from '../../bot/core/questions/vocabulary.js';
import { loadDataFile, loadLibrary, projectRoot } from '../../bot/data/loadData.js';
import type { Library } from '../../bot/core/library.js';

export const KINDS = [
  'define',
  'cover',
  'level',
  'activities',
  'resources',
  'programme',
  'eligibility',
  'unanswerable',
] as const;

export const EvalCaseSchema = z.object({
  id: z.string(),
  part: z.enum(['tuned', 'held-out']),
  kind: z.enum(KINDS),
  q: z.string().min(1),
  cites: z.array(z.string()).optional(),
  includes: z.array(z.string()).optional(),
  facts: z.array(z.string()).optional(),
  level: z.enum(['trainee', 'approved', 'both']).optional(),
  decline: z.literal(true).optional(),
  eligibility: z
    .object({
      programme: z.enum(['ccap', 'cctp', 'apprenticeship']),
      verdict: z.enum(['eligible', 'not-yet', 'unknown']),
      date: z.string().optional(),
    })
    .optional(),
});
export type EvalCase = z.infer<typeof EvalCaseSchema> & { set: EvalSet };

/**
 * The sets, each written from the sources before it was tuned against: the first set, a second one
 * written later by someone who had not seen the bot's misses, and a third in the everyday wording of
 * coders and managers in Teams, and a fourth and a fifth each written after the sets before them were
 * tuned, so the held-out figures of all of them stay honest.
 */
export const EVAL_SETS = {
  first: 'cases.json',
  fresh: 'cases-fresh.json',
  third: 'cases-third.json',
  fourth: 'cases-fourth.json',
  fifth: 'cases-fifth.json',
} as const;
export type EvalSet = keyof typeof EVAL_SETS;

export interface EvalOutcome {
  case: EvalCase;
  ok: boolean;
  why: string[];
  got: string;
}

/** "2024-03-01+3y+1d", "today-2y": a date, then offsets applied left to right, as the set's README says. */
export function evalDate(expr: string, today: string): string {
  const m = /^(today|\d{4}-\d{2}-\d{2})((?:[+-]\d+[ymd])*)$/.exec(expr);
  if (!m) throw new Error(`bad date expression ${expr}`);
  let [y, mo, d] = (m[1] === 'today' ? today : m[1]!).split('-').map(Number) as [number, number, number];
  for (const [, sign, n, unit] of m[2]!.matchAll(/([+-])(\d+)([ymd])/g)) {
    const k = (sign === '-' ? -1 : 1) * Number(n);
    if (unit === 'd') {
      const t = new Date(Date.UTC(y, mo - 1, d + k));
      [y, mo, d] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
    } else {
      const total = y * 12 + (mo - 1) + (unit === 'y' ? 12 * k : k);
      y = Math.floor(total / 12);
      mo = (total % 12) + 1;
      d = Math.min(d, new Date(Date.UTC(y, mo, 0)).getUTCDate());
    }
  }
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function hitText(h: Hit): string {
  switch (h.kind) {
    case 'statement':
      return h.statement.text;
    case 'activity':
      return h.activity.text;
    case 'resource':
      return [h.resource.title, h.resource.detail ?? '', h.resource.url ?? ''].join(' ');
    case 'passage':
      return `${h.passage.title} ${h.passage.quote} ${h.passage.also?.quote ?? ''}`;
    case 'glossary':
      return `${h.term.term} ${JSON.stringify(h.term)}`;
    case 'subArea':
      return `${h.subAreaId} ${h.area.subAreas
        .find((s) => s.id === h.subAreaId)
        ?.statements.map((s) => s.text)
        .join(' ')}`;
    case 'area':
      return `${h.area.id} ${h.area.title} ${h.area.subAreas.map((s) => s.title).join(' ')}`;
  }
}

/** Everything a person reads in a reply, for the set's "facts". */
export function replyText(lib: Library, reply: Reply): string {
  switch (reply.kind) {
    case 'answer':
      return [reply.lead, ...reply.hits.map(hitText)].join(' ');
    case 'eligibility':
      return [reply.lead, ...reply.assumptions, reply.result.summary].join(' ');
    case 'competency': {
      const area = lib.framework.areas.find((a) => a.id === reply.ref.areaId)!;
      const subs = reply.ref.subAreaId
        ? area.subAreas.filter((s) => s.id === reply.ref.subAreaId)
        : area.subAreas;
      return `${area.id} ${area.title} ${subs.map((s) => `${s.title} ${s.statements.map((x) => x.text).join(' ')}`).join(' ')}`;
    }
    case 'activities':
      return [
        reply.lead ?? '',
        ...lib.framework.activities
          .filter(
            (a) =>
              (!reply.areaId || a.supports.includes(reply.areaId)) &&
              (!reply.level || a.levels.includes(reply.level)),
          )
          .map((a) => a.text),
      ].join(' ');
    case 'decline':
      return [reply.topic ?? '', reply.pointer ?? ''].join(' ');
  }
}

const norm = (s: string) => s.toLowerCase().replace(/[–—‑]/g, '-').replace(/\s+/g, ' ');

/** A cited glossary entry matches the set's id by its term or any synonym (terms were renamed to the sources' own). */
function sameCite(lib: Library, expected: string, got: string): boolean {
  if (expected === got) return true;
  if (!expected.startsWith('glossary:') || !got.startsWith('glossary:')) return false;
  const want = expected.slice(9).toLowerCase();
  const entry = lib.glossary.find((g) => `glossary:${g.term}` === got);
  return !!entry && [entry.term, ...entry.synonyms].some((n) => n.toLowerCase() === want);
}

export function judge(lib: Library, service: QuestionService, c: EvalCase, today: string): EvalOutcome {
  const reply = service.reply(c.q, today);
  const cites = service.citesOf(reply);
  const text = norm(replyText(lib, reply));
  const why: string[] = [];
  if (c.decline) {
    if (reply.kind !== 'decline') why.push(`answered (${reply.kind}) instead of declining`);
  } else if (reply.kind === 'decline') {
    why.push('declined');
  } else {
    if (c.cites && !c.cites.some((e) => cites[0] !== undefined && sameCite(lib, e, cites[0])))
      why.push(`first cite ${cites[0] ?? 'none'} not in ${c.cites.join(', ')}`);
    for (const e of c.includes ?? []) if (!cites.some((g) => sameCite(lib, e, g))) why.push(`missing ${e}`);
    for (const f of c.facts ?? []) if (!text.includes(norm(f))) why.push(`no fact "${f}"`);
    if (c.level && (reply.kind !== 'answer' || reply.levels !== c.level))
      why.push(`level ${reply.kind === 'answer' ? (reply.levels ?? 'none') : reply.kind} not ${c.level}`);
    if (c.eligibility) {
      if (reply.kind !== 'eligibility') why.push(`no verdict (${reply.kind})`);
      else {
        const r = reply.result;
        if (r.programme.id !== c.eligibility.programme) why.push(`programme ${r.programme.id}`);
        if (r.verdict !== c.eligibility.verdict)
          why.push(`verdict ${r.verdict} not ${c.eligibility.verdict}`);
        if (c.eligibility.date) {
          const want = evalDate(c.eligibility.date, today);
          const timeRule = r.criteria.find((x) => x.metOn && !x.validUntil);
          if (timeRule?.metOn !== want) why.push(`date ${timeRule?.metOn ?? 'none'} not ${want}`);
          else if (!reply.lead.includes(formatLongDate(want)))
            why.push(`lead does not give ${formatLongDate(want)}`);
        }
      }
    }
  }
  const got =
    reply.kind === 'eligibility'
      ? `${reply.result.programme.id} ${reply.result.verdict}: ${reply.lead}`
      : `${reply.kind} ${cites.slice(0, 4).join(' ')}${reply.kind === 'answer' ? ` | ${reply.lead}` : ''}`;
  return { case: c, ok: why.length === 0, why, got };
}

export async function loadEval(): Promise<{ lib: Library; service: QuestionService; cases: EvalCase[] }> {
  const root = projectRoot();
  const lib = await loadLibrary(path.join(root, 'data'));
  const vocab = await loadDataFile(path.join(root, 'data', 'questionVocabulary.json'), VocabularySchema);
  const rules = await loadDataFile(path.join(root, 'data', 'eligibility.json'), EligibilityRulesSchema);
  const cases: EvalCase[] = [];
  for (const [set, file] of Object.entries(EVAL_SETS) as [EvalSet, string][]) {
    const loaded = await loadDataFile(
      path.join(root, 'test', 'eval', file),
      z.object({ cases: z.array(EvalCaseSchema).min(1) }),
    );
    cases.push(...loaded.cases.map((c) => ({ ...c, set })));
  }
  const ids = new Set(cases.map((c) => c.id));
  if (ids.size !== cases.length) throw new Error('evaluation case ids must be unique across the sets');
  return { lib, service: new QuestionService(lib, new QuestionAnswerer(lib, vocab), vocab, rules), cases };
}

export interface EvalSummary {
  outcomes: EvalOutcome[];
  byPart: Record<string, { ok: number; total: number }>;
  /** "<set> <part>", e.g. "fresh held-out". */
  bySet: Record<string, { ok: number; total: number }>;
  byKind: Record<string, { ok: number; total: number }>;
}

export function summarise(outcomes: EvalOutcome[]): EvalSummary {
  const byPart: EvalSummary['byPart'] = {};
  const bySet: EvalSummary['bySet'] = {};
  const byKind: EvalSummary['byKind'] = {};
  for (const o of outcomes) {
    for (const [table, key] of [
      [byPart, o.case.part],
      [bySet, `${o.case.set} ${o.case.part}`],
      [byKind, `${o.case.kind} (${o.case.part})`],
    ] as const) {
      table[key] ??= { ok: 0, total: 0 };
      table[key].total++;
      if (o.ok) table[key].ok++;
    }
  }
  return { outcomes, byPart, bySet, byKind };
}
