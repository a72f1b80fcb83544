import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GlossaryFileSchema, KnowledgeFileSchema, SourcesFileSchema } from '../../bot/core/dataSchemas.js';
import {
  REPO_ROOT,
  SEEDS_DIR,
  SEED_FILE_PREFIX,
  embeddedQuotationsIn,
  frameworkQuotations,
  quoteProblem,
  quotationsIn,
  seedText,
  sourcesHolding,
  unfaithful,
  type Quotation,
} from '../support/quotes.js';

/*
 * Every passage shown as a source's words is held to the source documents in ../shared/seeds/
 * (see test/support/quotes.ts for what is normalised: whitespace and line breaks, curly quotes,
 * dashes; "…" stands for text left out). Our own headings, notes, readings and explanations live
 * in other fields and are not quotes; words they put in double quotes are checked too.
 */

const readData = (file: string): unknown =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'data', file), 'utf8'));
const knowledge = KnowledgeFileSchema.parse(readData('knowledge.json'));
const glossary = GlossaryFileSchema.parse(readData('glossary.json'));
const sources = SourcesFileSchema.parse(readData('sources.json'));

describe('the quotation matcher', () => {
  const source =
    'Trainee – refers to an experienced ACC who is working towards applying for the CCAP \n\n' +
    'Approved Clinical Coding Auditor– refers to a ‘core’ approved clinical coding auditor, i.e. someone who \n' +
    'has successfully completed both the CCAP assessment day and the subsequent Clinical Coding Auditor Workshop.';

  it('matches the words whatever the line breaks, spacing, quote marks and dashes', () => {
    assert.equal(
      quoteProblem(
        "Approved Clinical Coding Auditor- refers to a 'core' approved clinical coding auditor, i.e. someone who has successfully completed",
        source,
      ),
      null,
    );
  });

  it('lets an ellipsis stand for any text left out, in order', () => {
    assert.equal(
      quoteProblem(
        'Trainee – refers to an experienced ACC … the subsequent Clinical Coding Auditor Workshop.',
        source,
      ),
      null,
    );
    assert.equal(quoteProblem('… applying for the CCAP … assessment day …', source), null);
  });

  it('fails when a word is changed, added or dropped without an ellipsis', () => {
    assert.notEqual(quoteProblem('Trainee – refers to a experienced ACC', source), null);
    assert.notEqual(
      quoteProblem('Trainee – refers to an experienced ACC who is now working towards', source),
      null,
    );
    assert.notEqual(quoteProblem('Trainee – refers to an ACC who is working towards', source), null);
  });

  it('fails when text is moved, a heading of ours is added, or a sentence is closed that the source leaves open', () => {
    assert.notEqual(
      quoteProblem('the subsequent Clinical Coding Auditor Workshop. … Trainee – refers', source),
      null,
    );
    assert.notEqual(quoteProblem('Levels, trainee and approved: Trainee – refers to', source), null);
    assert.notEqual(quoteProblem('working towards applying for the CCAP. Approved', source), null);
  });

  it('matches whole words only, and keeps case', () => {
    assert.notEqual(quoteProblem('CCA', source), null);
    assert.notEqual(quoteProblem('trainee – refers', source), null);
    assert.equal(quoteProblem('CCAP', source), null);
  });

  it('joins a word the PDF hyphenated across a line break', () => {
    assert.equal(
      quoteProblem('a more in-depth understanding', 'to produce a more in-\ndepth understanding'),
      null,
    );
  });
});

describe('quotations in data/ are the sources’ own words', () => {
  it('has a seed file for every source, and a source for every seed file', () => {
    const seeds = readdirSync(SEEDS_DIR).filter((f) => /^\d{3}_.*\.txt$/.test(f));
    assert.deepEqual(
      sources.sources.map((s) => s.id).sort(),
      Object.keys(SEED_FILE_PREFIX).sort(),
      'sources.json and the seed map name the same sources',
    );
    for (const f of seeds)
      assert.ok(
        Object.values(SEED_FILE_PREFIX).some((p) => f.startsWith(p)),
        `${f} is mapped to a source`,
      );
  });

  const cases: { what: string; quotes: () => Quotation[]; atLeast: number }[] = [
    {
      what: 'every passage quote and `also` quote (knowledge.json)',
      quotes: () => quotationsIn('knowledge.json'),
      atLeast: 29,
    },
    {
      what: 'every glossary quote (glossary.json)',
      quotes: () => quotationsIn('glossary.json'),
      atLeast: 30,
    },
    {
      what: 'every eligibility quote, history and context included (eligibility.json)',
      quotes: () => quotationsIn('eligibility.json'),
      atLeast: 18,
    },
    {
      what: 'every framework statement, activity, title, definition and resource (framework.json)',
      quotes: frameworkQuotations,
      atLeast: 138 + 84 + 24,
    },
  ];
  for (const c of cases) {
    it(`${c.what} is found in its own source`, () => {
      const quotes = c.quotes();
      assert.ok(quotes.length >= c.atLeast, `${quotes.length} quotations, expected at least ${c.atLeast}`);
      assert.deepEqual(unfaithful(quotes), []);
    });
  }

  it('every passage and glossary quote fails the check once one of its words is changed', () => {
    const all = [
      ...quotationsIn('knowledge.json'),
      ...quotationsIn('glossary.json'),
      ...quotationsIn('eligibility.json'),
    ];
    const survivors = all.flatMap((q) => {
      const words = q.quote.match(/[\p{L}\p{N}]+/gu) ?? [];
      const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '');
      const changed = { ...q, quote: q.quote.replace(longest, 'Xyzzy') };
      return unfaithful([changed]).length === 1 ? [] : [`${q.where}: still found with "${longest}" changed`];
    });
    assert.deepEqual(survivors, []);
  });

  it('a changed word in a passage is reported with the piece that is not in the source', () => {
    const passage = knowledge.passages.find((p) => p.id === 'fw-approved-kept')!;
    const mutated = passage.quote.replace('biannual', 'annual');
    const problems = unfaithful([{ where: 'mutated', source: passage.source, quote: mutated }]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /Attends mandatory annual Auditor Forums/);
  });

  it('words our notes, readings and explanations put in double quotes are found in a source', () => {
    const missing = ['knowledge.json', 'glossary.json', 'sources.json', 'eligibility.json', 'framework.json']
      .flatMap((f) => embeddedQuotationsIn(f))
      .filter((e) => sourcesHolding(e.quote).length === 0)
      .map((e) => `${e.where}: "${e.quote}"`);
    assert.deepEqual(missing, []);
  });
});

describe('sources are described as the documents describe themselves', () => {
  for (const s of sources.sources) {
    it(`${s.id}: title, publisher, date and address are in the document`, () => {
      const text = seedText(s.id);
      assert.equal(quoteProblem(s.title, text), null, `title "${s.title}"`);
      if (s.publisher) assert.equal(quoteProblem(s.publisher, text), null, `publisher "${s.publisher}"`);
      else assert.ok(s.publisherNote, 'a source that names no publisher says so');
      if (s.date !== 'undated') {
        assert.equal(quoteProblem(s.date, text), null, `date "${s.date}"`);
        assert.ok(s.statusReason.includes(s.date), 'the reason names the date it rests on');
      } else assert.match(s.statusReason, /^Undated\b/);
      if (s.url) assert.ok(text.includes(s.url), `url ${s.url}`);
    });
  }
});

describe('glossary terms are the sources’ names', () => {
  it('every term is written as at least one source writes it', () => {
    const unknown = glossary.terms.filter((t) => sourcesHolding(t.term).length === 0).map((t) => t.term);
    assert.deepEqual(unknown, [], 'terms no source uses (keep such names as search synonyms)');
  });

  it('keeps the abbreviations no source uses as search synonyms only', () => {
    for (const abbreviation of ['NCCQ', 'SPC', 'EPA', 'KPI', 'BSL', 'IG', 'EHC']) {
      assert.deepEqual(sourcesHolding(abbreviation), [], `${abbreviation} is in no source`);
      const word = new RegExp(`\\b${abbreviation.toLowerCase()}\\b`);
      const entry = glossary.terms.find((t) => t.synonyms.some((s) => word.test(s)));
      assert.ok(entry, `${abbreviation} is a synonym of some entry`);
      for (const t of glossary.terms) {
        assert.ok(!new RegExp(`\\b${abbreviation}\\b`).test(t.term), `${t.term} is named ${abbreviation}`);
        assert.ok(
          !new RegExp(`\\b${abbreviation}\\b`).test(t.quote ?? ''),
          `${t.term} quotes ${abbreviation}`,
        );
      }
    }
  });

  it('every passage says where in its source it is', () => {
    for (const p of knowledge.passages) assert.ok(p.location.trim().length > 2, p.id);
  });
});
