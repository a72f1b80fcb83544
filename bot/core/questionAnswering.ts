import MiniSearch, { type SearchResult } from 'minisearch';
import { stemmer } from 'stemmer';
import { eng } from 'stopword';
import type { GlossaryTerm, Passage } from './dataSchemas.js';
import { ensure } from './ensure.js';
import type { Activity, Area, AreaId, Level, Resource } from './frameworkSchema.js';
import { allStatements, parseCompetencyRef, type Library, type StatementInContext } from './library.js';
import type { Vocabulary } from './questions/vocabulary.js';

export type Hit =
  | ({ kind: 'statement'; score: number } & StatementInContext)
  | { kind: 'area'; score: number; area: Area }
  | { kind: 'subArea'; score: number; area: Area; subAreaId: string }
  | { kind: 'activity'; score: number; activity: Activity }
  | { kind: 'resource'; score: number; resource: Resource }
  | { kind: 'passage'; score: number; passage: Passage; supersededBy?: Passage }
  | { kind: 'glossary'; score: number; term: GlossaryTerm };

export type QuestionAnswer =
  | {
      status: 'answered';
      hits: Hit[];
      areaIds: AreaId[];
      aboutEligibility: boolean;
      /** Other readings that ranked close to the chosen one, for "Did you mean". */
      alternatives: Hit[];
    }
  | { status: 'competency'; ref: { areaId: AreaId; subAreaId?: string } }
  | { status: 'activities'; areaId?: AreaId }
  | { status: 'no-match' };

interface Doc {
  id: string;
  kind: Hit['kind'];
  title: string;
  text: string;
  /** The document's tags and the vocabulary's example questions for it. */
  tags: string;
}

/** A search result: the document's id, its score (boosts applied) and the query's terms it matched. */
interface Found {
  id: string;
  score: number;
  queryTerms: string[];
}

/** What ranking and filtering ask of a document, computed once: search asks it per document per term. */
interface DocFacts {
  kind: Hit['kind'];
  /** The framework area a statement, sub-area, area or resource belongs to. */
  area?: AreaId;
  /** Areas a line-manager activity supports. */
  supports: ReadonlySet<AreaId>;
  /** Levels of a statement or an activity. */
  levels: ReadonlySet<string>;
  hit: () => Hit;
}

/**
 * Verbs of asking and pointing ("what does it involve", "anything involving…"): in every form they
 * say how something is asked, not what about. Not verbs with a noun the sources use ("findings",
 * "improvement"), which stay topics.
 */
const ASKING_VERBS = ['involve', 'entail', 'mention', 'include', 'cover', 'explain', 'expect', 'want'];

/** A verb's forms: "involve" → involve, involves, involved, involving. */
function verbForms(verbs: readonly string[]): string[] {
  return verbs.flatMap((v) => {
    const stem = v.endsWith('e') ? v.slice(0, -1) : v;
    return [v, `${v}s`, v.endsWith('e') ? `${v}d` : `${v}ed`, `${stem}ing`];
  });
}

/** Words that carry no topic in a coder's question; the rest decide whether we understood it. */
const QUESTION_WORDS = new Set(
  [
    ...eng,
    'what',
    'whats',
    'which',
    'how',
    'does',
    'do',
    'can',
    'could',
    'cover',
    'covers',
    'include',
    'includes',
    'mean',
    'means',
    'meaning',
    'tell',
    'about',
    'please',
    'explain',
    'show',
    'list',
    'need',
    'needs',
    'know',
    'want',
    'say',
    'says',
    'competency',
    'competencies',
    'stand',
    'stands',
    'anything',
    'something',
    'thing',
    'things',
    'hi',
    'hello',
    'thanks',
    'thank',
    'bot',
    'help',
    'require',
    'required',
    'requirement',
    'requirements',
    'improve',
    'better',
    'get',
    'find',
    'where',
    'when',
    'someone',
    // Words of chat and of pointing at a part of a document, not topics ("the stats bit", "that section").
    'bit',
    'bits',
    'stuff',
    'section',
    'sections',
    'part',
    'parts',
    'covered',
    'under',
    'actually',
    'basically',
    'really',
    'exactly',
    'usually',
    'mention',
    'mentions',
    'mentioned',
    'mentioning',
    'keeps',
    'involve',
    'involves',
    'involved',
    'entail',
    'entails',
    'page',
    'said',
    'friend',
    'colleague',
    'heard',
    'wise',
    'ones',
    'one',
    'too',
    'also',
    'again',
    'looking',
    'look',
    'according',
    'dealing',
    'handle',
    'handling',
    'asking',
    'us',
    'want',
    'wants',
    'able',
    'expected',
    'etc',
    'statement',
    'statements',
    'give',
    'gives',
    'giving',
    'offer',
    'offers',
    'others',
    'talk',
    'talks',
    'talking',
    // Chat's emphasis and quantity words ("does a coder ever have to…", "lots of people").
    'ever',
    'even',
    'just',
    'onto',
    'lot',
    'lots',
    'loads',
    'go',
    'goes',
    'going',
    ...verbForms(ASKING_VERBS),
  ].map((w) => w.toLowerCase()),
);

const ELIGIBILITY_TAGS = new Set(['eligibility', 'entry', 'apply', 'requirements']);

/** A reading scoring at least this share of the best one is close enough to offer as "Did you mean". */
const CLOSE_READING = 0.7;
/** The share of a question's weighted informative words a document must match to answer it. */
export const MIN_COVERAGE = 0.5;
/** Documents shown beside the best: those scoring at least this share of its score. */
const SHOWN_WITH_BEST = 0.55;

/**
 * Stems already worked out: the library and coders' questions use a few thousand words, and a word
 * is stemmed several times a question (each search, each coverage check). Bounded all the same.
 */
const stems = new Map<string, string | null>();
const MAX_STEMS = 50_000;

function processTerm(term: string): string | null {
  const known = stems.get(term);
  if (known !== undefined) return known;
  const t = term
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/[’']/g, '');
  const stem =
    !t || QUESTION_WORDS.has(t) || (t.length < 2 && !/\d/.test(t)) || t.length > 40 ? null : stemmer(t);
  if (stems.size >= MAX_STEMS) stems.clear();
  stems.set(term, stem);
  return stem;
}

/** minisearch's own tokenizer; the library types its defaults `any`, this is its documented type. */
const minisearchTokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** A result's document id: the index holds Docs, whose ids are strings (minisearch types them `any`). */
const docId = (r: SearchResult): string => r.id as string;

/**
 * Words the library writes as one ("stakeholder", "workload", "elearning"), for finding the same
 * written as two ("stake holder", "work load", "e-learning"). Filled from each library indexed; a
 * word once in a library stays known, which can only join two words into one the sources use.
 */
const oneWords = new Set<string>();
/** Shorter joins ("in to", "can not") are stop words or chance, not compounds. */
const MIN_ONE_WORD = 6;

function baseTokens(text: string): string[] {
  return minisearchTokenize(text.replace(/£/g, ' '));
}

/** The words of a text, two written apart joined where the library writes them as one. */
function tokenize(text: string): string[] {
  const words = baseTokens(text);
  if (oneWords.size === 0 || words.length < 2) return words;
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const next = words[i + 1];
    const joined = next === undefined ? '' : `${w}${next}`.toLowerCase();
    if (joined.length >= MIN_ONE_WORD && oneWords.has(joined)) {
      out.push(joined);
      i++;
    } else out.push(w);
  }
  return out;
}

/**
 * A document's words as indexed: its own, and where it writes a compound apart ("stake holder
 * analysis") the joined word too, so a question saying "stakeholder" finds it.
 */
function indexTokenize(text: string): string[] {
  const words = baseTokens(text);
  const joined: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const w = `${words[i] ?? ''}${words[i + 1] ?? ''}`.toLowerCase();
    if (w.length >= MIN_ONE_WORD && oneWords.has(w)) joined.push(w);
  }
  return joined.length ? [...words, ...joined] : words;
}

/** For a query whose words are index terms already. */
const splitOnSpaces = (s: string) => s.split(' ');
const asProcessed = (t: string) => t;

/** A document's informative, stemmed words, as indexed (compounds written apart, joined as well). */
function indexTerms(text: string): string[] {
  return indexTokenize(text)
    .map(processTerm)
    .filter((t): t is string => !!t);
}

/** The informative, stemmed words of a text, as the index sees them. */
export function terms(text: string): string[] {
  return tokenize(text)
    .map(processTerm)
    .filter((t): t is string => !!t);
}

/**
 * Ranked full-text search over the whole library (statements, sub-areas, areas, line-manager
 * activities, resources, source passages, glossary) with abbreviations expanded from the glossary.
 * It only answers when the best hit covers most of the question's informative words, weighted by
 * how rare they are in the library, so an off-topic question gets "no match", not a random hit.
 */
export class QuestionAnswerer {
  private readonly index: MiniSearch<Doc>;
  private readonly docFreq = new Map<string, number>();
  private readonly facts = new Map<string, DocFacts>();
  /** Document boosts by what the question is about (managers, a level): a handful of tables in all. */
  private readonly boostTables = new Map<string, Map<string, number>>();
  private readonly passagesById: Map<string, Passage>;
  private readonly glossaryAnswers = new Map<string, QuestionAnswer>();
  private readonly docCount: number;
  /** Per document, its informative words two by two as they stand ("code practic" of "Code of Practice"). */
  private readonly pairs = new Map<string, ReadonlySet<string>>();
  /** The vocabulary's everyday words, their framework equivalents already reduced to index terms. */
  private readonly related: { say: string[]; terms: string[]; text: string }[];
  /** The index terms of everything the vocabulary's related entries say. */
  private readonly relatedWords: ReadonlySet<string>;

  constructor(
    private readonly lib: Library,
    private readonly vocab?: Vocabulary,
  ) {
    this.passagesById = new Map(lib.passages.map((p) => [p.id, p]));
    const docs = this.buildDocs();
    for (const d of docs)
      for (const w of baseTokens(`${d.title} ${d.text} ${d.tags}`))
        if (w.length >= MIN_ONE_WORD) oneWords.add(w.toLowerCase());
    this.related = (vocab?.related ?? []).map((r) => ({
      say: r.say.map((x) => x.toLowerCase()),
      terms: terms(r.means.join(' ')),
      text: r.means.join(' '),
    }));
    this.relatedWords = new Set(this.related.flatMap((r) => terms(r.say.join(' '))));
    this.index = new MiniSearch<Doc>({
      fields: ['title', 'text', 'tags'],
      storeFields: ['kind'],
      tokenize: indexTokenize,
      processTerm,
      searchOptions: {
        boost: { title: 2, tags: 1.5, text: 1 },
        // Likewise a prefix stands in only for a word the library does not contain ("spreadsheeting").
        prefix: (term) => term.length >= 5 && !this.docFreq.has(term),
        // Fuzzy matching is for misspellings; a word the library contains is matched as it is
        // (fuzzy lookups are most of a search's cost, and near-misses of a known word add noise).
        fuzzy: (term) => (term.length >= 6 && term.length <= 20 && !this.docFreq.has(term) ? 0.15 : 0),
      },
    });
    // Example questions count as tags: a fourth field would cost every search a little more.
    for (const d of docs) {
      const examples = this.vocab?.documents[d.id]?.examples;
      if (examples?.length) d.tags = `${d.tags} ${examples.join(' ')}`;
    }
    this.index.addAll(docs);
    this.docCount = docs.length;
    for (const d of docs) this.pairs.set(d.id, new Set(pairsOf(terms(`${d.title}. ${d.text}`))));
    for (const d of docs) {
      for (const t of new Set(indexTerms(`${d.title} ${d.text} ${d.tags}`))) {
        this.docFreq.set(t, (this.docFreq.get(t) ?? 0) + 1);
      }
    }
  }

  answer(question: string): QuestionAnswer {
    return this.answerWithin(question, true);
  }

  private answerWithin(question: string, followGlossary: boolean): QuestionAnswer {
    // Questions are short; a pasted essay is cut rather than searched term by term.
    const q = question.trim().slice(0, 400);
    const ref = this.explicitRef(q);
    if (ref && ref.rest.length === 0) return { status: 'competency', ref: ref.ref };

    const original = terms(q);
    if (original.length === 0) return { status: 'no-match' };
    const expansions = this.expand(q);
    const queryText = [q, ...expansions.map((e) => e.text)].join(' ');

    // Within "CC4 finance" the area itself is not the answer; the statements inside it are.
    // "...for trainees": statements at that level come first (others still answer, with their levels).
    const level = /\btrainees?\b/i.test(q)
      ? 'trainee'
      : /\bapproved\b/i.test(q) && !/\btrainee/i.test(q)
        ? 'approved'
        : undefined;
    const aboutManagers = /\b(line[- ]?)?manager|\bactivit/i.test(q);
    // Activities name the areas they support rather than belonging to one.
    const inRef = (id: string) =>
      !ref ||
      (id.startsWith('activity:')
        ? aboutManagers && this.supports(id, ref.ref.areaId)
        : this.areaOfDoc(id) === ref.ref.areaId && !id.startsWith('area:'));
    const filter = (id: string) => (followGlossary || !id.startsWith('glossary:')) && inRef(id);
    const boosts = this.boostsFor(aboutManagers, level);
    const asked = pairsOf(original);
    const covered = this.searchIndex(queryText, filter, boosts)
      .slice(0, 40)
      .map((r) => ({ r, cov: this.coverage(original, expansions, new Set(r.queryTerms)) }))
      .filter((x) => x.cov >= MIN_COVERAGE)
      .map((x) => {
        const matched = new Set(x.r.queryTerms);
        // A document using the question's own words beats one reached only through a glossary synonym
        // ("Caldicott": the statement that says it, before the Information Governance entry).
        const literal = this.coverage(original, [], matched);
        return {
          id: x.r.id,
          score: x.r.score * x.cov * x.cov * (1 + literal) * this.phraseBonus(asked, x.r.id),
          matched,
        };
      })
      .sort((a, b) => b.score - a.score);
    const top = covered[0];
    if (!top) {
      if (ref && aboutManagers) return { status: 'activities', areaId: ref.ref.areaId };
      return ref ? { status: 'competency', ref: ref.ref } : { status: 'no-match' };
    }

    // "What can my manager do about statistics?": activities name areas, not topics, so find the
    // topic's area first and keep only activities that support it.
    let ranked = covered;
    if (aboutManagers) {
      // The area named ("for CC3") chooses the activities; it is not a topic word they must contain.
      const topicQuestion = (ref ? q.replace(ref.text, ' ') : q).replace(
        /\b(line[- ]?)?managers?\b|\bactivit(y|ies)\b|\bsuggest\w*|\bsupport\w*/gi,
        ' ',
      );
      if (terms(topicQuestion).length === 0)
        return ref ? { status: 'activities', areaId: ref.ref.areaId } : { status: 'activities' };
      const topic = ref?.ref.areaId ?? this.topicArea(topicQuestion);
      if (topic) {
        const topicTerms = terms(topicQuestion);
        ranked = covered.filter(
          (r) =>
            r.id.startsWith('activity:') &&
            this.supports(r.id, topic) &&
            this.coverage(topicTerms, expansions, r.matched) >= 0.5,
        );
        if (ranked.length === 0) return { status: 'activities', areaId: topic };
      }
    }
    // Not empty: `covered` has a top, and an empty filtered list has returned above.
    const best = ensure(ranked[0], 'a best-ranked result');
    const chosen = ranked
      .filter((r) => r.score >= best.score * SHOWN_WITH_BEST)
      .slice(0, 4)
      .map((r) => ({ ...this.indexedHit(r.id), score: r.score }));
    // A sub-area shown whole already lists its statements; do not repeat them one by one.
    const wholeSubAreas = new Set(chosen.filter((h) => h.kind === 'subArea').map((h) => h.subAreaId));
    const kept = chosen.filter((h) => h.kind !== 'statement' || !wholeSubAreas.has(h.subArea.id));
    // The framework's entry rule is CCAP's; for the trainer programme the 2012/13 rule is the newest.
    const aboutTrainers = /\bcctp\b|\btrainers?\b/i.test(q) && !/\bccap\b|\bauditors?\b/i.test(q);
    // Asked about the old rules themselves, the old rules come first.
    const aboutHistory =
      /\b(old|older|2012|2013|previous|previously|historical|history|used to)\b/i.test(q) &&
      !/\b(still|now|today|current|currently|anymore|any more|changed)\b/i.test(q);
    const hits = (aboutTrainers || aboutHistory ? kept : this.withCurrentRules(kept)).slice(0, 4);
    // An abbreviation's meaning alone is thin: add what the framework says about it.
    if (followGlossary && hits[0]?.kind === 'glossary' && hits.length < 3) {
      const more = this.aboutGlossaryTerm(hits[0].term);
      if (more.status === 'answered') {
        for (const h of more.hits) {
          if (hits.length >= 4) break;
          if (h.kind !== 'glossary' && !hits.some((x) => this.docIdOf(x) === this.docIdOf(h))) hits.push(h);
        }
      }
    }
    const areaIds = [
      ...new Set(hits.map((h) => this.areaOfDoc(this.docIdOf(h))).filter((a): a is AreaId => !!a)),
    ];
    const aboutEligibility = hits.some(
      (h) => h.kind === 'passage' && h.passage.tags.some((t) => ELIGIBILITY_TAGS.has(t)),
    );
    const shown = new Set(hits.map((h) => this.docIdOf(h)));
    const alternatives = ranked
      .filter((r) => !shown.has(r.id) && r.score >= best.score * CLOSE_READING)
      .slice(0, 3)
      .map((r) => ({ ...this.indexedHit(r.id), score: r.score }));
    return { status: 'answered', hits, areaIds, aboutEligibility, alternatives };
  }

  /**
   * Documents of the given kinds ranked for a topic, each with the share of the topic's weighted
   * words it matches; only those matching at least `minCoverage`. For list answers (every activity
   * about presenting) and for near misses.
   */
  find(
    topic: string,
    opts: { kinds?: readonly Hit['kind'][]; minCoverage?: number; limit?: number; level?: Level } = {},
  ): { hit: Hit; score: number; coverage: number }[] {
    const original = terms(topic);
    if (original.length === 0) return [];
    const expansions = this.expand(topic);
    const kinds = opts.kinds ? new Set<string>(opts.kinds) : undefined;
    const boosts = this.boostsFor(!!kinds?.has('activity'), opts.level);
    const asked = pairsOf(original);
    return this.searchIndex(
      [topic, ...expansions.map((e) => e.text)].join(' '),
      (id) => !kinds || kinds.has(this.facts.get(id)?.kind ?? ''),
      boosts,
    )
      .slice(0, 60)
      .map((r) => ({ r, coverage: this.coverage(original, expansions, new Set(r.queryTerms)) }))
      .filter((x) => x.coverage >= (opts.minCoverage ?? MIN_COVERAGE))
      .map((x) => ({
        hit: { ...this.indexedHit(x.r.id), score: x.r.score },
        score: x.r.score * x.coverage * this.phraseBonus(asked, x.r.id),
        coverage: x.coverage,
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, opts.limit ?? 20);
  }

  /** The framework area a topic belongs to, if any statement, sub-area or area covers it. */
  areaOfTopic(topic: string): AreaId | undefined {
    return this.topicArea(topic);
  }

  /** A text's informative words with those of the glossary entries it names ("hrg" → "healthcare", …). */
  termsWithExpansions(text: string): string[] {
    return [...terms(text), ...this.expand(text).flatMap((e) => e.terms)];
  }

  /**
   * The glossary entry a "what is X" question names: by its term, a synonym of several words, or a
   * short abbreviation ("nccq"); single everyday synonyms ("development") do not count. Longest first.
   */
  glossaryNamed(text: string): Hit | undefined {
    const lower = ` ${text.toLowerCase().replace(/[^a-z0-9&\- ]+/g, ' ')} `;
    let best: { term: GlossaryTerm; rank: number } | undefined;
    for (const g of this.lib.glossary) {
      const names = [
        { name: g.term, own: true },
        ...g.synonyms
          .filter((x) => x.includes(' ') || (x.length <= 5 && !QUESTION_WORDS.has(x.toLowerCase())))
          .map((name) => ({ name, own: false })),
      ];
      for (const { name, own } of names) {
        const n = name.toLowerCase();
        const at = lower.indexOf(` ${n} `);
        if (at < 0) continue;
        // "What is X? … it is in Y": the name asked about comes first; then its own name over a
        // synonym, then the longer name.
        const rank = -at * 10_000 + (own ? 1000 : 0) + n.length;
        if (!best || rank > best.rank) best = { term: g, rank };
      }
    }
    return best ? { kind: 'glossary', score: 0, term: best.term } : undefined;
  }

  /** Whether any of a text's informative words occurs in the library at all. */
  knowsAnyOf(text: string): boolean {
    return terms(text).some((t) => this.docFreq.has(t) || this.relatedWords.has(t));
  }

  /** The text without the words the library never uses (kept: the rest, in order). */
  withoutUnknownWords(text: string): string {
    return tokenize(text)
      .filter((w) => {
        const t = processTerm(w);
        // An everyday word the vocabulary relates to the framework's own ("stress") is known too.
        return t === null || this.docFreq.has(t) || this.relatedWords.has(t);
      })
      .join(' ');
  }

  /** Every document id the index holds, for checking data that refers to them. */
  documentIds(): ReadonlySet<string> {
    return new Set(this.facts.keys());
  }

  /** The document with this id ("passage:app-funding"), as a hit. */
  hitById(id: string): Hit | undefined {
    return this.facts.get(id)?.hit();
  }

  /** The document of an id the index returned: every one was added with its facts. */
  private indexedHit(id: string): Hit {
    const facts = this.facts.get(id);
    if (!facts) throw new Error(`Internal error: no facts for indexed document ${id}`);
    return facts.hit();
  }

  /** "passage:app-duration", "statement:CC2a.1", …: the id a hit is cited by. */
  idOf(h: Hit): string {
    return this.docIdOf(h);
  }

  /**
   * What the framework says about a glossary entry's meaning. It depends on the library alone, so
   * each entry is searched once and kept: half the work of an abbreviation question otherwise.
   */
  private aboutGlossaryTerm(term: GlossaryTerm): QuestionAnswer {
    let about = this.glossaryAnswers.get(term.term);
    if (!about) {
      about = this.answerWithin(
        (term.quote ?? term.explanation ?? '').replace(/\(CC[1-5][^)]*\)/g, ' '),
        false,
      );
      this.glossaryAnswers.set(term.term, about);
    }
    return about;
  }

  /** Where an old rule is hit, the rule that replaced it comes first, with the old one as history. */
  private withCurrentRules(hits: Hit[]): Hit[] {
    const out: Hit[] = [];
    for (const h of hits) {
      if (h.kind === 'passage' && h.passage.supersededBy) {
        const current = this.passagesById.get(h.passage.supersededBy);
        if (current) {
          if (!out.some((o) => o.kind === 'passage' && o.passage.id === current.id)) {
            out.push({ kind: 'passage', score: h.score, passage: current });
          }
          out.push({ ...h, supersededBy: current });
          continue;
        }
      }
      if (h.kind === 'passage' && out.some((o) => o.kind === 'passage' && o.passage.id === h.passage.id))
        continue;
      out.push(h);
    }
    return out;
  }

  private coverage(original: string[], expansions: Expansion[], matched: Set<string>): number {
    let total = 0;
    let got = 0;
    for (const t of new Set(original)) {
      const w = this.weight(t);
      total += w;
      if (matched.has(t)) got += w;
      // A word matched only through an abbreviation's expansion counts for less than the word itself,
      // and only where most of the expansion is matched: "Healthcare Resource Groups" is not any "resource".
      else if (expansions.some((e) => e.from.includes(t) && expansionMatched(e, t, matched))) got += 0.6 * w;
    }
    return total === 0 ? 0 : got / total;
  }

  /**
   * A document saying the question's words together, as it said them ("code of practice", "study
   * time"), ranks above one using the same words apart: up to half as much again.
   */
  private phraseBonus(asked: readonly string[], docId: string): number {
    if (asked.length === 0) return 1;
    const own = this.pairs.get(docId);
    if (!own) return 1;
    let found = 0;
    for (const p of asked) if (own.has(p)) found++;
    return 1 + (PHRASE_BONUS * found) / asked.length;
  }

  /** Rare words say more about what was asked; a word the library never uses weighs the most. */
  private weight(term: string): number {
    const df = this.docFreq.get(term) ?? 0;
    return Math.log(1 + this.docCount / (df + 1));
  }

  /**
   * The expansions of the last few texts: one question's routes ask for the same text's expansions
   * several times (the search, the list search, the coverage of each). A pure function of the text.
   */
  private readonly expansions = new Map<string, Expansion[]>();

  private expand(question: string): Expansion[] {
    const known = this.expansions.get(question);
    if (known) return known;
    const out = this.expandNow(question);
    if (this.expansions.size >= 64) {
      const oldest = this.expansions.keys().next();
      if (!oldest.done) this.expansions.delete(oldest.value);
    }
    this.expansions.set(question, out);
    return out;
  }

  private expandNow(question: string): Expansion[] {
    const lower = ` ${question.toLowerCase().replace(/[^a-z0-9£&\- ]+/g, ' ')} `;
    const out: Expansion[] = [];
    for (const r of this.related) {
      const said = r.say.filter((n) => lower.includes(` ${n} `));
      if (said.length) out.push({ from: terms(said.join(' ')), terms: r.terms, text: r.text, anyOne: true });
    }
    for (const g of this.lib.glossary) {
      const names = [g.term, ...g.synonyms];
      const said = names.find((n) => lower.includes(` ${n.toLowerCase()} `));
      if (!said) continue;
      // Only the entry's own name and meaning: single words of other synonyms ("standard" from
      // "standard deviation") would pull in unrelated passages.
      const text = `${g.term} ${(g.quote ?? g.explanation ?? '').replace(/\(CC[1-5][^)]*\)/g, ' ')}`;
      out.push({ from: terms(said), terms: terms(text), text });
    }
    return out;
  }

  private explicitRef(
    q: string,
  ): { ref: { areaId: AreaId; subAreaId?: string }; rest: string[]; text: string } | undefined {
    const m = /\bcc\s*[1-5](?:\s*[.-]?\s*(?:[a-j]\b|general)\.?)?/i.exec(q);
    if (!m) return undefined;
    const parsed = parseCompetencyRef(m[0]);
    if (!parsed) return undefined;
    const rest = terms(q.slice(0, m.index) + ' ' + q.slice(m.index + m[0].length));
    const ref =
      parsed.kind === 'area'
        ? { areaId: parsed.areaId }
        : { areaId: parsed.subAreaId.slice(0, 3) as AreaId, subAreaId: parsed.subAreaId };
    const area = this.lib.framework.areas.find((a) => a.id === ref.areaId);
    const sub = ref.subAreaId ? area?.subAreas.find((s) => s.id === ref.subAreaId) : undefined;
    const ownTitle = new Set(terms(`${area?.title ?? ''} ${sub?.title ?? ''}`));
    return {
      ref,
      text: m[0],
      rest: rest.filter(
        (t) =>
          !ownTitle.has(t) &&
          !['area', 'sub', 'subarea', 'section', 'statement', 'cc', 'framework'].includes(t),
      ),
    };
  }

  private docIdOf(h: Hit): string {
    switch (h.kind) {
      case 'statement':
        return `statement:${h.statement.id}`;
      case 'area':
        return `area:${h.area.id}`;
      case 'subArea':
        return `subArea:${h.subAreaId}`;
      case 'activity':
        return `activity:${h.activity.id}`;
      case 'resource':
        return `resource:${h.resource.id}`;
      case 'passage':
        return `passage:${h.passage.id}`;
      case 'glossary':
        return `glossary:${h.term.term}`;
    }
  }

  /**
   * The index's results with each document's boost applied afterwards. A document's boost multiplies
   * every term's score alike, so multiplying the sum gives the same ranking, without minisearch
   * calling a boost function for every posting of every term searched (most of a search's work).
   */
  private searchIndex(
    query: string,
    filter: (id: string) => boolean,
    boosts: ReadonlyMap<string, number>,
  ): Found[] {
    // A question and its expansions repeat words; each is looked up once, weighted by how often it
    // was said (minisearch sums a repeated word's scores, so the ranking is the same).
    const counts = new Map<string, number>();
    for (const t of terms(query)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const results = this.index.search([...counts.keys()].join(' '), {
      filter: (r) => filter(docId(r)),
      tokenize: splitOnSpaces,
      processTerm: asProcessed,
      boostTerm: (t) => counts.get(t) ?? 1,
    });
    return results
      .map((r): Found => {
        const id = docId(r);
        return { id, score: r.score * (boosts.get(id) ?? 1), queryTerms: r.queryTerms };
      })
      .sort((a, b) => b.score - a.score);
  }

  /** The framework area a topic belongs to, from the best statement, sub-area or area that matches it. */
  private topicArea(question: string): AreaId | undefined {
    const original = terms(question);
    const expansions = this.expand(question);
    const hit = this.searchIndex(
      [question, ...expansions.map((e) => e.text)].join(' '),
      (id) => /^(statement|subArea|area):/.test(id),
      this.boostsFor(false, undefined),
    )
      .slice(0, 20)
      .find((r) => this.coverage(original, expansions, new Set(r.queryTerms)) >= 0.5);
    return hit ? this.areaOfDoc(hit.id) : undefined;
  }

  /**
   * Passages (quoted sources) rank a little above framework text; a question about managers favours
   * their activities; one naming a level favours statements at that level over the others.
   */
  private boostsFor(aboutManagers: boolean, level: Level | undefined): Map<string, number> {
    const key = `${String(aboutManagers)}:${level ?? ''}`;
    let table = this.boostTables.get(key);
    if (!table) {
      table = new Map();
      for (const [id, f] of this.facts) {
        const boost =
          (f.kind === 'passage' ? 1.3 : 1) *
          (aboutManagers && f.kind === 'activity' ? 2 : 1) *
          (level && f.kind === 'statement' ? (f.levels.has(level) ? 1.5 : 0.7) : 1) *
          // "Trainee here - how can my manager help…": what the framework suggests for that level alone first.
          (level && f.kind === 'activity' && f.levels.size === 1 ? (f.levels.has(level) ? 1.5 : 0.8) : 1);
        if (boost !== 1) table.set(id, boost);
      }
      this.boostTables.set(key, table);
    }
    return table;
  }

  private supports(docId: string, area: AreaId): boolean {
    return this.facts.get(docId)?.supports.has(area) ?? false;
  }

  private areaOfDoc(docId: string): AreaId | undefined {
    return this.facts.get(docId)?.area;
  }

  private buildDocs(): Doc[] {
    const docs: Doc[] = [];
    const none = new Set<never>();
    const add = (doc: Doc, hit: () => Hit, facts: Partial<DocFacts> = {}) => {
      docs.push(doc);
      this.facts.set(doc.id, { kind: doc.kind, supports: none, levels: none, hit, ...facts });
    };
    for (const s of allStatements(this.lib)) {
      add(
        {
          id: `statement:${s.statement.id}`,
          kind: 'statement',
          title: s.subArea.title,
          text: s.statement.text,
          tags: `${s.area.title} ${s.statement.levels.join(' ')}`,
        },
        () => ({ kind: 'statement', score: 0, ...s }),
        { area: s.area.id, levels: new Set(s.statement.levels) },
      );
    }
    for (const area of this.lib.framework.areas) {
      add(
        {
          id: `area:${area.id}`,
          kind: 'area',
          title: `${area.id} ${area.title}`,
          text: area.subAreas.map((s) => s.title).join(' '),
          tags: 'area areas',
        },
        () => ({ kind: 'area', score: 0, area }),
        { area: area.id },
      );
      for (const sub of area.subAreas) {
        add(
          { id: `subArea:${sub.id}`, kind: 'subArea', title: sub.title, text: sub.title, tags: area.title },
          () => ({ kind: 'subArea', score: 0, area, subAreaId: sub.id }),
          { area: area.id },
        );
      }
    }
    for (const activity of this.lib.framework.activities) {
      add(
        {
          id: `activity:${activity.id}`,
          kind: 'activity',
          title: 'line manager activity',
          text: activity.text,
          tags: `manager managers suggested activities ${activity.supports.join(' ')}`,
        },
        () => ({ kind: 'activity', score: 0, activity }),
        { supports: new Set(activity.supports), levels: new Set(activity.levels) },
      );
    }
    for (const resource of this.lib.framework.resources) {
      add(
        {
          id: `resource:${resource.id}`,
          kind: 'resource',
          title: resource.title,
          text: resource.detail ?? '',
          tags: `${resource.category} resource resources training course courses recommended`,
        },
        () => ({ kind: 'resource', score: 0, resource }),
        { area: resource.helpsWith[0]?.slice(0, 3) as AreaId | undefined },
      );
    }
    for (const passage of this.lib.passages) {
      add(
        {
          id: `passage:${passage.id}`,
          kind: 'passage',
          title: passage.title,
          text: [passage.quote, passage.also?.quote ?? ''].join(' '),
          tags: passage.tags.join(' '),
        },
        () => ({ kind: 'passage', score: 0, passage }),
      );
    }
    for (const term of this.lib.glossary) {
      add(
        {
          id: `glossary:${term.term}`,
          kind: 'glossary',
          title: term.term,
          text: term.quote ?? term.explanation ?? '',
          tags: 'abbreviation acronym',
        },
        () => ({ kind: 'glossary', score: 0, term }),
      );
    }
    return docs;
  }
}

/** How much more a document saying all of a question's pairs of words together ranks. */
const PHRASE_BONUS = 0.5;

/** A sequence of words two by two ("a b", "b c"), each pair once. */
function pairsOf(words: readonly string[]): string[] {
  const out = new Set<string>();
  words.forEach((w, i) => {
    const next = words[i + 1];
    if (next !== undefined && next !== w) out.add(`${w} ${next}`);
  });
  return [...out];
}

function expansionMatched(e: Expansion, said: string, matched: Set<string>): boolean {
  // "Training" is matched by a document saying "courses", even where the question said both.
  if (e.anyOne) return e.terms.some((x) => x !== said && matched.has(x));
  const own = e.terms.filter((x) => x !== said && !e.from.includes(x));
  if (own.length === 0) return e.terms.some((x) => matched.has(x));
  return own.filter((x) => matched.has(x)).length * 2 >= own.length;
}

interface Expansion {
  /** The question's own terms that named the glossary entry. */
  from: string[];
  terms: string[];
  text: string;
  /** Alternatives (everyday words' framework equivalents): any one of them matching is enough. */
  anyOne?: boolean;
}
