import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Checking quotations against the source documents (../shared/seeds/*.txt, plain-text
 * extractions of the web pages and the PDF the data is taken from).
 *
 * Both sides are normalised the same way before comparing:
 *   - runs of whitespace, line breaks included, become one space (the extractions break lines
 *     where the page or PDF did; a quote may keep its own line breaks for display);
 *   - a word broken across a line by a hyphen in the PDF ("in-\ndepth") is joined ("in-depth");
 *   - curly quotes and apostrophes match straight ones, and every dash (– — ‐ −) matches "-".
 * Nothing else is forgiven: case, punctuation, spelling ("successfuly") and word order must be
 * the source's. An ellipsis "…" in a quote stands for text left out: the pieces between
 * ellipses must appear in the source in the same order, each at word boundaries, with anything
 * between them.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The source documents sit beside the checkout, as in CI: ../shared/seeds/. */
export const SEEDS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'seeds');

/** Which seed file holds which source (ids of data/sources.json). */
export const SEED_FILE_PREFIX: Record<string, string> = {
  'ccap-2012': '000_',
  framework: '001_',
  'auditor-toolbox': '002_',
  'st0535-summary': '003_',
  'st0535-profile': '004_',
};

const ELLIPSIS = '…';

function normaliseForQuote(text: string): string {
  return text
    .normalize('NFC')
    .replace(/(\p{L})-[ \t]*\r?\n\s*(\p{L})/gu, '$1-$2')
    .replace(/[‘’‚‛`´]/g, "'")
    .replace(/[“”„‟]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/**
 * Where a quote is found in a source's text: the pieces between ellipses, each at the
 * leftmost place after the one before (leftmost is always the best choice for what follows).
 * Returns null when found, or the first piece that could not be found in order.
 */
export function quoteProblem(quote: string, sourceText: string): string | null {
  const hay = normaliseForQuote(sourceText);
  const pieces = normaliseForQuote(quote)
    .split(ELLIPSIS)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (pieces.length === 0) return 'the quote is empty';
  let from = 0;
  for (const piece of pieces) {
    const pattern = new RegExp(
      `${isWordChar(piece[0]) ? '(?<![\\p{L}\\p{N}_])' : ''}${escapeRegExp(piece)}${
        isWordChar(piece.at(-1)) ? '(?![\\p{L}\\p{N}_])' : ''
      }`,
      'gu',
    );
    pattern.lastIndex = from;
    const m = pattern.exec(hay);
    if (!m) return piece;
    from = m.index + m[0].length;
  }
  return null;
}

let seedCache: Map<string, string> | undefined;

/** The text of the seed file for a source id; throws for a source with no seed mapped. */
export function seedText(sourceId: string): string {
  seedCache ??= new Map();
  const cached = seedCache.get(sourceId);
  if (cached !== undefined) return cached;
  const prefix = SEED_FILE_PREFIX[sourceId];
  if (!prefix) throw new Error(`no seed file is mapped for source "${sourceId}"`);
  const file = readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
  if (!file) throw new Error(`no ${prefix}*.txt in ${SEEDS_DIR}`);
  const text = readFileSync(path.join(SEEDS_DIR, file), 'utf8');
  seedCache.set(sourceId, text);
  return text;
}

/** A quotation in data/: where it is, whose words it claims to be, and the words. */
export interface Quotation {
  where: string;
  source: string;
  quote: string;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'data', file), 'utf8'));
}

/**
 * Every object in a data file with a string `quote` and a string `source`, wherever it sits
 * (passages, their `also`, glossary terms, eligibility criteria and their history/context),
 * so a quote added in a new place is checked without changing this test.
 */
export function quotationsIn(file: string): Quotation[] {
  const out: Quotation[] = [];
  const visit = (node: unknown, where: string) => {
    if (Array.isArray(node))
      node.forEach((n, i) => {
        visit(n, `${where}[${i}]`);
      });
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const label = typeof o.id === 'string' ? `${where}(${o.id})` : where;
      if (typeof o.quote === 'string' && typeof o.source === 'string')
        out.push({ where: label, source: o.source, quote: o.quote });
      for (const [k, v] of Object.entries(o)) visit(v, `${label}.${k}`);
    }
  };
  visit(readJson(file), file);
  return out;
}

/*
 * data/framework.json keeps two statements in a form the PDF does not print in one run, as the
 * seeds README describes: each sub-bullet under the CC1 c. lead-in is a statement of its own, stored
 * with the lead-in before it, and one CC5 c. statement is broken by a page (its ticks sit in the
 * middle). They are checked with an ellipsis where the PDF puts the bullet or the ticks.
 */
const CC1C_LEAD_IN = 'Ability to identify the key individuals when conducting an audit and is able to:';
const PAGE_BREAK_JOINS: Record<string, [string, string]> = {
  'CC5c.2': ['when working with personal, public', 'when working with personal, … public'],
};

/** A framework statement as a quotation, with the layout joins above turned into ellipses. */
function statementAsQuoted(id: string, text: string): string {
  if (text.startsWith(`${CC1C_LEAD_IN} `)) return `${CC1C_LEAD_IN} … ${text.slice(CC1C_LEAD_IN.length + 1)}`;
  const join = PAGE_BREAK_JOINS[id];
  if (join) {
    if (!text.includes(join[0])) throw new Error(`${id} no longer has the page-break join "${join[0]}"`);
    return text.replace(join[0], join[1]);
  }
  return text;
}

/** The framework's own words in data/framework.json: purpose, levels, titles, statements, activities, resources. */
export function frameworkQuotations(): Quotation[] {
  const fw = readJson('framework.json') as {
    source: string;
    purpose: string;
    levels: { id: string; name: string; definition: string }[];
    areas: {
      id: string;
      title: string;
      subAreas: { id: string; title: string; statements: { id: string; text: string }[] }[];
    }[];
    activities: { id: string; text: string }[];
    resources: { id: string; category: string; title: string; detail?: string }[];
  };
  const q = (where: string, quote: string): Quotation => ({ where, source: fw.source, quote });
  return [
    q('framework.json purpose', fw.purpose),
    ...fw.levels.flatMap((l) => [
      q(`framework.json levels(${l.id}).name`, l.name),
      q(`framework.json levels(${l.id}).definition`, l.definition),
    ]),
    ...fw.areas.flatMap((a) => [
      q(`framework.json areas(${a.id}).title`, a.title),
      ...a.subAreas.flatMap((s) => [
        ...(s.id.endsWith('-general') ? [] : [q(`framework.json subAreas(${s.id}).title`, s.title)]),
        ...s.statements.map((st) =>
          q(`framework.json statements(${st.id})`, statementAsQuoted(st.id, st.text)),
        ),
      ]),
    ]),
    ...fw.activities.map((a) => q(`framework.json activities(${a.id})`, a.text)),
    ...fw.resources.flatMap((r) => [
      q(`framework.json resources(${r.id}).category`, r.category),
      q(`framework.json resources(${r.id}).title`, r.title),
      ...(r.detail ? [q(`framework.json resources(${r.id}).detail`, r.detail)] : []),
    ]),
  ];
}

/** The problem with each quotation that is not its source's words, as "where: …". */
export function unfaithful(quotations: Quotation[]): string[] {
  return quotations.flatMap((q) => {
    let text: string;
    try {
      text = seedText(q.source);
    } catch (e) {
      return [`${q.where}: ${(e as Error).message}`];
    }
    const missing = quoteProblem(q.quote, text);
    return missing === null ? [] : [`${q.where}: not in ${q.source}: "${missing}"`];
  });
}

/** Fields whose text is a quotation itself (checked as such), not our words around one. */
const QUOTE_FIELDS = new Set([
  'quote',
  'text',
  'definition',
  'purpose',
  'title',
  'detail',
  'category',
  'name',
]);

/**
 * Words in double quotes inside our own text in a data file (notes, readings, explanations,
 * reasons: "it sets the requirements for applicants "in the 2012/13 training year""). Each is
 * checked against every source document, since a note may quote a source other than its own.
 * framework.json's fields named in QUOTE_FIELDS are the framework's words and checked above.
 */
export function embeddedQuotationsIn(file: string): { where: string; quote: string }[] {
  const out: { where: string; quote: string }[] = [];
  const skip = file === 'framework.json' ? QUOTE_FIELDS : new Set(['quote']);
  const visit = (node: unknown, where: string, key: string) => {
    if (typeof node === 'string') {
      if (skip.has(key)) return;
      for (const m of node.matchAll(/"([^"]+)"/g)) out.push({ where, quote: m[1]! });
    } else if (Array.isArray(node))
      node.forEach((n, i) => {
        visit(n, `${where}[${i}]`, key);
      });
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const label = typeof o.id === 'string' ? `${where}(${o.id})` : where;
      for (const [k, v] of Object.entries(o)) visit(v, `${label}.${k}`, k);
    }
  };
  visit(readJson(file), file, '');
  return out;
}

/** The source ids whose documents hold a quotation. */
export function sourcesHolding(quote: string): string[] {
  return Object.keys(SEED_FILE_PREFIX).filter((id) => quoteProblem(quote, seedText(id)) === null);
}
