import nlp from 'compromise';
import { formatLongDate } from '../calendar.js';
import { ensure } from '../ensure.js';
import {
  checkEligibility,
  type CriterionResult,
  type EligibilityResult,
} from '../eligibility/eligibility.js';
import { EligibilityAnswersSchema, type EligibilityRules } from '../eligibility/eligibilitySchema.js';
import type { GlossaryTerm } from '../dataSchemas.js';
import type { AreaId, Level, Resource } from '../frameworkSchema.js';
import { allStatements, findSubArea, subAreaLabel, type Library } from '../library.js';
import { MIN_COVERAGE, terms, type Hit, type QuestionAnswerer } from '../questionAnswering.js';
import { HELPING_SOMEONE, readEligibilityFacts, type FactsInWords } from './eligibilityInWords.js';
import { QuestionNormaliser } from './normalise.js';
import type { Vocabulary } from './vocabulary.js';

type LevelSet = 'trainee' | 'approved' | 'both';
/** An area's or sub-area's title as index terms, with its area's. */
interface PartTitle {
  ref: { areaId: AreaId; subAreaId?: string };
  words: string[];
  areaWords: string[];
}
type StatementHit = Extract<Hit, { kind: 'statement' }>;
type ActivityHit = Extract<Hit, { kind: 'activity' }>;

/** The list with the item at `index` moved to the front; the list as it is when there is none there. */
function toFront<T>(items: T[], index: number): T[] {
  const item = items[index];
  return item === undefined ? items : [item, ...items.slice(0, index), ...items.slice(index + 1)];
}

/** A "Did you mean" button: what it says, and the question it asks when pressed. */
export interface Suggestion {
  title: string;
  ask: string;
}

export interface HitGroup {
  heading: string;
  hits: Hit[];
}

export type Reply =
  | {
      kind: 'answer';
      /** Our direct answer in a sentence or two, shown apart from the quotes. */
      lead: string;
      hits: Hit[];
      /** A list answer's hits grouped (by level); when present it is what is shown. */
      groups?: HitGroup[];
      /** For a question about levels: the levels the thing asked about applies to. */
      levels?: LevelSet;
      areaIds: AreaId[];
      aboutEligibility: boolean;
      didYouMean: Suggestion[];
    }
  | { kind: 'competency'; ref: { areaId: AreaId; subAreaId?: string } }
  | { kind: 'activities'; areaId?: AreaId; level?: Level; lead?: string }
  | {
      kind: 'eligibility';
      facts: FactsInWords;
      result: EligibilityResult;
      /** Our answer: the verdict, the dates, what was assumed and what is still unknown. */
      lead: string;
      assumptions: string[];
    }
  | {
      kind: 'decline';
      /** What the sources do not cover, when it is a known topic ("fees or costs"). */
      topic?: string;
      pointer?: string;
      /** Passages near the question, offered as what the sources do say. */
      near: Hit[];
      didYouMean: Suggestion[];
    };

/** Someone the asker helps: their staff, coder, trainee, team, or "her", "him", "them". */
const SOMEONE_ELSE =
  /\b(my|our|a|an|the|their) ((new|approved|trainee|junior|senior|clinical|experienced) )?(staff|staff member|team|team members?|coders?|trainees?|auditors?|colleagues?|people|apprentices?|direct reports?|reports)\b|\b(her|him|them|someone|somebody|staff)\b/;
const MANAGER = /\b(line manager|managers?|supervisor|boss|team leader|line management)\b|\bactivit(y|ies)\b/;
const MANAGER_WORDS =
  /\b(my |the |a |their )?(line manager|managers?|supervisor|boss|team leader|line management)\b|\b(suggested|suggest|suggests|suggestions?|activit(y|ies)|help|helps|support|supports|develop|developing|improve|improving|do|give|set|for|with|me|staff|member|someone|people|my|their|framework|say|says|list|lists|should|could|can|would|him|her|them|he|she|they|team member|coders?|colleagues?|his|gets|according|there|are|is|any|what|which|how|setting|getting|making|doing|having|using|taking|encourage|encouraging|boost|boosting|build|building|work on|working on|keeps|keep|asking|tips|tip|advice|ways|way|ideas for|any ideas|deal with|dealing with|cope with|coping with|handle|handling)\b/g;
const RESOURCES =
  /\b(get|getting) (my|your|their|his|her) head (a)?round\b|\banything to help (me|us|them) (with|get|understand|learn)\b|\bsend (me|him|her|them|someone|staff|(my|our|a) [a-z]+( [a-z]+)?) on\b|\b(suggest|recommend|suggests|recommends) (anywhere|anything to (go on|attend|do|read))\b|\bbrush(ing)? up\b|\b(read|swot|skill) up\b|\bupskill(ing)?\b|\bto learn\b|\bpractise\b|\bpractice (questions|exercises|papers)\b|\bexercises?\b|\banywhere to\b|\bcourses?\b|\btraining (on|in|for|about)\b|\bcourses? (on|in|for|about)\b|\bany (training|courses?|e-?learning)\b|\bis there (any )?(training|a course|anything to read)\b|\blearn (about|more)\b|\b(read|reading|resources?|books?|reference|manuals?|materials?|guides?|guidance|websites?|links?|e-?learning|recommended|recommend|booklets?|workbooks?|webinars?|where (can|do|could|would) (i|we|you) (learn|find|get|buy|order|download)|what should i (read|study|use)|revise|revision|study)\b/;
const RESOURCE_WORDS =
  /\b(head|round|around|help|getting|send|sending|something|anything|suggest|suggests|brush|brushing|swot|upskill|upskilling|want|wants|my|our|team|member|coder|coders|staff|to learn|anywhere|training|courses?|is there|learn|more|framework|list|lists|recommends|the|get|buy|order|download|could|would|do|we|you|read|reading|resources?|books?|reference|manuals?|materials?|guides?|guidance|websites?|links?|e-?learning|recommended|recommend|where|learn|find|study|revise|revision|use|good|any|are|there|for|about|on|should|i|can|to|up|more)\b/g;
/** Words that make a name a resource's: "the Microsoft Office courses", "the eAssessment modules". */
const RESOURCE_NAMED =
  /\b(courses?|modules?|manuals?|books?|handbooks?|guides?|e-?learning|masterclass(es)?|booklets?|webinars?|training|eassessments?|toolkit|awareness)\b/;
const GETTING_HOLD_OF =
  /\b(where|how) (do|can|could|would|should) (i|we|you|they|one) (get|find|access|obtain|see|download)\b|\bwho (gets|can get|has access|can access|can see)\b|\bhow (to|do i) get (hold of|access)\b/;
/** Kinds of resource a question may ask for, and how a resource's title or line says it is one. */
const RESOURCE_KINDS: { asked: RegExp; is: RegExp }[] = [
  { asked: /\be-?learning\b|\bonline (course|module|learning)s?\b/, is: /\be-?learning\b|\bonline\b/i },
  { asked: /\b(videos?|masterclass(es)?|webinars?)\b/, is: /\b(video|masterclass(es)?|webinars?)\b/i },
  { asked: /\b(reference )?books?\b/, is: /\bbook\b/i },
  { asked: /\bmanuals?\b/, is: /\bmanual\b/i },
  { asked: /\bhandbooks?\b/, is: /\bhandbook\b/i },
  { asked: /\bguides?\b|\bguidance\b/, is: /\bguide\b/i },
  { asked: /\b(booklets?|exercises?|practi[cs]e)\b/, is: /\b(booklets?|exercises?)\b/i },
];

/**
 * "Is the report writing course mandatory for auditors?": whether something is required, which the
 * requirements answer, not a reading list; unless reading is what is asked about.
 */
const ASKS_IF_REQUIRED =
  /^(?!.*\b(read|reading|resources?|recommend\w*|books?|e-?learning|materials?|guides?)\b).*\b(mandatory|compulsory|obligatory|essential|a must|a requirement|required (for|to|of|before)|(is|are) (it|they|that|this|one|a|an|the [a-z -]+) (required|needed))\b/;

/** When someone means to do something, which is not what they ask the manager for: "going for CCAP next year". */
const WHEN_SAID =
  /\b(next|this|coming|following) (year|month|week|spring|summer|autumn|winter)\b|\b(soon|shortly|eventually|one day)\b|\b(going|planning|hoping|aiming) (for|to)\b/g;
/** Why someone asks, which is not what they ask about: "…aren't great", "before I apply for CCAP". */
const WHY_ASKING =
  /\b(is|are|am) (not|never) (great|good|very good|brilliant|strong)\b|\b(rusty|weak|poor|bad|not great|need to get better at|get better at|improve)\b|\b(before|when|for when|so) (i|we) (apply|go|start|get)\b.*$|\b(suggests?|suggested|suggestions?)\b/g;
const LEVEL_QUESTION = new RegExp(
  [
    '\\b(only|just|solely|exclusively)\\b.*\\b(approved|trainees?)\\b',
    '\\b(approved|trainees?)\\b.*\\b(only|just)\\b',
    '\\b(which|what) levels?\\b',
    '\\bboth levels\\b',
    '\\b(my|this|that|the same|each|either) level\\b',
    "\\btrainees? (do not |does not |don't |dont )?(need|needs|have to|expected|required|must|should)\\b",
    '\\bdo(es)? (a |the |i |we )?(need|have)?.*\\b(as )?(an? )?trainees?\\b',
    '\\bas an? (trainee|approved)\\b',
    '\\b(for|at) (the )?(trainee|approved)( auditor)? level\\b',
    '\\bapply to (trainees?|approved)\\b',
    '\\bexpected of (a )?(trainees?|approved)\\b',
    '\\b(is|are)\\b.*\\b(for|meant for|expected of|needed by|needed for|required (for|of)|just for|only for|needed at|required at) (an? |the )?(trainees?|approved)\\b',
    '\\btrainee or approved\\b',
    '\\b(expect|expects|expected|need|needs)( of)? (an? |the )?(trainees?|approved)( auditors?)? to\\b',
    '\\b(trainees?|approved)( auditors?)? (to know|need to know|should know|have to know)\\b',
    '\\b(trainee|approved) (column|tick|list|side)\\b',
    '\\bapproved or trainee\\b',
    // "… - trainees too?", "… - for trainees as well?", "…, approved only?": the level asked after a dash.
    '(^|[-:,]\\s*)((for|by|of|at) )?(an? |the )?(trainees?|approved)( auditors?)?( level)?( too| as well| also| only)?\\s*\\?+$',
    '\\btrainees?( auditors?)?\\b.*\\b(do|does|would|will) (they|we|i|you|he|she) (need|have to|have)\\b',
    '\\b(a|an) (trainee|approved)( auditor)?( level)? (thing|skill|requirement|competency)\\b',
    // "Is casemix trainee level?", "level for easyaudit", "do approved auditors need the refresher?"
    '\\b(trainee|approved)( auditors?)? level\\b',
    // "Would a trainee be expected to draft audit plans?", "do you need to be approved to …?"
    '\\b(would|will|should|is|are|do|does|can|could) (a |an |the )?(trainees?|approved)( auditors?)? (be )?(expected|required|allowed|able|meant|supposed|asked)\\b',
    '\\b(need|have|got) to be (an? )?(approved|trainee)\\b',
    // "Can trainees go to the auditor forums?"
    '\\b(can|could|may|do|does) (a |an )?trainees?( auditors?)? (use|access|attend|go to|do|undertake|have)\\b',
    '\\blevel for\\b',
    '\\bdo(es)? (an? |the )?(trainees?|approved)( auditors?)? (need|have to|have|still need)\\b',
  ].join('|'),
);
const LEVEL_WORDS =
  /\b(only|just|solely|exclusively|approved|trainees?|auditors?|levels?|both|which|what|need|needs|needed|have to|expected|required|must|should|apply|applies|do|does|is|are|for|at|the|a|an|or|of|to|know|knowing|understand|understanding|aware|awareness|be|able|meant|my|me|i|am|true|really|actually|thing|things|too|also|others?|people|person|someone|somebody|colleagues|staff|expect|expects|framework|about|column|tick|list|side|in)\b/g;
const ENTRY =
  /\b(apply|applying|eligible|eligibility|entry|requirements?|get on|get onto|go on|qualify for|prerequisites?|pre-?reqs?|criteria|what do (i|you|we|they) need)\b/;
const DURATION =
  /\bhow long\b|\bduration\b|\blength\b|\bhow many (months|years)\b|\b\d+ (months|years)\b|\b(months|years) (or|long)\b/;
const COVER =
  /\b(cover|covers|covered|include|includes|included|in it|section|part|bit|contain|contains|consist|what is in|expected|about|under|show me|tell me about|list)\b/;
/** A question about what a part of the framework asks for, and the words of asking it. */
const COVER_ASK =
  /\b(cover|covers|covered|include|includes|included|listed|list|lists|want|wants|expect|expects|expected|ask for|asks for|require|requires|required|involve|involves|competenc(y|ies)|statements?|sub[- ]?areas?|section|bit|part|what is in|what is under|about|need to know)\b/;
const COVER_ASK_WORDS =
  /\b(cover|covers|covered|include|includes|included|listed|list|lists|want|wants|expect|expects|expected|ask|asks|require|requires|required|involve|involves|competenc(y|ies)|statements?|sub[- ]?areas?|areas?|section|bit|part|cc ?[1-5] ?[a-j]?|us|they|them|it|framework|which|what|does|do|from|under|in|of|the|say|says|about|tell|me|look|like|need|needs|know)\b/g;
/** "What is covered under…", "what is in…": asking what a part holds, not what a word means. */
const ASKS_WHAT_IS_IN = /^what is (covered|in|included|expected|listed|required|needed|under)\b/;
/**
 * Asking what a part of the framework holds, however it starts: "what is the finance bit about",
 * "what skills are in communication", "what is in the spc section". Never a question of meaning.
 */
const ASKS_WHAT_PART_HOLDS = new RegExp(
  [
    ASKS_WHAT_IS_IN.source,
    '\\b(bit|section|part|sub[- ]?area)( of [a-z0-9 ]+)? (about|for)\\b',
    '\\b(what|which) (skills|competencies|statements|things|abilities) (are|is) (in|under|listed|covered|part of)\\b',
    '\\bwhat is in (the |that |this )?[a-z0-9 -]*\\b(bit|section|part|sub[- ]?area|area)\\b',
  ].join('|'),
);
const ASKS_WHAT_IT_HOLDS = /\b(made up of|consists? of|involves?|what parts|which parts|components?)\b/;
const DEFINE_WORDS =
  /\b(define|definition of|meaning of|what is meant by|stand for|stands for|short for|explain)\b/g;
const DEFINE =
  /^(what is|what are|meaning of|define|definition of|explain|what is meant by)\b|\b(stand for|stands for|mean|means|meaning|short for|abbreviation|acronym)\b/;

const LEVEL_SET: Record<LevelSet, string> = {
  both: 'both levels: trainee and approved auditors',
  approved: 'approved auditors only',
  trainee: 'trainee auditors only',
};

function levelSetOf(levels: readonly Level[]): LevelSet {
  return levels.includes('trainee') && levels.includes('approved')
    ? 'both'
    : levels.includes('trainee')
      ? 'trainee'
      : 'approved';
}

/** The levels a hit applies to, where it has any. */
function levelsOfHit(h: Hit): readonly Level[] | undefined {
  if (h.kind === 'statement') return h.statement.levels;
  if (h.kind === 'activity') return h.activity.levels;
  return undefined;
}

/**
 * A list answer takes every activity matching at least this share of the topic's weighted words
 * (more than a word matched only through an abbreviation's expansion, which counts 0.6)…
 */
const LIST_MIN_COVERAGE = 0.62;
/** …or half of them, when it also scores at least this share of the best. */
const LIST_SHARE_OF_BEST = 0.1;

/**
 * A resource's own text is a title and a line, so a question names only part of it ("Excel courses"
 * for Microsoft Office courses): half its words suffice, as for any answer.
 */
const RESOURCE_MIN_COVERAGE = MIN_COVERAGE;
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "Consultant episodes…" → "consultant episodes…"; names ("ACC status…", "Clinical Coding Standards…") stay. */
const lowerFirst = (s: string) => (/^[A-Z][a-z]+ [a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/**
 * Answers a coder's question as asked: it reads the question in everyday wording, tells apart
 * what is being asked (a meaning, what an area covers, which level, what a manager can do, what
 * to read, a programme fact, or eligibility with the person's own facts), and answers with a
 * direct sentence of ours, then the sources' quotes; or says plainly what its sources do not cover.
 */
export class QuestionService {
  private readonly normaliser: QuestionNormaliser;
  /** Each area's and sub-area's title as index terms, for questions that name a part by its title. */
  private readonly partTitles: PartTitle[];
  /** The headings of the framework's resource list, as index terms ("Classification Resources" → classif). */
  private readonly resourceHeadings: { heading: string; words: string[] }[];
  /** Each resource with the words of its title, for questions that name one. */
  private readonly resourceTitles: { resource: Resource; words: ReadonlySet<string> }[];
  private readonly notCovered: { rule: Vocabulary['notCovered'][number]; when: RegExp[]; unless: RegExp[] }[];

  constructor(
    private readonly lib: Library,
    private readonly qa: QuestionAnswerer,
    private readonly vocab: Vocabulary,
    private readonly rules: EligibilityRules,
  ) {
    this.normaliser = new QuestionNormaliser(vocab, wordsOf(lib));
    this.partTitles = lib.framework.areas.flatMap((area) => {
      const areaWords = terms(area.title);
      return [
        { ref: { areaId: area.id }, words: areaWords, areaWords },
        ...area.subAreas
          .filter((sub) => sub.title !== 'General')
          .map((sub) => ({
            ref: { areaId: area.id, subAreaId: sub.id },
            words: terms(sub.title.replace(/\((core)\)|\bin the nhs\b/gi, ' ')),
            areaWords,
          })),
      ].filter((c) => c.words.length > 0);
    });
    this.resourceHeadings = [...new Set(lib.framework.resources.map((r) => r.category))]
      .map((heading) => ({ heading, words: terms(heading.replace(/\bresources?\b/gi, ' ')) }))
      .filter((h) => h.words.length > 0);
    this.resourceTitles = lib.framework.resources.map((resource) => ({
      resource,
      words: new Set(terms(resource.title)),
    }));
    this.notCovered = vocab.notCovered.map((rule) => ({
      rule,
      when: rule.when.map((r) => new RegExp(r, 'i')),
      unless: rule.unless.map((r) => new RegExp(r, 'i')),
    }));
  }

  normalise(question: string): string {
    // Long enough for someone listing their whole history before asking; the search itself reads less.
    return this.normaliser.normalise(question.slice(0, 1200));
  }

  reply(question: string, today: string): Reply {
    const text = this.normalise(question);
    if (terms(text).length === 0) return this.decline(text);

    const facts = readEligibilityFacts(text, today, this.rules);
    if (facts) return this.eligibility(facts, today);

    const off = this.notCovered.find(
      (n) => n.when.some((re) => re.test(text)) && !n.unless.some((re) => re.test(text)),
    );
    if (off) return this.decline(text, off.rule);

    const reply = this.answerAsked(text);
    if (reply.kind !== 'decline') return reply;
    // "Does it come in more visual formats? My team prefer pictures to tables": words around the
    // question weigh it down; the sentences that ask are tried alone, before saying no.
    const sentences = askingSentences(text);
    for (const sentence of sentences) {
      const alone = this.answerAsked(sentence);
      if (alone.kind !== 'decline') return alone;
    }
    // "How many months is the apprenticeship meant to run for?": a question's topic is in its
    // nouns; verbs and adverbs the sources rarely use ("meant", "reckons", "properly") weigh it
    // down. Tried without them last, so a question about something the sources lack still is
    // declined for its nouns.
    for (const sentence of [text, ...sentences]) {
      const nouns = nounsAndAskingWords(sentence);
      if (nouns === sentence || terms(nouns).length === 0) continue;
      const plain = this.answerAsked(nouns);
      if (plain.kind === 'answer' && this.coversEveryWord(nouns, plain)) return plain;
    }
    return reply;
  }

  /** A resource whose title uses every informative word of `text` (a resource named, not a topic). */
  private resourceNamed(text: string): Extract<Hit, { kind: 'resource' }> | undefined {
    // "SNOMED CT - trainees too?" names a sub-area; "the SNOMED CT awareness course" a resource.
    if (!RESOURCE_NAMED.test(text)) return undefined;
    const asked = terms(text);
    if (asked.length < 2) return undefined;
    const named = this.resourceTitles.find(({ words }) => asked.every((t) => words.has(t)));
    return named && { kind: 'resource', score: 0, resource: named.resource };
  }

  /** Who a resource is for, when its own line says so ("available to approved … only", "for all levels"). */
  private resourceLevelLead(resource: Resource): string {
    const name = resource.title.split(/ - | \(/)[0] ?? resource.title;
    return resource.detail && /\b(all levels|trainees?|approved|only)\b/i.test(resource.detail)
      ? `${name}: the framework's own line on it, below, says who it is for.`
      : `${name} is among the framework's resources; the framework does not say which level it is for.`;
  }

  /** Whether the answer's first source uses every informative word of `text`, itself or a related one. */
  private coversEveryWord(text: string, reply: Extract<Reply, { kind: 'answer' }>): boolean {
    const first = reply.hits[0];
    if (!first) return false;
    const id = this.qa.idOf(first);
    return this.qa.find(text, { minCoverage: 0.99, limit: 12 }).some((f) => this.qa.idOf(f.hit) === id);
  }

  /** What a question (its facts and off-limits topics already dealt with) asks, answered. */
  private answerAsked(text: string): Reply {
    // "How do I support my coder…", "what can I do to help my staff…": a manager asking, unnamed.
    // "Where would my coder get conflict management training?" asks for a course, not for what a
    // manager can do, unless a manager or that is named.
    const asksForTraining =
      !MANAGER.test(text) &&
      RESOURCES.test(text) &&
      /^(where|which|what|is there|are there|any)\b/.test(text) &&
      !/\b(help|support|do|activit(y|ies))\b/.test(text);
    // "How do I become a coding manager?" asks about a career, not about what managers do.
    const becomingOne = /\b(become|becoming|be|promoted to) (a |an )?([a-z]+ ){0,2}managers?\b/.test(text);
    if (
      !becomingOne &&
      (MANAGER.test(text) || (!asksForTraining && HELPING_SOMEONE.test(text) && SOMEONE_ELSE.test(text)))
    ) {
      const r = this.activities(text);
      if (r) return r;
    }
    // "What does a trainee need before applying for CCAP?" asks for entry requirements, not a level.
    // The apprenticeship's "level" is a qualification level (Level 3), not an auditor level.
    const apprenticeshipLevel =
      /\b(apprenticeship|st0535)\b/.test(text) && !/\b(trainees?|approved)\b/.test(text);
    if (
      LEVEL_QUESTION.test(text) &&
      !apprenticeshipLevel &&
      !(ENTRY.test(text) && /\b(ccap|cctp|apprenticeship)\b/.test(text))
    ) {
      // "Are the Microsoft Office courses just for approved auditors?": a resource named in full is
      // asked about, and its own line says who it is for.
      const resource = this.resourceNamed(
        text
          .replace(LEVEL_WORDS, ' ')
          .replace(
            /\b(can|could|use|using|go on|going on|take|taking|attend|attending|access|get|getting|them|it|they|these|those|can't|cannot)\b/g,
            ' ',
          ),
      );
      if (resource) return plainAnswer(this.resourceLevelLead(resource.resource), [resource]);
      const r = this.levelAnswer(text);
      if (r) return r;
    }
    // "Is the coder apprenticeship a level 2 or level 3?": the apprenticeship's own level, which its
    // summary gives, unless English or maths is what the level is asked of.
    if (
      apprenticeshipLevel &&
      /\blevel\b/.test(text) &&
      !/\b(english|maths?|functional skills|gcses?|entry level)\b/.test(text)
    ) {
      const summary = this.qa.hitById('passage:app-summary');
      if (summary) return plainAnswer(this.leadFor(summary, [summary]), [summary]);
    }
    // "Where can I find the framework?" asks for the document itself, not a reading list.
    if (
      RESOURCES.test(text) &&
      !(/\b(where|find|get|download|copy)\b/.test(text) && /\b(framework|document)\b/.test(text)) &&
      !ASKS_IF_REQUIRED.test(text) &&
      // "Who can deliver official coding courses?" asks after people, not for a reading list.
      !/^who\b/.test(text)
    ) {
      const r = this.resources(text);
      if (r) return r;
    }
    // "Audit strategy - which competencies are listed under it?": a part named by its title and
    // nothing else is asked what it covers.
    if (
      (COVER_ASK.test(text) || ASKS_WHAT_PART_HOLDS.test(text)) &&
      (ASKS_WHAT_PART_HOLDS.test(text) || !DEFINE.test(text))
    ) {
      const part = this.partTitled(text);
      if (part) return { kind: 'competency', ref: part };
    }
    // "Where does the framework talk about presentations?": the framework is where to look, not
    // what is asked about, unless it is all that is asked about ("who is the framework for?").
    const withoutFramework = text.replace(/\b(the )?(competency |auditor )?framework\b/g, ' ');
    const topic = terms(withoutFramework).length > 0 ? withoutFramework : text;
    // "Define HRG": the asking words are not the topic ("define" is a word in CC1 b.'s statements).
    // "What's the EPA made up of?" asks what a thing holds, not what its name means.
    if (DEFINE.test(topic) && !ASKS_WHAT_PART_HOLDS.test(topic) && !ASKS_WHAT_IT_HOLDS.test(topic))
      return this.search(topic.replace(DEFINE_WORDS, ' '), true, text);
    return this.search(topic, false, text);
  }

  /** The ids an answer cites, in order, for the evaluation and for tests. */
  citesOf(reply: Reply): string[] {
    switch (reply.kind) {
      case 'answer':
        return reply.hits.map((h) => this.qa.idOf(h));
      case 'competency':
        return [reply.ref.subAreaId ? `subArea:${reply.ref.subAreaId}` : `area:${reply.ref.areaId}`];
      case 'activities':
        return [
          reply.areaId ? `activities:${reply.areaId}` : 'activities',
          ...this.lib.framework.activities
            .filter(
              (a) =>
                (!reply.areaId || a.supports.includes(reply.areaId)) &&
                (!reply.level || a.levels.includes(reply.level)),
            )
            .map((a) => `activity:${a.id}`),
        ];
      case 'eligibility':
        return [`eligibility:${reply.facts.programmeId}`];
      case 'decline':
        return [];
    }
  }

  /** `text` is what to search for; `whole` the whole question, which says which sources are in scope. */
  private search(text: string, define: boolean, whole = text): Reply {
    let answer = this.qa.answer(text);
    // "What's the CCSRC? It's in the CC2 bit": the area names where it was seen, not what is asked.
    if (define && answer.status === 'competency') {
      const without = this.qa.answer(text.replace(/\bcc\s*[1-5](\s*[a-j]\b)?/gi, ' '));
      if (without.status === 'answered') answer = without;
    }
    if (answer.status === 'competency') return { kind: 'competency', ref: answer.ref };
    if (answer.status === 'activities') return { kind: 'activities', areaId: answer.areaId };
    if (answer.status === 'no-match') {
      // "Sorry if this is dumb, but what does SPC mean?": the term named is the question.
      // Only when the term is all that is asked about: "what's the HRG for <a procedure>" is not.
      const term = define ? this.qa.glossaryNamed(text) : undefined;
      if (term?.kind !== 'glossary' || !this.isAbout(text, term.term)) return this.decline(text);
      const about = this.qa.answer(term.term.term);
      answer = {
        status: 'answered',
        hits: [term, ...(about.status === 'answered' ? about.hits.filter((h) => h.kind !== 'glossary') : [])],
        areaIds: about.status === 'answered' ? about.areaIds : [],
        aboutEligibility: false,
        alternatives: [],
      };
    }
    let hits = answer.hits;
    // "What is ACC?": the meaning first, then what the framework says about it.
    // "Is the NCCQ the same thing as ACC?": the meanings of the terms compared.
    const comparing = /\b(same( thing)? as|difference between|different from|vs|versus)\b/.test(whole);
    const named = define || comparing ? this.qa.glossaryNamed(text) : undefined;
    // Only where the term is what is asked about: "the English and maths minimum with an EHC plan" is not.
    if (named?.kind === 'glossary' && this.isAbout(text, named.term)) {
      const g = hits.findIndex((h) => h.kind === 'glossary' && h.term === named.term);
      if (g > 0) hits = toFront(hits, g);
      else if (g < 0) hits = [named, ...hits].slice(0, 4);
      // One meaning, and what the framework says about it: other terms met on the way are not asked.
      hits = [
        ensure(hits[0], 'the meaning asked about, first'),
        ...hits
          .slice(1)
          .filter((h) => h.kind !== 'glossary')
          .slice(0, 2),
      ];
    }
    // "How is the apprentice assessed at the end?" asks about the thing, not its name: the passage
    // about it leads, and the glossary's meaning follows.
    const first = hits[0];
    if (!define && first?.kind === 'glossary') {
      const names = [first.term.term, ...first.term.synonyms].map((n) => n.toLowerCase());
      // A passage titled with the name is about the thing; one merely tagged with it may not be.
      const titled = (title: string) => {
        const words = ` ${title.toLowerCase().replace(/[^a-z0-9-]+/g, ' ')} `;
        return names.some((n) => words.includes(` ${n} `));
      };
      const about = hits.findIndex((h) => h.kind === 'passage' && titled(h.passage.title));
      if (about > 0) hits = toFront(hits, about);
    }
    const top = ensure(hits[0], 'an answered question with a hit');
    // A whole area or sub-area asked about ("what's in the stats section") is shown as the area card.
    // "Who developed the framework?" asks after people or a body, never what a part covers.
    if (
      !/^who\b/.test(text) &&
      ((COVER.test(text) && !(define && top.kind === 'glossary')) ||
        top.kind === 'area' ||
        top.kind === 'subArea')
    ) {
      const part = this.partAskedAbout(text);
      if (part) return { kind: 'competency', ref: part };
    }
    const scoped = this.withoutOtherProgrammes(whole, hits);
    // Everything found was about the other programme: the words left out decide after all.
    if (scoped === hits && text !== whole && this.allFromOtherProgramme(whole, hits))
      return this.search(whole, define, whole);
    // "What do I get at the end of CCAP?" found only the apprenticeship's end-point assessment: the
    // pages about what was asked say nothing on it, and another programme's answer would mislead.
    if (scoped === hits && this.allFromOtherProgramme(whole, hits)) return this.decline(text);
    hits = this.namedProgrammeFirst(whole, scoped);
    // "Where is…", "who is it for…": a passage tagged with that question word answers it directly.
    // Only where the framework itself is the topic: "where does the framework talk about presentations" is not.
    // "What is the framework for?", "why…": its purpose.
    const asks =
      /^(where|who|why)\b/.exec(text)?.[1] ?? (/^what is\b.*\bfor\s*\??$/.test(text) ? 'purpose' : undefined);
    const aboutTheDocument =
      terms(
        text.replace(
          /\b(competency|competencies|framework|document|copy|find|get|download|aimed|use|used|held|kept|stored|published|located)\b/g,
          ' ',
        ),
      ).length === 0;
    if (asks && aboutTheDocument) {
      const tagged = hits.findIndex((h) => h.kind === 'passage' && h.passage.tags.includes(asks));
      if (tagged > 0) hits = toFront(hits, tagged);
    }
    // "Is the apprenticeship 18 months or 2 years?": how long something takes, not when it is reviewed.
    if (DURATION.test(text) && !/\breview/.test(text)) {
      const duration = hits.findIndex((h) => h.kind === 'passage' && h.passage.tags.includes('duration'));
      if (duration > 0) hits = toFront(hits, duration);
    }
    // "Who can apply…", "what do I need to get on…": the entry requirements answer it, not a description.
    if (ENTRY.test(text)) {
      const entry = hits.findIndex((h) => h.kind === 'passage' && h.passage.tags.includes('entry'));
      if (entry > 0) hits = toFront(hits, entry);
    }
    return {
      kind: 'answer',
      lead: this.leadFor(ensure(hits[0], 'an answered question with a hit'), hits),
      hits: this.withoutOtherAreas(hits),
      areaIds: answer.areaIds,
      aboutEligibility: answer.aboutEligibility,
      didYouMean: answer.alternatives.map((h) => this.suggestionFor(h)).filter((s): s is Suggestion => !!s),
    };
  }

  /**
   * The area or sub-area a "what does it cover" question names by its title ("the leadership part
   * of interpersonal skills" is CC3 c.): a sub-area wins over its area when both are named.
   */
  private partAskedAbout(text: string): { areaId: AreaId; subAreaId?: string } | undefined {
    const topic = text.replace(
      /\b(sub[- ]?areas?|areas?|framework|competency|competencies|of the|in the)\b/g,
      ' ',
    );
    const found = this.qa.find(topic, { kinds: ['subArea', 'area'], minCoverage: 0.6, limit: 8 });
    const asked = new Set(this.qa.termsWithExpansions(topic));
    // Every sub-area carries its area's title, so it counts only where its own title is named.
    const sub = found.find((f) => {
      if (f.hit.kind !== 'subArea') return false;
      const { subArea } = ensure(findSubArea(this.lib, f.hit.subAreaId), 'the sub-area of an indexed hit');
      const own = subArea.title;
      const areaWords = new Set(terms(f.hit.area.title));
      return terms(own).some((t) => !areaWords.has(t) && asked.has(t));
    });
    if (sub && sub.hit.kind === 'subArea') return { areaId: sub.hit.area.id, subAreaId: sub.hit.subAreaId };
    const area = found.find((f) => f.hit.kind === 'area')?.hit;
    return area?.kind === 'area' ? { areaId: area.area.id } : undefined;
  }

  /**
   * The sub-area (or else area) whose whole title the question names, when the question asks
   * nothing besides: "managing audits bit of CC1" is CC1 c. Management of audits.
   */
  private partTitled(text: string): { areaId: AreaId; subAreaId?: string } | undefined {
    const asked = new Set(terms(text.replace(COVER_ASK_WORDS, ' ')));
    if (asked.size === 0) return undefined;
    let best: { part: PartTitle; share: number } | undefined;
    for (const c of this.partTitles) {
      // Besides the title, only the area's own name may be said ("classifications in knowledge").
      if ([...asked].some((w) => !c.words.includes(w) && !c.areaWords.includes(w))) continue;
      // The whole title, or most of a long one ("teaching and learning" of "Teaching, learning and
      // self-development"): two of its words at least, and at least half.
      const named = c.words.filter((w) => asked.has(w)).length;
      if (named < c.words.length && (named < 2 || named * 2 < c.words.length)) continue;
      const share = named / c.words.length;
      if (!best || share > best.share || (share === best.share && c.words.length > best.part.words.length))
        best = { part: c, share };
    }
    return best?.part.ref;
  }

  /** Whether a question is about the glossary term itself: at most one informative word besides its name. */
  private isAbout(text: string, term: GlossaryTerm): boolean {
    const names = new Set(terms([term.term, ...term.synonyms].join(' ')));
    return terms(text).filter((t) => !names.has(t)).length <= 1;
  }

  /**
   * A question about the apprenticeship is not answered from the auditor pages, nor one about the
   * framework or the programmes from the apprenticeship pages, where passages of the right kind exist.
   */
  private withoutOtherProgrammes(text: string, hits: Hit[]): Hit[] {
    const scope = this.scopeOf(text);
    if (!scope) return hits;
    const kept = hits.filter(
      (h) => h.kind !== 'passage' || this.isApprenticeshipPassage(h) === (scope === 'apprenticeship'),
    );
    return kept.length > 0 ? kept : hits;
  }

  /**
   * "Can I go on the trainer course if I'm not an auditor?": a question naming one of the two
   * programmes (CCAP, CCTP) and not the other is answered first by the pages about the one named.
   */
  private namedProgrammeFirst(text: string, hits: Hit[]): Hit[] {
    const ccap = /\bccap\b/.test(text);
    const cctp = /\bcctp\b/.test(text);
    if (ccap === cctp) return hits;
    const named = ccap ? 'ccap' : 'cctp';
    const other = ccap ? 'cctp' : 'ccap';
    const otherOnly = (h: Hit) =>
      h.kind === 'passage' && h.passage.tags.includes(other) && !h.passage.tags.includes(named);
    return [...hits.filter((h) => !otherOnly(h)), ...hits.filter(otherOnly)];
  }

  /** Which pages a question is about, when it says so one way only. */
  private scopeOf(text: string): 'apprenticeship' | 'auditing' | undefined {
    const apprenticeship = /\bapprentice(ship)?s?\b|\bst0535\b|\bepa\b|\bend-point\b/.test(text);
    const auditing = /\b(framework|ccap|cctp|auditors?|trainers?|competenc(y|ies))\b/.test(text);
    return apprenticeship === auditing ? undefined : apprenticeship ? 'apprenticeship' : 'auditing';
  }

  private isApprenticeshipPassage(h: Hit): boolean {
    return h.kind === 'passage' && h.passage.source.startsWith('st0535');
  }

  /** Every hit is a passage of the other programme's pages than the question is about. */
  private allFromOtherProgramme(whole: string, hits: Hit[]): boolean {
    const scope = this.scopeOf(whole);
    return (
      scope !== undefined &&
      hits.length > 0 &&
      hits.every(
        (h) => h.kind === 'passage' && this.isApprenticeshipPassage(h) !== (scope === 'apprenticeship'),
      )
    );
  }

  /** Statements or activities from areas other than the best hit's are padding, not answer. */
  private withoutOtherAreas(hits: Hit[]): Hit[] {
    const area = (h: Hit) =>
      h.kind === 'statement' ? h.area.id : h.kind === 'subArea' || h.kind === 'area' ? h.area.id : undefined;
    const top = hits[0];
    const first = top ? area(top) : undefined;
    if (!first) return hits;
    return hits.filter((h) => {
      const a = area(h);
      return !a || a === first;
    });
  }

  private leadFor(top: Hit, hits: Hit[]): string {
    const ours = this.vocab.documents[this.qa.idOf(top)]?.answer;
    if (ours) return ours;
    switch (top.kind) {
      case 'glossary':
        // The quote itself follows; saying it twice would be padding.
        return top.term.explanation ?? '';
      case 'statement':
        return `The framework lists this under ${subAreaLabel(top.subArea)}, for ${LEVEL_SET[levelSetOf(top.statement.levels)]}.`;
      case 'activity':
        return `A line-manager activity the framework suggests for ${LEVEL_SET[levelSetOf(top.activity.levels)]}, supporting ${top.activity.supports.join(', ')}.`;
      case 'resource':
        return `The framework recommends ${top.resource.title}.`;
      case 'subArea': {
        const sub = ensure(findSubArea(this.lib, top.subAreaId), 'the sub-area of an indexed hit').subArea;
        return `${subAreaLabel(sub)} has ${sub.statements.length} statement${sub.statements.length === 1 ? '' : 's'}.`;
      }
      case 'area':
        return `${top.area.id} ${top.area.title} has ${top.area.subAreas.length} sub-areas.`;
      case 'passage':
        return hits.length > 1 && hits[1]?.kind === 'passage' && hits[1].supersededBy
          ? 'The current framework’s rule comes first; the 2012/13 rule is shown as history.'
          : '';
    }
  }

  private suggestionFor(h: Hit): Suggestion | undefined {
    const id = this.qa.idOf(h);
    const example = this.vocab.documents[id]?.examples[0];
    switch (h.kind) {
      case 'passage':
        return { title: h.passage.title, ask: example ?? h.passage.title };
      case 'glossary':
        return { title: `What is ${h.term.term}?`, ask: `what is ${h.term.term}` };
      case 'subArea': {
        const sub = ensure(findSubArea(this.lib, h.subAreaId), 'the sub-area of an indexed hit').subArea;
        return { title: subAreaLabel(sub), ask: `/competency ${h.subAreaId}` };
      }
      case 'statement':
        return { title: subAreaLabel(h.subArea), ask: `/competency ${h.subArea.id}` };
      case 'area':
        return { title: `${h.area.id} ${h.area.title}`, ask: `/competency ${h.area.id}` };
      default:
        return undefined;
    }
  }

  /** "How can my manager help me with presenting?": every activity about it, grouped by level. */
  private activities(text: string): Reply | undefined {
    const level = this.levelNamed(text);
    const exclusive = level !== undefined && /\b(only|just|solely)\b/.test(text);
    const ref = /\bcc\s*[1-5]\b/i.exec(text);
    const topic = text
      .replace(/\bcc\s*[1-5](\s*[a-j]\b)?/gi, ' ')
      .replace(WHEN_SAID, ' ')
      .replace(MANAGER_WORDS, ' ')
      .replace(LEVEL_WORDS, ' ');
    const areaNamed = ref ? (ref[0].replace(/\s+/g, '').toUpperCase() as AreaId) : undefined;
    // "Is there an activity that covers all 5 areas?": those supporting every area.
    if (/\b(all|every|each)( of the)? (5 |five )?(competency )?areas\b|\bevery area\b/.test(text)) {
      const everyArea = this.lib.framework.activities.filter(
        (a) => a.supports.length === this.lib.framework.areas.length,
      );
      if (everyArea.length > 0)
        return plainAnswer(
          `${everyArea.length === 1 ? 'One line-manager activity supports' : `${everyArea.length} line-manager activities support`} all ${this.lib.framework.areas.length} areas.`,
          everyArea.map((activity) => ({ kind: 'activity' as const, score: 0, activity })),
        );
    }
    // "Is that meant for my level?" asks which level an activity is for: it is not a filter.
    const askingLevel = LEVEL_QUESTION.test(text);
    const atLevel = (levels: readonly Level[], forTopic = true) =>
      !level ||
      (askingLevel && forTopic) ||
      (exclusive ? levels.length === 1 && levels[0] === level : levels.includes(level));
    if (terms(topic).length === 0) {
      if (!areaNamed && !/\bactivit/.test(text) && !level) return undefined;
      if (exclusive) {
        const hits = this.lib.framework.activities
          .filter((a) => atLevel(a.levels, false) && (!areaNamed || a.supports.includes(areaNamed)))
          .map((activity) => ({ kind: 'activity' as const, score: 0, activity }));
        return {
          kind: 'answer',
          lead: `${hits.length} of the framework's line-manager activities are for ${LEVEL_SET[level]}.`,
          hits,
          areaIds: areaNamed ? [areaNamed] : [],
          aboutEligibility: false,
          didYouMean: [],
        };
      }
      return { kind: 'activities', ...(areaNamed ? { areaId: areaNamed } : {}), ...(level ? { level } : {}) };
    }
    // "I struggle with meetings": words the library never uses say how the person feels, not which
    // activities; a list is chosen by the words the activities can match.
    if (!this.qa.knowsAnyOf(topic)) return areaNamed ? { kind: 'activities', areaId: areaNamed } : undefined;
    // A list answer: everything that matches the topic's words well, not only the single best.
    const ranked = this.qa.find(this.qa.withoutUnknownWords(topic), {
      kinds: ['activity'],
      minCoverage: MIN_COVERAGE,
      limit: 30,
      ...(level ? { level } : {}),
    });
    const best = ranked[0];
    const found = ranked
      .filter(
        (f) =>
          best &&
          best.coverage >= MIN_COVERAGE &&
          (f.coverage >= LIST_MIN_COVERAGE ||
            (f.coverage >= MIN_COVERAGE && f.score >= best.score * LIST_SHARE_OF_BEST)),
      )
      .map((f) => f.hit)
      .filter(
        (h): h is ActivityHit =>
          h.kind === 'activity' &&
          atLevel(h.activity.levels) &&
          (!areaNamed || h.activity.supports.includes(areaNamed)),
      )
      .slice(0, 12);
    const [first] = found;
    if (first) {
      const groups = this.byLevel(found);
      if (askingLevel) {
        const levels = levelSetOf(first.activity.levels);
        return {
          kind: 'answer',
          lead: `${found.length === 1 ? 'This activity is' : 'The closest activity is'} for ${LEVEL_SET[levels]}.`,
          hits: found.slice(0, 3),
          levels,
          areaIds: [],
          aboutEligibility: false,
          didYouMean: [],
        };
      }
      return {
        kind: 'answer',
        lead:
          found.length === 1
            ? `The framework suggests one line-manager activity for this, for ${LEVEL_SET[levelSetOf(first.activity.levels)]}.`
            : `The framework suggests ${found.length} line-manager activities for this: ${groups
                .map((g) => `${g.hits.length} for ${g.heading.charAt(0).toLowerCase()}${g.heading.slice(1)}`)
                .join(', ')}.`,
        hits: found,
        groups,
        areaIds: [...new Set(found.flatMap((h) => h.activity.supports))].slice(0, 1),
        aboutEligibility: false,
        didYouMean: [],
      };
    }
    const area = areaNamed ?? this.qa.areaOfTopic(topic);
    if (!area) return undefined;
    return {
      kind: 'activities',
      areaId: area,
      ...(level ? { level } : {}),
      lead: `The framework links its line-manager activities to areas rather than single topics; these support ${area}, where that topic sits.`,
    };
  }

  private byLevel(hits: Hit[]): HitGroup[] {
    const groups: Record<LevelSet, Hit[]> = { both: [], trainee: [], approved: [] };
    for (const h of hits) {
      const levels = levelsOfHit(h);
      if (levels) groups[levelSetOf(levels)].push(h);
    }
    return (['both', 'trainee', 'approved'] as const)
      .filter((k) => groups[k].length > 0)
      .map((k) => ({ heading: upperFirst(LEVEL_SET[k].replace('both levels: ', '')), hits: groups[k] }));
  }

  /** "Is SPC only for approved auditors?": the level(s) in words first, then the statements. */
  private levelAnswer(text: string): Reply | undefined {
    const named = parseCompetencyRefIn(text);
    const topic = text.replace(LEVEL_WORDS, ' ');
    if (!named && terms(topic).length === 0) return undefined;
    let found = named
      ? []
      : this.qa.find(topic, { kinds: ['statement', 'subArea'], minCoverage: 0.6, limit: 8 });
    // "How money flows from the dept of health down to providers": loosely worded, the whole search
    // still finds the statement where the stricter list search does not.
    if (!named && found.length === 0)
      found = this.qa.find(topic, { kinds: ['statement', 'subArea'], minCoverage: MIN_COVERAGE, limit: 8 });
    const top: Hit | undefined = named
      ? named.subAreaId
        ? this.qa.hitById(`subArea:${named.subAreaId}`)
        : undefined
      : found[0]?.hit;
    if (!top) return undefined;
    let statements: StatementHit[];
    let label: string;
    if (top.kind === 'subArea') {
      const { area, subArea } = ensure(
        findSubArea(this.lib, top.subAreaId),
        'the sub-area of an indexed hit',
      );
      statements = subArea.statements.map((statement) => ({
        kind: 'statement',
        score: 0,
        area,
        subArea,
        statement,
      }));
      label = subAreaLabel(subArea);
    } else if (top.kind === 'statement') {
      // The best statement and those of its sub-area that match nearly as well. The best is `top`.
      const bestScore = ensure(found[0], 'the statement found').score;
      statements = found.flatMap((f) =>
        f.hit.kind === 'statement' && f.hit.subArea.id === top.subArea.id && f.score >= 0.6 * bestScore
          ? [f.hit]
          : [],
      );
      label = subAreaLabel(top.subArea);
    } else return undefined;
    const sets = new Set(statements.map((h) => levelSetOf(h.statement.levels)));
    const [onlySet] = sets;
    const levels: LevelSet = sets.size === 1 && onlySet !== undefined ? onlySet : 'both';
    const asked = this.levelNamed(text);
    let lead: string;
    if (sets.size === 1) {
      // "Is it only for approved auditors?" of a both-level statement is a no; "do trainees need it?" a yes.
      const only = /\b(only|just)\b/.test(text);
      const yes = levels === 'both' ? !only : levels === asked;
      const yesNo = asked === undefined ? '' : yes ? 'Yes. ' : 'No. ';
      lead = `${yesNo}In ${label}, ${statements.length === 1 ? 'this applies' : 'these apply'} to ${LEVEL_SET[levels]}.`;
    } else {
      const count = (k: LevelSet) => statements.filter((h) => levelSetOf(h.statement.levels) === k).length;
      lead = `Partly. In ${label}, ${count('both')} of ${statements.length} statements apply to both levels and ${count('approved')} to approved auditors only.`;
    }
    return {
      kind: 'answer',
      lead,
      hits: statements,
      groups: this.byLevel(statements),
      levels: sets.size === 1 ? levels : 'both',
      areaIds: [statements[0]?.area.id ?? top.area.id],
      aboutEligibility: false,
      didYouMean: [],
    };
  }

  /** "What should I read on HRGs?": the framework's recommended resources for that topic. */
  private resources(text: string): Reply | undefined {
    const topic = text.replace(WHY_ASKING, ' ').replace(RESOURCE_WORDS, ' ');
    if (terms(topic).length === 0) return undefined;
    // "List the classification resources": a heading of the framework's resource list, named alone.
    const asked = new Set(terms(topic));
    const heading = this.resourceHeadings.find(
      ({ words }) => words.every((t) => asked.has(t)) && [...asked].every((t) => words.includes(t)),
    )?.heading;
    const underHeading = this.lib.framework.resources.filter((r) => r.category === heading);
    if (heading && underHeading.length > 1)
      return {
        kind: 'answer',
        lead: `The framework lists these ${underHeading.length} resources under "${heading}".`,
        hits: underHeading.map((resource) => ({ kind: 'resource' as const, score: 0, resource })),
        areaIds: [],
        aboutEligibility: false,
        didYouMean: [],
      };
    // "Any reading for CC4?", "resources for the digital literacy bit": the part's own list.
    const part = parseCompetencyRefIn(topic) ?? this.partTitled(topic);
    if (part) return this.resourcesFor(part);
    const direct = this.qa.find(topic, {
      kinds: ['resource'],
      minCoverage: RESOURCE_MIN_COVERAGE,
      limit: 10,
    });
    // The topic's place in the framework also names resources: those listed for that sub-area.
    // A resource matching every word of the question cannot be beaten, so then it is not looked up.
    const placed =
      (direct[0]?.coverage ?? 0) < 1
        ? this.qa.find(topic, {
            kinds: ['statement', 'subArea', 'area'],
            minCoverage: RESOURCE_MIN_COVERAGE,
            limit: 1,
          })[0]
        : undefined;
    const where = placed?.hit;
    const sub =
      where?.kind === 'statement'
        ? where.subArea.id
        : where?.kind === 'subArea'
          ? where.subAreaId
          : undefined;
    // "Training on leading change": words from two sub-areas of one area (Leadership, Managing
    // change) place the question in the area, and its resources are ranked by those words.
    const forSub = sub
      ? this.resourcesHelping((h) => h === sub)
      : where?.kind === 'area'
        ? this.resourcesHelping((h) => h.startsWith(where.area.id))
        : [];
    let found: Hit[];
    // "Resources for medical terminology": a sub-area named in full beats a resource sharing one word.
    if (placed && forSub.length > 0 && placed.coverage > (direct[0]?.coverage ?? 0)) {
      const also = direct.filter((d) => d.coverage >= placed.coverage).map((d) => d.hit);
      const ids = new Set(forSub.map((h) => this.qa.idOf(h)));
      // Those the question also names lead, in the order they matched it, even by one word of
      // several ("Excel" of "Excel pivot tables" puts the Office courses first).
      const partly = this.qa.find(topic, { kinds: ['resource'], minCoverage: 0.01, limit: 30 });
      const rank = new Map(partly.map((d, i) => [this.qa.idOf(d.hit), i]));
      const byMatch = (h: Hit) => rank.get(this.qa.idOf(h)) ?? partly.length;
      found = [
        ...forSub.sort((a, b) => byMatch(a) - byMatch(b)),
        ...also.filter((h) => !ids.has(this.qa.idOf(h))),
      ];
    } else {
      // "Where do I find the CCAP handbook?": a resource named in full is the answer, not those
      // sharing a word with it.
      const whole = direct.filter((d) => d.coverage >= 1);
      found = (whole.length > 0 && whole.length < direct.length ? whole : direct).map((f) => f.hit);
    }
    // "Where do I get the code of conduct?": a passage saying who may have it answers the "where".
    if (found.length > 0 && GETTING_HOLD_OF.test(text)) {
      // One that says it is "available" to someone answers the "where" best.
      const available = (h: Hit) => h.kind === 'passage' && /\bavailable\b/i.test(h.passage.quote);
      const passages = this.qa
        .find(topic, { kinds: ['passage'], minCoverage: 1, limit: 3 })
        .map((f) => f.hit)
        .filter((h) => !found.some((f) => this.qa.idOf(f) === this.qa.idOf(h)));
      found = [
        ...found,
        ...[...passages.filter(available), ...passages.filter((h) => !available(h))].slice(0, 1),
      ];
    }
    if (found.length === 0)
      return sub ? this.resourcesFor({ areaId: sub.slice(0, 3) as AreaId, subAreaId: sub }) : undefined;
    // "The classification resources": the framework's own heading for a group of them comes first.
    const named = (h: Hit) => h.kind === 'resource' && terms(h.resource.category).every((t) => asked.has(t));
    found = [...found.filter(named), ...found.filter((h) => !named(h))];
    // "What elearning is there for anatomy": the kind of resource asked for comes first.
    const kind = RESOURCE_KINDS.find((k) => k.asked.test(text));
    if (kind) {
      const ofKind = (h: Hit) =>
        h.kind === 'resource' && kind.is.test(`${h.resource.title} ${h.resource.detail ?? ''}`);
      found = [...found.filter(ofKind), ...found.filter((h) => !ofKind(h))];
    }
    // A passage saying where to get one follows the resources, and is not counted as one.
    const resourceCount = found.filter((h) => h.kind === 'resource').length;
    return plainAnswer(
      `The framework recommends ${resourceCount === 1 ? 'this resource' : `these ${resourceCount} resources`}.`,
      found,
    );
  }

  /** The framework's resources whose `helpsWith` names a part that `helps` accepts, in the framework's order. */
  private resourcesHelping(helps: (part: string) => boolean): Hit[] {
    return this.lib.framework.resources
      .filter((r) => r.helpsWith.some(helps))
      .map((resource) => ({ kind: 'resource' as const, score: 0, resource }));
  }

  /** The resources the framework lists against a sub-area, or against any part of an area. */
  private resourcesFor(part: { areaId: AreaId; subAreaId?: string }): Reply | undefined {
    const helps = (h: string) =>
      part.subAreaId
        ? h === part.subAreaId || h === part.areaId
        : h === part.areaId || h.startsWith(part.areaId);
    const hits = this.resourcesHelping(helps);
    const area = ensure(
      this.lib.framework.areas.find((a) => a.id === part.areaId),
      'the area of a competency reference',
    );
    const sub = part.subAreaId ? findSubArea(this.lib, part.subAreaId)?.subArea : undefined;
    const label = sub ? subAreaLabel(sub) : `${area.id} ${area.title}`;
    if (hits.length === 0) {
      // None for the sub-area: its area's list, said as such; none for the area either: say that.
      const inArea = sub ? this.resourcesFor({ areaId: part.areaId }) : undefined;
      return {
        kind: 'answer',
        lead: inArea
          ? `The framework recommends no resource for ${label} itself; these are the ones it recommends for ${area.id}.`
          : `The framework recommends no resource for ${label}${sub ? ' or its area' : ''}.`,
        hits:
          inArea?.kind === 'answer'
            ? inArea.hits
            : [
                ensure(
                  this.qa.hitById(sub ? `subArea:${sub.id}` : `area:${area.id}`),
                  'the part asked about, indexed',
                ),
              ],
        areaIds: [part.areaId],
        aboutEligibility: false,
        didYouMean: [],
      };
    }
    return {
      kind: 'answer',
      lead: `The framework recommends ${hits.length === 1 ? 'this resource' : `these ${hits.length} resources`} for ${label}.`,
      hits,
      areaIds: [part.areaId],
      aboutEligibility: false,
      didYouMean: [],
    };
  }

  private levelNamed(text: string): Level | undefined {
    return /\btrainees?\b/.test(text) && !/\bapproved\b/.test(text)
      ? 'trainee'
      : /\bapproved\b/.test(text) && !/\btrainees?\b/.test(text)
        ? 'approved'
        : undefined;
  }

  private decline(text: string, rule?: Vocabulary['notCovered'][number]): Reply {
    const near = (rule?.near ?? []).map((id) => this.qa.hitById(id)).filter((h): h is Hit => !!h);
    const didYouMean = rule
      ? []
      : this.qa
          .find(text, { minCoverage: 0.34, limit: 3 })
          .map((f) => this.suggestionFor(f.hit))
          .filter((s): s is Suggestion => !!s);
    return {
      kind: 'decline',
      ...(rule ? { topic: rule.topic } : {}),
      ...(rule?.pointer ? { pointer: rule.pointer } : {}),
      near,
      didYouMean,
    };
  }

  private eligibility(facts: FactsInWords, today: string): Reply {
    const answers = EligibilityAnswersSchema.parse(facts.answers);
    const result = checkEligibility(this.rules, facts.programmeId, answers, today);
    const latest = checkEligibility(
      this.rules,
      facts.programmeId,
      EligibilityAnswersSchema.parse(facts.latestAnswers),
      today,
    );
    const parts: string[] = [];
    const name = result.programme.shortName;
    const entry = result.criteria.filter((c) => c.phase === 'entry');
    // A duration rule still to come is the answer to "when can I?": its date leads.
    const timeRule = entry.find((c): c is CriterionResult & { metOn: string } => !!c.metOn && !c.validUntil);
    const waiting =
      timeRule && timeRule.status === 'missing' && timeRule.metOn > today ? timeRule : undefined;
    if (result.verdict === 'eligible')
      parts.push(`Yes: on what you told me, you meet the entry requirements for ${name}.`);
    else if (result.eligibleFrom)
      parts.push(`Not yet: you can apply for ${name} from ${formatLongDate(result.eligibleFrom)}.`);
    else if (waiting)
      parts.push(`Not yet for ${name}. ${waiting.label}: you meet this on ${formatLongDate(waiting.metOn)}.`);
    else if (result.verdict === 'not-yet')
      parts.push(
        `Not yet for ${name}: ${entry
          .filter((c) => c.status === 'missing')
          .map((c) => lowerFirst(c.label))
          .join('; ')}.`,
      );
    else parts.push(`I can't say yet for ${name}: some requirements depend on things you haven't told me.`);
    if (timeRule?.status === 'met')
      parts.push(`${timeRule.label}: met since ${formatLongDate(timeRule.metOn)}.`);
    if (timeRule) {
      const late = latest.criteria.find((x) => x.id === timeRule.id)?.metOn;
      if (late && late !== timeRule.metOn)
        parts.push(
          `The date you gave could mean a later day; if so, this is met later, by ${formatLongDate(late)} at the latest.`,
        );
    }
    const refresher = entry.find(
      (c): c is CriterionResult & { validUntil: string } => !!c.validUntil && c.status === 'met',
    );
    if (refresher) parts.push(`Your refresher course counts until ${formatLongDate(refresher.validUntil)}.`);
    const unknown = result.criteria.filter((c) => c.phase === 'entry' && c.status === 'unknown');
    const [firstUnknown] = unknown;
    if (firstUnknown)
      parts.push(
        unknown.length === 1
          ? `Still to check: ${lowerFirst(firstUnknown.label)}.`
          : `${unknown.length} other requirements depend on things you haven't told me; the checker asks about them.`,
      );
    const assumptions = [
      ...(facts.programmeAssumed ? [`I took this to be about the ${result.programme.name}`] : []),
      ...facts.facts.flatMap((f) => (f.assumption ? [f.assumption] : [])),
    ];
    return { kind: 'eligibility', facts, result, lead: parts.join(' '), assumptions };
  }
}

/** Every word the library uses, in lower case ("manages" is a word, not a slip for "managers"). */
function wordsOf(lib: Library): Set<string> {
  const text = [
    ...allStatements(lib).map((s) => `${s.subArea.title} ${s.statement.text}`),
    ...lib.framework.areas.map((a) => a.title),
    ...lib.framework.activities.map((a) => a.text),
    ...lib.framework.resources.map((r) => `${r.title} ${r.detail ?? ''}`),
    ...lib.passages.map((p) => `${p.title} ${p.quote}`),
    ...lib.glossary.map((g) => `${g.term} ${g.quote ?? ''} ${g.explanation ?? ''}`),
  ].join(' ');
  return new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
}

/**
 * The parts of a message that may ask on their own: its sentences, those ending in a question mark
 * first ("…visual formats?" before "my team prefer pictures"); in a single sentence, its clauses
 * ("we have no training budget, does the framework recommend anything"), those with a question word
 * first. None for a message of one clause.
 */
function askingSentences(text: string): string[] {
  const informative = (x: string) => terms(x).length > 0;
  const sentences = text
    .split(/(?<=[?!]|\.(?!\d))\s+/)
    .map((x) => x.trim())
    .filter(informative);
  if (sentences.length >= 2)
    return [...sentences.filter((x) => x.endsWith('?')), ...sentences.filter((x) => !x.endsWith('?'))];
  const clauses = text
    .split(/\s+-+\s+|[,;:]\s+|\s\((?=[^)]*\))|\)\s*|\s(?:but|because|cos|as)\s/)
    .map((x) => x.trim())
    .filter(informative);
  if (clauses.length < 2) return [];
  const asks = (x: string) =>
    /(^|\s)(what|how|where|when|who|which|why|is|are|do|does|did|can|could|should|would|will|any)\b/.test(
      x,
    ) || x.endsWith('?');
  return [...clauses.filter(asks), ...clauses.filter((x) => !asks(x))];
}

/** The question without its verbs, adverbs and adjectives, question words kept (compromise's tagger). */
function nounsAndAskingWords(text: string): string {
  // compromise types its JSON output `any`; this is the shape its documentation gives.
  const tagged = nlp(text).terms().json() as { text: string; terms: { text: string; tags: string[] }[] }[];
  return tagged
    .map((t) => {
      const term = t.terms[0];
      if (!term) return t.text;
      const tags = new Set(term.tags);
      const asking = tags.has('QuestionWord') || /^(what|which|how|who|where|when|why)$/.test(term.text);
      const drop =
        !asking && !tags.has('Noun') && (tags.has('Verb') || tags.has('Adverb') || tags.has('Adjective'));
      return drop ? '' : t.text;
    })
    .filter(Boolean)
    .join(' ');
}

/** An answer that is its lead and its sources, with nothing about eligibility and no "Did you mean". */
function plainAnswer(lead: string, hits: Hit[]): Reply {
  return { kind: 'answer', lead, hits, areaIds: [], aboutEligibility: false, didYouMean: [] };
}

/** "CC5 general", "CC2d", "cc2 d": a sub-area named by its code inside a question. */
function parseCompetencyRefIn(text: string): { areaId: AreaId; subAreaId?: string } | undefined {
  const m = /\bcc\s*([1-5])(?:\s*[.-]?\s*([a-j])\b|\s*[.-]?\s*(general)\b)?/i.exec(text);
  if (!m) return undefined;
  const areaId = `CC${ensure(m[1], 'the area digit the pattern requires')}` as AreaId;
  const sub = m[2] ? `${areaId}${m[2].toLowerCase()}` : m[3] ? `${areaId}-general` : undefined;
  return sub ? { areaId, subAreaId: sub } : { areaId };
}
