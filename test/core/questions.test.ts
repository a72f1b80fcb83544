import assert from 'node:assert/strict';
import path from 'node:path';
import {
  EligibilityRulesSchema,
  type EligibilityRules,
} from '../../bot/core/eligibility/eligibilitySchema.js';
import { QuestionAnswerer } from '../../bot/core/questionAnswering.js';
import { QuestionService } from '../../bot/core/questions/answerQuestion.js';
import { readEligibilityFacts } from '../../bot/core/questions/eligibilityInWords.js';
import { QuestionNormaliser } from '../../bot/core/questions/normalise.js';
import { checkVocabulary, VocabularySchema, type Vocabulary } from '../../bot/core/questions/vocabulary.js';
import { loadDataFile, loadLibrary, projectRoot } from '../../bot/data/loadData.js';

const TODAY = '2026-12-02';

describe('question understanding (core, table-driven)', () => {
  let vocab: Vocabulary;
  let rules: EligibilityRules;
  let service: QuestionService;
  let qa: QuestionAnswerer;

  before(async () => {
    const data = path.join(projectRoot(), 'data');
    const lib = await loadLibrary(data);
    vocab = await loadDataFile(path.join(data, 'questionVocabulary.json'), VocabularySchema);
    rules = await loadDataFile(path.join(data, 'eligibility.json'), EligibilityRulesSchema);
    qa = new QuestionAnswerer(lib, vocab);
    service = new QuestionService(lib, qa, vocab, rules);
  });

  it('the vocabulary names only documents that exist, and its patterns compile', () => {
    assert.deepEqual(checkVocabulary(vocab, qa.documentIds()), []);
  });

  describe('normalising everyday wording', () => {
    const cases: [string, string][] = [
      ['Hiya, quick q - how long is the apprenticship?', 'how long is apprenticeship ?'],
      ['my mgr says ACC for 3 yrs', 'my manager says acc for 3 years'],
      ["what's the auditor course", 'what is the ccap'],
      ['the trainer course', 'the cctp'],
      ['is the refresher needed', 'is ccsrc refresher needed'],
      ['what does the digital bit cover', 'what does the cc5 cover'],
      ['<at>Coding Auditor</at> whats SPC', 'what is spc'],
      ['CC2’s stats', 'cc2 statistics'],
      // Slips of the finger in the words that matter: swapped, left out, doubled.
      ['how can my manaegr help with presnetations', 'how can my manager help with presentations'],
      ['do traniees need the refreshher', 'do trainees need ccsrc refresher'],
      // Shorthand for specialties and subjects.
      ['coded gen med and T&O', 'coded general medicine and trauma & orthopaedic'],
      ['what does tcds stand for', 'what does terminology and classifications delivery service stand for'],
    ];
    for (const [said, expected] of cases) {
      it(`"${said}" → "${expected}"`, () => {
        assert.equal(new QuestionNormaliser(vocab).normalise(said), expected);
      });
    }
  });

  it('a word the sources use is never taken for a slip of another ("manages" is not "managers")', () => {
    assert.equal(service.normalise('manages conflict - which level'), 'manages conflict - which level');
  });

  describe('reading eligibility facts from a sentence', () => {
    const facts = (q: string) =>
      readEligibilityFacts(new QuestionNormaliser(vocab).normalise(q), TODAY, rules);
    const cases: {
      q: string;
      programme?: string;
      answers?: Record<string, unknown>;
      assumption?: RegExp;
      none?: true;
    }[] = [
      {
        q: 'I passed the NCCQ in March 2024, when can I go on the auditor programme?',
        programme: 'ccap',
        answers: { hasAcc: 'yes', accDate: '2024-03-01' },
        assumption: /as 1 March 2024/,
      },
      {
        q: 'been ACC for 4 years, refresher 14/03/2025, can I apply for CCAP?',
        programme: 'ccap',
        answers: { accDate: '2022-12-02', ccsrcDate: '2025-03-14' },
      },
      { q: "ACC'd 18 months ago, is that long enough for ccap", answers: { accDate: '2025-06-02' } },
      {
        q: 'ACC since 2019 but never done the refresher, trainer course?',
        programme: 'cctp',
        answers: { accDate: '2019-01-01', ccsrcDate: 'none' },
      },
      { q: "i'm not an ACC yet, can I apply for CCAP?", answers: { hasAcc: 'no' } },
      // A month without a year, told as done, is the last such month, not the next.
      {
        q: "got acc'd in jan, when can i start ccap?",
        answers: { accDate: '2026-01-01' },
        assumption: /as 1 January 2026/,
      },
      {
        q: "ACC since 2021 but I can't show good use of Word or PowerPoint, would I get on CCAP?",
        answers: { wordPowerPoint: 'no' },
      },
      {
        q: "I've held ACC for 2 and a half years - can I get on CCAP yet?",
        answers: { accDate: '2024-06-02' },
      },
      {
        q: 'Been qualified 3 years exactly as of today - can I go on CCAP now?',
        answers: { accDate: '2023-12-02' },
      },
      // Seasons, which chrono does not read: "last" is the latest one already over.
      {
        q: 'Got my accreditation last summer. CCAP?',
        answers: { accDate: '2026-06-01' },
        assumption: /as 1 June 2026/,
      },
      { q: 'acc in autumn 2023, when can i do ccap', answers: { accDate: '2023-09-01' } },
      // Asking for courses, with a fact in passing, is not a request to check eligibility.
      { q: "my word and powerpoint aren't great, any courses before i apply for ccap", none: true },
      {
        q: 'got level 2 maths but not english yet, can i do the apprenticeship',
        programme: 'apprenticeship',
        answers: { level2Maths: 'yes', level2English: 'no' },
      },
      // A span in years and months is one span: "and" does not split it into two facts.
      { q: 'ACC 2 years and 6 months ago, can I go on CCAP?', answers: { accDate: '2024-06-02' } },
      { q: 'got my acc a year and three months ago - ccap?', answers: { accDate: '2025-09-02' } },
      // Questions about the rules state nothing about the person.
      { q: 'do I need ACC for over three years to apply for CCAP?', none: true },
      { q: 'refresher within the last three years, does that apply to trainees', none: true },
      { q: 'how long is the apprenticeship', none: true },
    ];
    for (const c of cases) {
      it(`"${c.q}"`, () => {
        const f = facts(c.q);
        if (c.none) {
          assert.equal(f, undefined);
          return;
        }
        assert.ok(f, 'facts read');
        if (c.programme) assert.equal(f.programmeId, c.programme);
        for (const [k, v] of Object.entries(c.answers ?? {}))
          assert.deepEqual((f.answers as Record<string, unknown>)[k], v, k);
        if (c.assumption) assert.ok(f.facts.some((x) => c.assumption!.test(x.assumption ?? '')));
      });
    }
  });

  describe('telling apart what is asked', () => {
    const cases: { q: string; kind: string; first?: string; levels?: string; lead?: RegExp }[] = [
      { q: 'what does SC28 stand for', kind: 'answer', first: 'glossary:SC28' },
      { q: 'whats in cc2d', kind: 'competency', first: 'subArea:CC2d' },
      { q: 'what does the knowledge bit cover', kind: 'competency', first: 'area:CC4' },
      {
        q: 'is easyaudit only for approved auditors',
        kind: 'answer',
        levels: 'approved',
        lead: /^Yes\. .*approved auditors only/,
      },
      { q: 'do trainees need to understand spc', kind: 'answer', levels: 'approved', lead: /^No\./ },
      { q: 'is statistics only for approved auditors?', kind: 'answer', levels: 'both', lead: /^Partly\./ },
      { q: 'how can my manager help me with presenting?', kind: 'answer', lead: /line-manager activities/ },
      { q: 'what manager activities support CC4', kind: 'activities', first: 'activities:CC4' },
      // The kind of resource asked for (e-learning, a book) leads.
      { q: 'any e-learning on anatomy', kind: 'answer', first: 'resource:anatomy-physiology-elearning' },
      { q: 'is there a book on anatomy', kind: 'answer', first: 'resource:anatomy-physiology-manual' },
      { q: 'how long is the standard', kind: 'answer', first: 'passage:app-duration', lead: /18 months/ },
      // Level questions however worded: the level first, in words.
      { q: 'trainee auditors - do they need SNOMED?', kind: 'answer', levels: 'both', lead: /^Yes\./ },
      { q: 'is writing audit reports a trainee thing', kind: 'answer', levels: 'both', lead: /^Yes\./ },
      { q: 'hrg analysis as part of an audit - trainee auditors too?', kind: 'answer', lead: /^No\./ },
      {
        q: 'as an approved auditor do i need to mentor people',
        kind: 'answer',
        first: 'statement:CC3d.1',
        lead: /^Yes\./,
      },
      // The level asked after a dash, however it is put.
      { q: 'pivot tables - for trainees as well?', kind: 'answer', levels: 'approved', lead: /^No\./ },
      { q: 'snomed ct - trainees too?', kind: 'answer', levels: 'both', lead: /^Yes\./ },
      { q: 'percentages and rates - trainee or approved?', kind: 'answer', levels: 'both' },
      { q: 'is root cause analysis approved level', kind: 'answer', levels: 'approved' },
      { q: 'level for pivot tables', kind: 'answer', levels: 'approved' },
      {
        q: 'would a trainee be expected to draft audit plans',
        kind: 'answer',
        levels: 'approved',
        lead: /^No\./,
      },
      { q: 'do you need to be approved to do pre-interviews', kind: 'answer', levels: 'approved' },
      { q: 'can trainees go to the auditor forums', kind: 'answer', levels: 'approved', lead: /^No\./ },
      { q: 'do approved auditors still need the refresher', kind: 'answer', levels: 'both', lead: /^Yes\./ },
      // The apprenticeship's level is a qualification level, not an auditor level.
      { q: 'what level is the apprenticeship', kind: 'answer', first: 'passage:app-summary' },
      // A part named by its title, and nothing else asked, is shown whole.
      {
        q: 'audit strategy - which competencies are listed under it?',
        kind: 'competency',
        first: 'subArea:CC1b',
      },
      {
        q: 'managing audits bit of CC1 - what does it want from us',
        kind: 'competency',
        first: 'subArea:CC1c',
      },
      { q: 'what is snomed ct', kind: 'answer', first: 'glossary:SNOMED CT' },
      // Asking what a part holds, however it starts, is not asking what a word means.
      { q: "what's the finance bit about", kind: 'competency', first: 'subArea:CC4f' },
      { q: 'whats under information governance', kind: 'competency', first: 'subArea:CC4g' },
      { q: "what's in the spc section", kind: 'competency', first: 'subArea:CC2e' },
      { q: 'what skills are in communication', kind: 'competency', first: 'subArea:CC3b' },
      { q: 'what is information governance', kind: 'answer', first: 'glossary:Information Governance' },
      // Most of a long title names its part: "teaching and learning" is CC5 b.
      {
        q: 'what does the framework expect for teaching and learning',
        kind: 'competency',
        first: 'subArea:CC5b',
      },
      { q: 'what is covered under nhs performance management', kind: 'competency', first: 'subArea:CC4i' },
      // Resources for a part, a heading of the resource list, or a topic whose sub-area lists them.
      { q: 'any reading for cc4?', kind: 'answer', lead: /resources for CC4 Knowledge/ },
      {
        q: 'List the classification resources the framework recommends',
        kind: 'answer',
        lead: /7 resources under "Classification Resources"/,
      },
      {
        q: 'resources for medical terminology?',
        kind: 'answer',
        first: 'resource:anatomy-physiology-manual',
      },
      { q: 'any books for statistics', kind: 'answer', lead: /no resource for CC2 d\. Statistics itself/ },
      // Whether a course is required is a requirements question, not a reading list.
      {
        q: 'is a report writing course mandatory for auditors',
        kind: 'answer',
        first: 'passage:toolbox-core',
      },
      {
        q: 'what report writing courses are recommended',
        kind: 'answer',
        first: 'resource:report-writing-and-presentation',
      },
      // Among a sub-area's resources, one the question names even in part comes first.
      {
        q: 'is there any training for excel pivot tables',
        kind: 'answer',
        first: 'resource:microsoft-office-courses',
      },
      // Practice is a topic (the exercise booklets), not only a word of asking for resources.
      {
        q: 'any practice exercises for opcs',
        kind: 'answer',
        first: 'resource:icd10-opcs4-exercise-booklets',
      },
      // A compound written apart or together is one word: "stake holder" in the framework, "stakeholder" asked.
      { q: 'what activities are there for stakeholder analysis', kind: 'answer', first: 'activity:LMA60' },
      { q: 'how can my manager help me with stake holder mapping', kind: 'answer', first: 'activity:LMA50' },
      // "Need to show" is evidence asked for, not "show me" a part.
      {
        q: 'what office skills must i show in the ccap application',
        kind: 'answer',
        first: 'statement:CC2c.1',
      },
      { q: 'show me audit reporting', kind: 'competency', first: 'subArea:CC1d' },
      // "Going to" is the future, not a topic.
      { q: 'is the framework going to be updated', kind: 'answer', first: 'passage:fw-purpose' },
      // Words said together as the source says them rank above the same words apart.
      { q: "what's the code of practice", kind: 'answer', first: 'passage:toolbox-core' },
      // Verbs of asking, in any form, are not the topic.
      { q: 'anything in the framework involving pivot tables', kind: 'answer', first: 'statement:CC2f.3' },
      // Context around the question does not sink it: the sentence that asks is tried alone.
      {
        q: 'my staff prefer diagrams to long tables. is there an infographic version of the framework?',
        kind: 'answer',
        first: 'passage:fw-supporting-documents',
      },
      // In one sentence, the clause that asks is tried alone; an off-topic message still declines.
      {
        q: 'honestly i am totally baffled, what is the difference between trainee and approved',
        kind: 'answer',
        first: 'passage:fw-levels',
      },
      { q: 'anyone know a good sandwich place near the hospital, im starving', kind: 'decline' },
      // Everyday words reach the framework's own.
      { q: 'how should a mgr recognise good work', kind: 'answer', first: 'activity:LMA33' },
      // A word the library never uses still counts where the vocabulary relates it to the framework's.
      { q: 'how can my manager help me deal with stress', kind: 'answer', lead: /line-manager activities/ },
      // A manager asking without saying "manager": "how do I support my coder…".
      { q: 'what can i do to help my staff with change', kind: 'answer', lead: /line-manager activities/ },
      { q: 'how do i help my coder manage her workload', kind: 'answer', lead: /line-manager activities/ },
      // …which states none of the asker's own facts for an eligibility check.
      { q: 'how do i support an approved auditor with their report writing', kind: 'answer' },
      // "Angry" is the framework's "anger"; "my coder" is the staff member, not a topic.
      {
        q: 'my coder gets really annoyed, what can i do as her manager',
        kind: 'answer',
        first: 'activity:LMA54',
      },
      // Jobs are declined (vacancies, recruitment), but moving up a career is the progression the sources give.
      {
        q: 'where can a clinical coder progress to, job wise',
        kind: 'answer',
        first: 'passage:app-progression',
      },
      { q: 'any coding jobs going at my trust', kind: 'decline' },
      // Recruiting is declined, but what employers look for is the apprenticeship's selection criteria.
      {
        q: 'what do employers look for when recruiting apprentices',
        kind: 'answer',
        first: 'passage:app-entry',
      },
      // Published, kept, stored: where the framework can be found.
      { q: 'where is the framework published', kind: 'answer', first: 'passage:fw-supporting-documents' },
      // Chat's emphasis words ("ever", "lots of") are not the topic.
      { q: 'do coders ever have to visit a ward', kind: 'answer', first: 'passage:app-values' },
      // Who runs CCAP is in the sources (the Terminology and Classifications Delivery Service); who to contact is not.
      { q: 'who runs ccap', kind: 'answer', first: 'resource:clinical-coding-auditor-programme' },
      { q: 'who created the auditor competency framework', kind: 'answer', first: 'passage:fw-introduction' },
      { q: 'who is the framework for', kind: 'answer', first: 'passage:fw-audience' },
      { q: 'who do i contact about ccap', kind: 'decline' },
      { q: 'who can deliver official coding courses', kind: 'answer', first: 'passage:ccap-2012-ig' },
      // The framework's front matter: its purpose, its job levels (whose names are only indicative), its ticks.
      { q: "what's the framework for", kind: 'answer', first: 'passage:fw-purpose' },
      { q: 'how many job levels does the framework have', kind: 'answer', first: 'passage:fw-levels' },
      { q: 'can we call the levels something else at our trust', kind: 'answer', first: 'passage:fw-levels' },
      { q: 'what does a tick mean in the framework', kind: 'answer', first: 'passage:fw-ticks' },
      // A price the framework does give: Microsoft Office courses from £79.
      {
        q: 'how much do the microsoft courses cost',
        kind: 'answer',
        first: 'resource:microsoft-office-courses',
      },
      // The toolbox page on the standard expected of auditors.
      { q: 'why do auditors need to be objective', kind: 'answer', first: 'passage:toolbox-standards' },
      // What a programme gives you or teaches is what it provides.
      {
        q: 'what will i learn on ccap',
        kind: 'answer',
        first: 'resource:clinical-coding-auditor-programme',
        lead: /core skills/,
      },
      { q: "where's the ccap assessment day held, is it in leeds?", kind: 'decline' },
      { q: 'can someone list the caldicott principles for me', kind: 'decline' },
      // Named but never defined by the sources, however the meaning is asked for; the level is in them.
      { q: 'what does three dimensions of coding accuracy mean', kind: 'decline' },
      { q: 'do trainees need the three dimensions of coding accuracy', kind: 'answer', levels: 'both' },
      { q: "what's the minimum age for the apprenticeship", kind: 'decline' },
      // Found only on the other programme's pages: not answered from them.
      { q: 'what do i get at the end of ccap', kind: 'decline' },
      { q: 'how do i complain about my audit result', kind: 'decline' },
      { q: 'who marks the ccap assessment', kind: 'decline' },
      { q: 'who is the head of the terminology and classifications delivery service', kind: 'decline' },
      { q: 'how much does ccap cost', kind: 'decline' },
      // Named people, numbers of pieces of work, and accuracy percentages: none is in the sources.
      { q: 'who is the regional lead for coding audit', kind: 'decline' },
      { q: 'how many episodes per day should a coder code', kind: 'decline' },
      { q: 'what percentage accuracy does an audit need to pass', kind: 'decline' },
      { q: 'is there an accuracy target for dspt', kind: 'decline' },
      { q: 'what band is a clinical coder paid', kind: 'decline' },
      { q: 'when is the next assessment day', kind: 'decline' },
      { q: 'how do I bake sourdough bread', kind: 'decline' },
      {
        q: 'I got ACC in June 2023, when can i apply for the auditor course?',
        kind: 'eligibility',
        lead: /met since 2 June 2026/,
      },
    ];
    for (const c of cases) {
      it(`"${c.q}" → ${c.kind}${c.first ? ` ${c.first}` : ''}`, () => {
        const r = service.reply(c.q, TODAY);
        assert.equal(r.kind, c.kind);
        if (c.first) assert.equal(service.citesOf(r)[0], c.first);
        if (c.levels) assert.equal(r.kind === 'answer' ? r.levels : undefined, c.levels);
        if (c.lead) assert.match('lead' in r ? (r.lead ?? '') : '', c.lead);
      });
    }
  });

  it('a list question gets every matching activity, grouped by level, not one', () => {
    const r = service.reply('how can my manager help with communication skills', TODAY);
    assert.equal(r.kind, 'answer');
    assert.ok(r.hits.length >= 5, `${r.hits.length} activities`);
    assert.ok(r.groups && r.groups.length >= 1);
    assert.equal(
      r.groups.flatMap((g) => g.hits).length,
      r.hits.length,
      'every activity is in exactly one group',
    );
  });

  it('a declined question names the topic and where to ask, without guessing', () => {
    const r = service.reply('what is the pass mark for the knowledge test', TODAY);
    assert.equal(r.kind, 'decline');
    assert.match(r.topic ?? '', /pass marks/);
    assert.ok(r.pointer);
  });
});
