import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { z } from 'zod';
import {
  checkEligibility,
  describeRuleForQuestion,
  EligibilityError,
  findProgramme,
  questionsFor,
  ruleDates,
  validateAnswers,
  type CriterionResult,
  type EligibilityResult,
} from '../../bot/core/eligibility/eligibility.js';
import {
  ANSWER_KEYS,
  EligibilityAnswersSchema,
  EligibilityDocSchema,
  EligibilityRulesSchema,
  LevelAnswerSchema,
  SpecialtySchema,
  type EligibilityAnswers,
} from '../../bot/core/eligibility/eligibilitySchema.js';
import { quoteProblem } from '../support/quotes.js';

const rules = EligibilityRulesSchema.parse(
  JSON.parse(readFileSync(new URL('../../data/eligibility.json', import.meta.url), 'utf8')),
);
const sources = JSON.parse(readFileSync(new URL('../../data/sources.json', import.meta.url), 'utf8')) as {
  sources: Array<{ id: string }>;
};

const ALL_FOUR = ['general-medicine', 'surgical', 'trauma-orthopaedic', 'obstetrics'] as const;
/** A CCAP applicant who meets everything except what a test changes. */
const fullCcap: EligibilityAnswers = {
  hasAcc: true,
  accDate: '2019-01-10',
  ccsrcDate: '2023-06-01',
  specialties: [...ALL_FOUR],
  codingStandardsExpertise: true,
  wordPowerPoint: true,
  codersToolbox: true,
  reportWritingCourse: true,
};

function criterion(result: EligibilityResult, id: string): CriterionResult {
  const c = result.criteria.find((x) => x.id === id);
  assert.ok(c, `criterion ${id} in ${result.programme.id}`);
  return c;
}
const ccap = (answers: Partial<EligibilityAnswers>, today: string) =>
  checkEligibility(rules, 'ccap', { ...fullCcap, ...answers }, today);

describe('eligibility rules data', () => {
  it('names only sources that data/sources.json holds', () => {
    const known = new Set(sources.sources.map((s) => s.id));
    for (const p of rules.programmes)
      for (const c of p.criteria) {
        assert.ok(known.has(c.source), `${p.id}/${c.id}: ${c.source}`);
        if ('history' in c && c.history) assert.ok(known.has(c.history.source));
        if ('context' in c && c.context) assert.ok(known.has(c.context.source));
      }
  });

  it('quotes every source verbatim (whitespace aside, "…" for text left out) from its seed file', () => {
    const seedDir = new URL('../../../shared/seeds/', import.meta.url);
    const files = readdirSync(seedDir);
    const seedFor: Record<string, string> = {
      framework: '001_',
      'ccap-2012': '000_',
      'auditor-toolbox': '002_',
      'st0535-summary': '003_',
      'st0535-profile': '004_',
    };
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    const seedText = (source: string) => {
      const prefix = seedFor[source];
      assert.ok(prefix, `no seed mapped for source ${source}`);
      const file = files.find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
      assert.ok(file, `seed ${prefix}*.txt`);
      return norm(readFileSync(new URL(file, seedDir), 'utf8'));
    };
    let checked = 0;
    for (const p of rules.programmes)
      for (const c of p.criteria) {
        const quotes = [{ source: c.source, quote: c.quote, where: `${p.id}/${c.id}` }];
        if ('history' in c && c.history)
          quotes.push({ source: c.history.source, quote: c.history.quote, where: `${p.id}/${c.id} history` });
        if ('context' in c && c.context)
          quotes.push({ source: c.context.source, quote: c.context.quote, where: `${p.id}/${c.id} context` });
        for (const q of quotes) {
          assert.equal(
            quoteProblem(q.quote, seedText(q.source)),
            null,
            `${q.where}: quote not found in ${q.source}`,
          );
          checked++;
        }
      }
    assert.ok(checked >= 17);
  });

  it('has an answer field for exactly the questions in the file, with the same choices', () => {
    assert.deepEqual([...ANSWER_KEYS].sort(), rules.questions.map((q) => q.id).sort());
    for (const q of rules.questions) {
      if (q.type === 'multiSelect')
        assert.deepEqual(
          q.choices.map((c) => c.value),
          SpecialtySchema.options,
        );
      if (q.type === 'choice')
        assert.deepEqual(
          q.choices.map((c) => c.value),
          LevelAnswerSchema.options.filter((v) => v !== 'unknown'),
        );
    }
  });

  it('asks CCAP, CCTP and the apprenticeship their own questions', () => {
    const ids = (p: string) => questionsFor(rules, p).map((q) => q.id);
    assert.deepEqual(ids('ccap'), [
      'hasAcc',
      'accDate',
      'ccsrcDate',
      'specialties',
      'codingStandardsExpertise',
      'wordPowerPoint',
      'codersToolbox',
      'reportWritingCourse',
    ]);
    assert.deepEqual(ids('cctp'), ['hasAcc', 'accDate', 'codingExperience']);
    assert.deepEqual(ids('apprenticeship'), [
      'level2English',
      'level2Maths',
      'ehcPlan',
      'bslPrimaryLanguage',
    ]);
  });

  it('rejects a rules file whose criterion points at a question that does not exist', () => {
    // Only the path to the first criterion's questions is typed; everything else in the file is kept as it is.
    const RawRules = z.looseObject({
      programmes: z.array(
        z.looseObject({ criteria: z.array(z.looseObject({ questions: z.array(z.string()) })) }),
      ),
    });
    const raw = RawRules.parse(
      JSON.parse(readFileSync(new URL('../../data/eligibility.json', import.meta.url), 'utf8')),
    );
    raw.programmes[0]!.criteria[0]!.questions.push('noSuchQuestion');
    assert.equal(EligibilityRulesSchema.safeParse(raw).success, false);
  });

  it('keeps the engine free of transport, storage and file-system imports', () => {
    for (const f of ['eligibility.ts', 'eligibilitySchema.ts']) {
      const src = readFileSync(new URL(`../../bot/core/eligibility/${f}`, import.meta.url), 'utf8');
      const imports = [...src.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      for (const i of imports) {
        assert.ok(
          !/^(botbuilder|restify|lowdb|adaptivecards-templating|node:fs|fs)/.test(i),
          `${f} imports ${i}`,
        );
        if (i.startsWith('.')) assert.match(i, /\.js$/);
      }
    }
  });
});

describe('CCAP: ACC held for over three years', () => {
  const cases: Array<[string, string, 'met' | 'missing']> = [
    ['the day before the third anniversary', '2024-03-13', 'missing'],
    ['on the third anniversary exactly', '2024-03-14', 'missing'],
    ['the day after the third anniversary', '2024-03-15', 'met'],
  ];
  for (const [when, today, status] of cases) {
    it(`is ${status} ${when} (ACC gained 14 March 2021)`, () => {
      const c = criterion(ccap({ accDate: '2021-03-14' }, today), 'acc-held');
      assert.equal(c.status, status);
      assert.equal(c.metOn, '2024-03-15');
      assert.equal(c.source.id, 'framework');
    });
  }

  it('on the anniversary says it is exactly three years and gives the day it is met', () => {
    const r = ccap({ accDate: '2021-03-14' }, '2024-03-14');
    const c = criterion(r, 'acc-held');
    assert.match(c.detail, /exactly three years/);
    assert.match(c.detail, /15 March 2024/);
    assert.equal(r.verdict, 'not-yet');
    assert.equal(r.eligibleFrom, '2024-03-15');
    assert.match(r.summary, /could apply from 15 March 2024/);
  });

  describe('ACC gained on 29 February 2020 (anniversary in a non-leap year is 28 February)', () => {
    const leap = (today: string) => criterion(ccap({ accDate: '2020-02-29' }, today), 'acc-held');
    it('is not met on 28 February 2023, the third anniversary', () => {
      const c = leap('2023-02-28');
      assert.equal(c.status, 'missing');
      assert.equal(c.metOn, '2023-03-01');
      assert.match(c.detail, /28 February/);
    });
    it('is met on 1 March 2023', () => {
      const c = leap('2023-03-01');
      assert.equal(c.status, 'met');
      assert.equal(c.metOn, '2023-03-01');
    });
    it('is met on 29 February 2024', () => {
      assert.equal(leap('2024-02-29').status, 'met');
    });
  });

  it('mentions when the 2012/13 two-year rule would have been met', () => {
    const c = criterion(ccap({ accDate: '2021-03-14' }, '2024-03-14'), 'acc-held');
    assert.ok(c.history);
    assert.equal(c.history.source.id, 'ccap-2012');
    assert.equal(
      c.history.detail,
      'Under the 2012/13 rule (two years or more) you would have met this on 14 March 2023. We show that rule as history.',
    );
    assert.equal(c.history.metOn, '2023-03-14');
  });

  it('is missing, not unknown, for a coder who is not an ACC', () => {
    const r = ccap({ hasAcc: false, accDate: undefined }, '2024-03-14');
    assert.equal(criterion(r, 'acc-held').status, 'missing');
    assert.match(criterion(r, 'acc-held').detail, /National Clinical Coding Qualification/);
    assert.equal(r.verdict, 'not-yet');
  });
});

describe('CCAP: refresher course within the last three years', () => {
  it('still counts on the day it is exactly three years old, and says it is the last day', () => {
    const c = criterion(ccap({ ccsrcDate: '2021-03-14' }, '2024-03-14'), 'ccsrc');
    assert.equal(c.status, 'met');
    assert.equal(c.validUntil, '2024-03-14');
    assert.match(c.detail, /last day/);
  });
  it('states the date it expires while it still counts', () => {
    const c = criterion(ccap({ ccsrcDate: '2023-06-01' }, '2024-03-14'), 'ccsrc');
    assert.equal(c.status, 'met');
    assert.equal(c.validUntil, '2026-06-01');
    assert.match(c.detail, /up to and including 1 June 2026/);
  });
  it('has lapsed one day later, with the dates it counted to and lapsed on', () => {
    const r = ccap({ ccsrcDate: '2021-03-14' }, '2024-03-15');
    const c = criterion(r, 'ccsrc');
    assert.equal(c.status, 'missing');
    assert.equal(c.validUntil, '2024-03-14');
    assert.match(c.detail, /up to and including 14 March 2024/);
    assert.match(c.detail, /lapsed on 15 March 2024/);
    assert.equal(r.verdict, 'not-yet');
  });
  it('counts a course on 29 February 2020 up to 28 February 2023', () => {
    assert.equal(criterion(ccap({ ccsrcDate: '2020-02-29' }, '2023-02-28'), 'ccsrc').status, 'met');
    assert.equal(criterion(ccap({ ccsrcDate: '2020-02-29' }, '2023-03-01'), 'ccsrc').status, 'missing');
  });
  it('is missing for a coder who has never attended one', () => {
    assert.equal(criterion(ccap({ ccsrcDate: 'none' }, '2024-03-15'), 'ccsrc').status, 'missing');
  });
  it('warns when the course will have lapsed before the ACC rule is met', () => {
    const r = ccap({ accDate: '2022-01-10', ccsrcDate: '2021-06-01' }, '2024-03-14');
    assert.equal(r.eligibleFrom, '2025-01-11');
    assert.match(r.summary, /lapsed/);
  });
});

describe('CCAP: specialties and evidence', () => {
  it('names obstetrics when it is the specialty missing', () => {
    const r = ccap({ specialties: ['general-medicine', 'surgical', 'trauma-orthopaedic'] }, '2024-03-14');
    const c = criterion(r, 'specialties');
    assert.equal(c.status, 'missing');
    assert.match(c.detail, /still need experience coding consultant episodes in obstetrics\./);
    assert.equal(r.verdict, 'not-yet');
  });
  it('reads an empty selection as none of the four', () => {
    const c = criterion(ccap({ specialties: [] }, '2024-03-14'), 'specialties');
    assert.equal(c.status, 'missing');
    assert.match(c.detail, /general medicine, surgical, trauma & orthopaedic and obstetrics\./);
  });
  it('is eligible when everything is met, with completing CCAP and the Code of Practice as after-programme notes', () => {
    const r = ccap({}, '2024-03-14');
    assert.equal(r.verdict, 'eligible');
    assert.deepEqual(r.questionsNeeded, []);
    for (const id of ['complete-ccap', 'code-of-practice']) {
      const c = criterion(r, id);
      assert.equal(c.status, 'info');
      assert.equal(c.phase, 'afterProgramme');
      assert.equal(c.source.id, 'auditor-toolbox');
    }
    assert.equal(criterion(r, 'word-powerpoint').status, 'met');
    assert.equal(criterion(r, 'report-writing').source.id, 'auditor-toolbox');
  });
  it('a "no" to the report-writing course means not yet', () => {
    const r = ccap({ reportWritingCourse: false }, '2024-03-14');
    assert.equal(criterion(r, 'report-writing').status, 'missing');
    assert.equal(r.verdict, 'not-yet');
    assert.equal(r.eligibleFrom, undefined);
  });
});

describe('unknown answers', () => {
  it('give the verdict unknown and list the questions still needed', () => {
    const r = checkEligibility(rules, 'ccap', { hasAcc: true, codersToolbox: 'unknown' }, '2024-03-14');
    assert.equal(r.verdict, 'unknown');
    assert.deepEqual(r.questionsNeeded, [
      'accDate',
      'ccsrcDate',
      'specialties',
      'codingStandardsExpertise',
      'wordPowerPoint',
      'codersToolbox',
      'reportWritingCourse',
    ]);
    assert.equal(criterion(r, 'acc-held').status, 'unknown');
    assert.match(r.summary, /7 more answers/);
  });
  it('ask whether the coder is an ACC when that is not known', () => {
    const r = checkEligibility(rules, 'cctp', { codingExperience: true }, '2024-03-14');
    assert.equal(r.verdict, 'unknown');
    assert.deepEqual(r.questionsNeeded, ['hasAcc', 'accDate']);
  });
  it('do not hide a requirement that is already missing: the verdict is not yet', () => {
    const r = checkEligibility(rules, 'ccap', { hasAcc: true, accDate: '2023-01-01' }, '2024-03-14');
    assert.equal(r.verdict, 'not-yet');
    assert.ok(r.questionsNeeded.includes('ccsrcDate'));
    assert.equal(r.eligibleFrom, undefined);
  });
});

describe('CCTP: the 2012/13 rule on record', () => {
  const cctp = (answers: EligibilityAnswers, today: string) =>
    checkEligibility(rules, 'cctp', answers, today);
  it('cites ccap-2012, says it is the 2012/13 rule with no newer source, and compares the current CCAP rule', () => {
    const r = cctp({ hasAcc: true, accDate: '2021-03-14', codingExperience: true }, '2024-03-14');
    assert.equal(r.verdict, 'eligible');
    const c = criterion(r, 'acc-held');
    assert.equal(c.source.id, 'ccap-2012');
    assert.equal(criterion(r, 'coding-experience').source.id, 'ccap-2012');
    assert.equal(c.metOn, '2023-03-14');
    assert.match(c.detail, /^Under the 2012\/13 rule \(two years or more\)/);
    assert.ok(r.note);
    assert.match(r.note, /2012\/13/);
    assert.match(r.note, /no newer source/);
    assert.match(r.summary, /2012\/13 rule is the newest rule held for CCTP/);
    assert.ok(c.context);
    assert.equal(c.context.source.id, 'framework');
    assert.match(c.context.detail, /over three years\) you would meet this on 15 March 2024/);
  });
  it('meets two years or more on the second anniversary itself', () => {
    assert.equal(
      criterion(cctp({ hasAcc: true, accDate: '2022-03-14' }, '2024-03-13'), 'acc-held').status,
      'missing',
    );
    assert.equal(
      criterion(cctp({ hasAcc: true, accDate: '2022-03-14' }, '2024-03-14'), 'acc-held').status,
      'met',
    );
  });
});

describe('apprenticeship (ST0535)', () => {
  const app = (answers: EligibilityAnswers) =>
    checkEligibility(rules, 'apprenticeship', answers, '2024-03-14');
  it('without Level 2 maths: not blocking, but it must be achieved before the end-point assessment', () => {
    const r = app({ level2English: 'yes', level2Maths: 'no', ehcPlan: false, bslPrimaryLanguage: false });
    assert.equal(r.verdict, 'eligible');
    const c = criterion(r, 'maths');
    assert.equal(c.status, 'info');
    assert.match(c.detail, /does not stop you starting/);
    assert.match(c.detail, /must achieve Level 2 maths before the end-point assessment/);
    assert.equal(c.source.id, 'st0535-profile');
    assert.equal(criterion(r, 'english').status, 'met');
    assert.match(r.summary, /no national entry rule/);
  });
  it('with an EHC plan or legacy statement the minimum is Entry Level 3', () => {
    const c = criterion(app({ level2English: 'yes', level2Maths: 'no', ehcPlan: true }), 'maths');
    assert.match(c.detail, /Entry Level 3 maths rather than Level 2/);
    assert.match(c.detail, /before the end-point assessment/);
  });
  it('accepts a BSL qualification instead of English for BSL users', () => {
    const c = criterion(
      app({ level2English: 'working-towards', level2Maths: 'yes', bslPrimaryLanguage: true }),
      'english',
    );
    assert.equal(c.status, 'info');
    assert.match(c.detail, /British Sign Language is your primary language, a BSL qualification can count/);
  });
  it("leaves the employer's selection criteria as information", () => {
    const c = criterion(app({ level2English: 'yes', level2Maths: 'yes' }), 'employer-criteria');
    assert.equal(c.status, 'info');
    assert.equal(c.source.id, 'st0535-summary');
  });
  it('needs the English and maths answers before giving a verdict', () => {
    const r = app({ level2English: 'yes' });
    assert.equal(r.verdict, 'unknown');
    assert.deepEqual(r.questionsNeeded, ['level2Maths']);
  });
});

describe('validateAnswers', () => {
  const today = '2024-03-14';
  it('rejects a date in the future, saying which date and what for', () => {
    const r = validateAnswers(rules, 'ccap', { hasAcc: 'yes', accDate: '2030-05-01' }, today);
    assert.deepEqual(r, {
      ok: false,
      errors: [
        { field: 'accDate', message: 'The date you gave for your ACC status, 1 May 2030, is in the future.' },
      ],
    });
  });
  it('rejects an impossible date', () => {
    const r = validateAnswers(rules, 'ccap', { hasAcc: 'yes', accDate: '2023-02-30' }, today);
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.errors[0]?.field, 'accDate');
    assert.match(r.errors[0].message, /2023-02-30, is not a real date/);
    assert.equal(EligibilityAnswersSchema.safeParse({ accDate: '2023-02-30' }).success, false);
    assert.equal(EligibilityAnswersSchema.safeParse({ accDate: '2024-02-29' }).success, true);
  });
  it('rejects a date not written YYYY-MM-DD', () => {
    const r = validateAnswers(rules, 'ccap', { hasAcc: 'yes', accDate: '14/03/2021' }, today);
    assert.ok(!r.ok);
    assert.match(r.errors[0]!.message, /not in the form YYYY-MM-DD/);
  });
  it('rejects a submission with no programme chosen', () => {
    const r = validateAnswers(rules, undefined, { hasAcc: 'yes' }, today);
    assert.deepEqual(r, {
      ok: false,
      errors: [{ field: 'programme', message: 'Choose a programme: CCAP, CCTP or the apprenticeship.' }],
    });
  });
  it('rejects a submission with nothing answered', () => {
    const r = validateAnswers(rules, 'apprenticeship', { level2English: '', level2Maths: 'unknown' }, today);
    assert.ok(!r.ok);
    assert.equal(r.errors[0]?.field, '_form');
  });
  it('rejects a missing answer to a question that cannot be unknown', () => {
    for (const hasAcc of [undefined, '', 'unknown']) {
      const r = validateAnswers(rules, 'ccap', { hasAcc, ccsrcDate: '2023-01-01' }, today);
      assert.ok(!r.ok);
      assert.equal(r.errors[0]?.field, 'hasAcc');
      assert.match(r.errors[0].message, /^Please answer: Are you an Accredited Clinical Coder/);
    }
  });
  it('reports every problem at once', () => {
    const r = validateAnswers(
      rules,
      'ccap',
      {
        hasAcc: 'yes',
        accDate: '2030-05-01',
        ccsrcDate: '2023-02-30',
        specialties: ['cardiology'],
        wordPowerPoint: 'maybe',
      },
      today,
    );
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors.map((e) => e.field),
      ['accDate', 'ccsrcDate', 'specialties', 'wordPowerPoint'],
    );
  });
  it('accepts card values, keeps unknowns as unknown and drops answers that were not asked', () => {
    const r = validateAnswers(
      rules,
      'ccap',
      {
        hasAcc: 'yes',
        accDate: '2021-03-14',
        ccsrcDate: 'unknown',
        specialties: 'surgical,obstetrics',
        wordPowerPoint: 'no',
        codersToolbox: true,
        level2Maths: 'yes',
      },
      today,
    );
    assert.deepEqual(r, {
      ok: true,
      answers: {
        hasAcc: true,
        accDate: '2021-03-14',
        specialties: ['surgical', 'obstetrics'],
        wordPowerPoint: false,
        codersToolbox: true,
      },
    });
    const notAcc = validateAnswers(rules, 'cctp', { hasAcc: 'no', accDate: 'whenever' }, today);
    assert.deepEqual(notAcc, { ok: true, answers: { hasAcc: false } });
  });
  it('rejects "none" for a date that has no such option', () => {
    const r = validateAnswers(rules, 'ccap', { hasAcc: 'yes', accDate: 'none' }, today);
    assert.ok(!r.ok);
    assert.equal(r.errors[0]?.field, 'accDate');
  });
});

describe('finding a programme in free text', () => {
  const cases: Array<[string, string | undefined]> = [
    ['ccap', 'ccap'],
    ['Can I apply for CCAP after two years as an ACC?', 'ccap'],
    ['the auditor programme', 'ccap'],
    ['CCTP', 'cctp'],
    ['how do I become a trainer?', 'cctp'],
    ['apprenticeship', 'apprenticeship'],
    ['ST0535', 'apprenticeship'],
    ['the level 3 clinical coder', 'apprenticeship'],
    ['is the auditor programme open to trainers', 'ccap'],
    ['what is the weather', undefined],
  ];
  for (const [text, id] of cases)
    it(`"${text}" → ${id ?? 'nothing'}`, () => {
      assert.equal(findProgramme(rules, text)?.id, id);
    });
});

describe('what the CCAP rules rest on', () => {
  const framework = JSON.parse(
    readFileSync(new URL('../../data/framework.json', import.meta.url), 'utf8'),
  ) as {
    areas: { subAreas: { id: string; statements: { text: string }[] }[] }[];
  };
  const ccapRules = rules.programmes.find((p) => p.id === 'ccap')!;

  it('quotes every CC2 a. statement, the analytical-skills one as a note that does not decide', () => {
    const cc2a = framework.areas.flatMap((a) => a.subAreas).find((s) => s.id === 'CC2a')!;
    const quoted = new Set(ccapRules.criteria.filter((c) => c.source === 'framework').map((c) => c.quote));
    for (const st of cc2a.statements) assert.ok(quoted.has(st.text), `CC2 a.: ${st.text}`);
    const r = ccap({}, '2024-03-14');
    const analytical = criterion(r, 'analytical-skills');
    assert.equal(analytical.status, 'info');
    assert.equal(analytical.phase, 'entry');
    assert.equal(r.verdict, 'eligible');
  });

  it('gives the reading behind every CCAP rule, since no source lists CCAP entry requirements', () => {
    const r = ccap({}, '2024-03-14');
    for (const c of r.criteria) assert.ok(c.reading && c.reading.length > 20, `${c.id} has a reading`);
    assert.match(criterion(r, 'acc-held').reading!, /2012\/13/);
    assert.match(criterion(r, 'acc-held').reading!, /neither says one replaces the other/);
  });

  it('does not present the Code of Practice as unneeded to apply: the toolbox gives no timing', () => {
    const c = ccapRules.criteria.find((x) => x.id === 'code-of-practice')!;
    for (const text of [c.label, c.rule, c.kind === 'info' ? c.parameters.detail : ''])
      assert.doesNotMatch(text, /not needed to apply/i);
    assert.match(c.reading!, /no timing/);
    assert.match(c.reading!, /does not count it for or against you/);
  });
});

describe('describeRuleForQuestion', () => {
  it('gives the current CCAP rule, then the 2012/13 two-year rule as history', () => {
    const d = describeRuleForQuestion(rules, 'ccap');
    assert.match(d.current[0]!.rule, /over three years/);
    assert.equal(d.current[0]!.source.id, 'framework');
    assert.equal(d.historic[0]!.source.id, 'ccap-2012');
    assert.match(d.historic[0]!.rule, /two years or more/);
    assert.ok(d.text.indexOf('over three years') < d.text.indexOf('two years or more'));
    assert.deepEqual(
      d.afterProgramme.map((a) => a.criterionId),
      ['complete-ccap', 'code-of-practice'],
    );
  });
  it('for CCTP says the rule on record is from 2012/13 and mentions the current CCAP rule', () => {
    const d = describeRuleForQuestion(rules, 'cctp');
    assert.equal(d.current[0]!.source.id, 'ccap-2012');
    assert.equal(d.context[0]!.source.id, 'framework');
    assert.match(d.text, /2012\/13/);
    assert.match(d.text, /over three years/);
  });
});

describe('the stored answers document', () => {
  it('parses a valid document and rejects an old or hand-broken one', () => {
    const doc = {
      userId: 'aad-1',
      answers: { hasAcc: true, accDate: '2021-03-14', specialties: ['surgical'] },
      updatedAt: '2024-03-14T09:30:00Z',
      schemaVersion: 1,
    };
    assert.equal(EligibilityDocSchema.safeParse(doc).success, true);
    assert.equal(EligibilityDocSchema.safeParse({ ...doc, schemaVersion: 2 }).success, false);
    assert.equal(
      EligibilityDocSchema.safeParse({ ...doc, answers: { accDate: '2021-02-30' } }).success,
      false,
    );
  });
});

describe('programme ids and dates given by the caller', () => {
  it('throw a coded error for an unknown programme or a bad today', () => {
    assert.throws(
      () => checkEligibility(rules, 'nope', {}, '2024-03-14'),
      (e: unknown) => e instanceof EligibilityError && e.code === 'ELIGIBILITY.UNKNOWN_PROGRAMME',
    );
    assert.throws(
      () => checkEligibility(rules, 'ccap', {}, '2024-02-30'),
      (e: unknown) => e instanceof EligibilityError && e.code === 'ELIGIBILITY.BAD_DATE',
    );
  });
});

describe('the dates alone (ruleDates), for a reminder pass', () => {
  it('are the dates checkEligibility gives, for every programme, answer and day tried', () => {
    const dates = ['2020-02-29', '2021-03-14', '2023-11-24', '2024-11-24', '2026-11-25', 'none', 'unknown'];
    const days = ['2023-11-24', '2026-11-24', '2026-11-25', '2027-02-28'];
    let compared = 0;
    for (const programme of rules.programmes)
      for (const hasAcc of [true, false, 'unknown', undefined] as const)
        for (const accDate of dates)
          for (const ccsrcDate of dates)
            for (const today of days) {
              const answers = EligibilityAnswersSchema.parse({ hasAcc, accDate, ccsrcDate });
              const words = checkEligibility(rules, programme.id, answers, today);
              const alone = ruleDates(rules, programme.id, answers, today);
              for (const c of words.criteria) {
                const d = alone.get(c.id);
                const where = `${programme.id} ${c.id} ${String(hasAcc)} ${accDate} ${ccsrcDate} ${today}`;
                // For a course rule checkEligibility's metOn is the course's date; ruleDates gives its last day.
                const course = c.validUntil !== undefined;
                assert.equal(d?.metOn, course ? undefined : c.metOn, where);
                assert.equal(d?.validUntil, c.validUntil, where);
                compared++;
              }
            }
    assert.ok(compared > 1000, `${compared} criteria compared`);
  });
});
