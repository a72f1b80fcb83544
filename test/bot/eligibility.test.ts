import assert from 'node:assert/strict';
import { invoke, person, personalMessage } from '../support/activities.js';
import { testBot, type Reply } from '../support/conversation.js';

type Bot = Awaited<ReturnType<typeof testBot>>;
type Who = ReturnType<typeof person>;

const CCAP_QUESTIONS = [
  'hasAcc',
  'accDate',
  'ccsrcDate',
  'specialties',
  'codingStandardsExpertise',
  'wordPowerPoint',
  'codersToolbox',
  'reportWritingCourse',
];
/** Everything met for CCAP except what a test changes (today is 16 November 2026). */
const CCAP_OK = {
  hasAcc: 'yes',
  accDate: '2019-01-10',
  ccsrcDate: '2025-06-01',
  specialties: 'general-medicine,surgical,trauma-orthopaedic,obstetrics',
  codingStandardsExpertise: 'yes',
  wordPowerPoint: 'yes',
  codersToolbox: 'yes',
  reportWritingCourse: 'yes',
};

async function press(bot: Bot, who: Who, card: Reply, title: string, inputs: Record<string, string> = {}) {
  const b = card.buttons.find((x) => x.title === title);
  assert.ok(b, `button "${title}" on the card (have: ${card.buttons.map((x) => x.title).join(', ')})`);
  assert.equal(b.kind, 'execute');
  const { replies, result } = await bot.send(invoke(who, b.verb!, { ...b.data, ...inputs }));
  assert.equal(result.invokeResponse?.status, 200);
  const body = result.invokeResponse.body as { statusCode?: number };
  assert.equal(body.statusCode, 200, JSON.stringify(body));
  return replies[0]!;
}

async function say(bot: Bot, who: Who, text: string): Promise<Reply> {
  const { replies } = await bot.send(personalMessage(who, text));
  assert.equal(replies.length, 1);
  return replies[0]!;
}

async function ccapForm(bot: Bot, who: Who): Promise<Reply> {
  return press(bot, who, await say(bot, who, '/eligibility'), 'CCAP');
}

const answerIds = (card: Reply) => card.inputs.map((i) => i.id).filter((id) => !id.endsWith(':none'));
const inputValue = (card: Reply, id: string) => card.inputs.find((i) => i.id === id)?.value;
/** The detail line under a criterion row, found by the row's label. */
function rowAfter(card: Reply, label: RegExp): { status: string; detail: string } {
  const i = card.lines.findIndex((l) => label.test(l));
  assert.ok(i > 0, `a row matching ${label} in:\n${card.text}`);
  return { status: card.lines[i - 1]!, detail: card.lines[i + 1]! };
}

describe('eligibility conversation', () => {
  it('/eligibility offers the three programmes; CCAP shows only the CCAP questions, each labelled', async () => {
    const bot = await testBot();
    const who = person('elig-pick');
    const pick = await say(bot, who, '/eligibility');
    assert.deepEqual(
      pick.buttons.map((b) => [b.title, b.verb, b.data.programme]),
      [
        ['CCAP', 'eligibility.form', 'ccap'],
        ['CCTP', 'eligibility.form', 'cctp'],
        ['Level 3 apprenticeship', 'eligibility.form', 'apprenticeship'],
      ],
    );
    const form = await press(bot, who, pick, 'CCAP');
    assert.deepEqual(answerIds(form), CCAP_QUESTIONS);
    for (const i of form.inputs) assert.ok(i.label && i.label !== i.id, `${i.id} has a label`);
    const card = form.card as { body: Record<string, unknown>[] };
    const inputs = JSON.stringify(card.body);
    // A text box read day first: the Playground's date picker read "14/03/2024" as a US date.
    assert.match(inputs, /"type":"Input.Text","id":"accDate"/);
    const spec = form.inputs.find((i) => i.id === 'specialties')!;
    assert.equal(spec.isMultiSelect, true);
    assert.deepEqual(
      spec.choices.map((c) => c.value),
      ['general-medicine', 'surgical', 'trauma-orthopaedic', 'obstetrics'],
    );
    assert.deepEqual(
      form.inputs.find((i) => i.id === 'codersToolbox')!.choices.map((c) => c.title),
      ['Yes', 'No', 'Not sure'],
    );
    assert.deepEqual(form.buttons.map((b) => b.title).slice(0, 3), ['Check', 'Help', 'Clear answers']);
    assert.doesNotMatch(form.text, /Level 2|adequate experience of clinical coding/);
  });

  it('/eligibility CCAP goes straight to the form', async () => {
    const bot = await testBot();
    const form = await say(bot, person('elig-direct'), '/eligibility ccap');
    assert.deepEqual(answerIds(form), CCAP_QUESTIONS);
  });

  it('ACC gained exactly three years ago is Not yet, naming the day after; a day earlier is Met', async () => {
    const bot = await testBot();
    const who = person('elig-acc');
    const result = await press(bot, who, await ccapForm(bot, who), 'Check', {
      ...CCAP_OK,
      accDate: '2023-11-16',
    });
    assert.equal(result.lines[0], 'Not yet');
    const acc = rowAfter(result, /^ACC status held for over three years$/);
    assert.equal(acc.status, 'Missing');
    assert.match(acc.detail, /17 November 2026/);
    assert.match(result.text, /2012\/13 rule: /);
    assert.match(result.text, /^You can apply from 17 November 2026\.$/m);
    assert.equal(result.text.match(/apply from/g)?.length, 1, 'the date to apply from is said once');
    assert.match(result.text, /\nSources\nClinical Coding Auditor Competency Framework/);
    const sources = result.lines.slice(result.lines.indexOf('Sources') + 1);
    assert.equal(new Set(sources).size, sources.length, 'each source named once');
    assert.doesNotMatch(result.text, /Source: /);
    assert.ok(JSON.stringify(result.card).length < 28 * 1024);
    assert.deepEqual(
      result.buttons.map((b) => [b.title, b.verb]),
      [
        ['Show all details', 'eligibility.result'],
        ['Change answers', 'eligibility.form'],
        ['Another programme', 'eligibility.pick'],
      ],
    );

    const again = await press(bot, who, await press(bot, who, result, 'Change answers'), 'Check', {
      ...CCAP_OK,
      accDate: '2023-11-15',
    });
    assert.equal(again.lines[0], 'Eligible');
    assert.match(again.text, /^You can apply now\.$/m);
    assert.match(again.text, /^Met: .*ACC status held for over three years/m, 'what is met, in one line');
    const details = await press(bot, who, again, 'Show all details');
    assert.equal(rowAfter(details, /^ACC status held for over three years$/).status, 'Met');
  });

  it('a future date is shown as an error on the same form and nothing is saved', async () => {
    const bot = await testBot();
    const who = person('elig-future');
    const form = await press(bot, who, await ccapForm(bot, who), 'Check', {
      ...CCAP_OK,
      accDate: '2027-01-05',
    });
    assert.deepEqual(answerIds(form), CCAP_QUESTIONS);
    assert.match(form.lines[0]!, /5 January 2027, is in the future/);
    const errorBlock = (form.card as { body: { color?: string }[] }).body[0]!;
    assert.equal(errorBlock.color, 'Attention');
    assert.equal(inputValue(form, 'accDate'), '5 January 2027', 'what was entered is kept, as it was read');
    assert.equal(
      await bot.app.store.storage.read([`eligibility/${who.aadObjectId}`]).then((r) => Object.keys(r).length),
      0,
    );
    const fresh = await say(bot, who, '/eligibility CCAP');
    assert.ok(!inputValue(fresh, 'accDate'), 'the rejected date is not pre-filled');
    assert.ok(!inputValue(fresh, 'hasAcc'));
  });

  it('a refresher course dated in the future is questioned, not taken as attended', async () => {
    const bot = await testBot();
    const who = person('elig-course-future');
    const form = await press(bot, who, await ccapForm(bot, who), 'Check', {
      ...CCAP_OK,
      ccsrcDate: '20/11/2026',
    });
    assert.match(form.lines[0]!, /your last refresher course \(CCSRC\), 20 November 2026, is in the future/);
  });

  it('dates are typed day first and read back in words: 14/03/2024 is 14 March 2024, never April 3', async () => {
    const bot = await testBot();
    const who = person('elig-ukdate');
    const result = await press(bot, who, await ccapForm(bot, who), 'Check', {
      ...CCAP_OK,
      accDate: '14/03/2024',
    });
    assert.match(result.text, /You gained ACC status on 14 March 2024/);
    const form = await press(bot, who, result, 'Change answers');
    assert.equal(inputValue(form, 'accDate'), '14 March 2024');
    const bad = await press(bot, who, form, 'Check', { ...CCAP_OK, accDate: '14/13/2024' });
    assert.match(bad.lines[0]!, /14\/13\/2024, is not a real date/);
    const words = await press(bot, who, form, 'Check', { ...CCAP_OK, accDate: 'last spring' });
    assert.match(
      words.lines[0]!,
      /couldn't read "last spring" as a date for your ACC status: type it as day\/month\/year/,
    );
  });

  it('"Not sure" is kept when answers are changed, and offered only where the card says it can be chosen', async () => {
    const bot = await testBot();
    const who = person('elig-notsure');
    const form = await ccapForm(bot, who);
    const hasAcc = form.inputs.find((i) => i.id === 'hasAcc')!;
    assert.match(hasAcc.label, /needs an answer/);
    assert.ok(!hasAcc.choices.some((c) => c.title === 'Not sure'), 'no "Not sure" where an answer is needed');
    assert.match(form.text, /choose "Not sure" \(not offered where an answer is needed\)/);
    for (const i of form.inputs.filter((x) => x.choices.some((c) => c.value === 'no') && x.id !== 'hasAcc'))
      assert.ok(
        i.choices.some((c) => c.title === 'Not sure'),
        `${i.id} offers Not sure`,
      );
    const result = await press(bot, who, form, 'Check', { ...CCAP_OK, wordPowerPoint: 'unknown' });
    const again = await press(bot, who, result, 'Change answers');
    assert.equal(inputValue(again, 'wordPowerPoint'), 'unknown');
    assert.equal(
      again.inputs.find((i) => i.id === 'wordPowerPoint')!.choices.find((c) => c.value === 'unknown')?.title,
      'Not sure',
    );
  });

  it('an impossible date is an error', async () => {
    const bot = await testBot();
    const who = person('elig-feb30');
    const form = await press(bot, who, await ccapForm(bot, who), 'Check', {
      ...CCAP_OK,
      accDate: '2023-02-30',
    });
    assert.match(form.lines[0]!, /2023-02-30, is not a real date/);
  });

  it('pre-fills saved answers next time, and clear removes them', async () => {
    const bot = await testBot();
    const who = person('elig-saved');
    await press(bot, who, await ccapForm(bot, who), 'Check', {
      ...CCAP_OK,
      ccsrcDate: '',
      'ccsrcDate:none': 'true',
    });
    const form = await ccapForm(bot, who);
    assert.equal(inputValue(form, 'hasAcc'), 'yes');
    assert.equal(inputValue(form, 'accDate'), '10 January 2019');
    assert.equal(inputValue(form, 'ccsrcDate:none'), 'true');
    assert.equal(inputValue(form, 'specialties'), CCAP_OK.specialties);

    const cleared = await press(bot, who, form, 'Clear answers');
    assert.match(cleared.text, /deleted/);
    assert.deepEqual(answerIds(cleared), CCAP_QUESTIONS);
    assert.ok(cleared.inputs.every((i) => !i.value || i.value === 'false'));
    const next = await ccapForm(bot, who);
    assert.ok(!inputValue(next, 'accDate'));
  });

  it('answers for another programme are kept when one is checked', async () => {
    const bot = await testBot();
    const who = person('elig-merge');
    await press(bot, who, await ccapForm(bot, who), 'Check', CCAP_OK);
    const cctp = await press(bot, who, await say(bot, who, '/eligibility'), 'CCTP');
    assert.equal(inputValue(cctp, 'accDate'), '10 January 2019');
    await press(bot, who, cctp, 'Check', { hasAcc: 'yes', accDate: '2020-05-05', codingExperience: 'yes' });
    const ccap = await ccapForm(bot, who);
    assert.equal(inputValue(ccap, 'accDate'), '5 May 2020');
    assert.equal(inputValue(ccap, 'reportWritingCourse'), 'yes');
  });

  it('the apprenticeship without Level 2 maths does not block, and mentions the end-point assessment', async () => {
    const bot = await testBot();
    const who = person('elig-appr');
    const form = await press(bot, who, await say(bot, who, '/eligibility'), 'Level 3 apprenticeship');
    assert.deepEqual(answerIds(form), ['level2English', 'level2Maths', 'ehcPlan', 'bslPrimaryLanguage']);
    const result = await press(bot, who, form, 'Check', { level2English: 'yes', level2Maths: 'no' });
    assert.equal(result.lines[0], 'Eligible');
    const maths = rowAfter(result, /^Level 2 maths/);
    assert.equal(maths.status, 'Note');
    assert.match(maths.detail, /end-point assessment/);
  });

  it('shows each rule’s quote in a box labelled with its source, and the bot’s reading apart from it', async () => {
    const bot = await testBot();
    const who = person('elig-apart');
    const short = await press(bot, who, await ccapForm(bot, who), 'Check', CCAP_OK);
    // As first shown the card is short; the button opens every rule's quote and reading in place.
    assert.doesNotMatch(short.text, /Our reading: /);
    const result = await press(bot, who, short, 'Show all details');
    type Node = { type?: string; style?: string; text?: string; items?: Node[] };
    const rows = (result.card as { body: Node[] }).body.filter((n) => n.type === 'Container');
    // The quote box and the reading sit together in one container under each row.
    const holders = rows.flatMap((r) =>
      (r.items ?? []).filter((i) => i.type === 'Container' && i.items?.some((x) => x.style === 'emphasis')),
    );
    assert.equal(holders.length, 10, 'each of the ten CCAP criteria has its quote box');
    for (const holder of holders) {
      const box = holder.items!.find((i) => i.style === 'emphasis')!;
      const [label, quote] = box.items!;
      assert.match(label!.text!, /^Source: /);
      assert.ok(quote!.text && !quote!.text.startsWith('Our reading'), 'the quote is in the box');
      const reading = holder.items!.find((i) => i.text?.startsWith('Our reading: '));
      assert.ok(reading, `a reading under ${label!.text}`);
      assert.ok(!box.items!.some((i) => i.text?.includes('Our reading')), 'the reading is outside the box');
    }
    assert.match(result.text, /Basic analytical skills to translate medical terminology into codes/);
    assert.doesNotMatch(result.text, /Not needed to apply/);
  });

  it('a free-text question gets the current and the 2012/13 rule with both sources', async () => {
    const bot = await testBot();
    const who = person('elig-question');
    const card = await say(bot, who, '/eligibility can I apply for CCAP after two years as an ACC?');
    assert.match(card.text, /over three years/);
    assert.match(card.text, /two years or more/);
    const sources = card.lines.slice(card.lines.indexOf('Sources') + 1);
    assert.match(sources[0]!, /^Clinical Coding Auditor Competency Framework/);
    assert.ok(
      sources.length >= 2 && new Set(sources).size === sources.length,
      `each source once: ${sources.join(' | ')}`,
    );
    const b = card.buttons.find((x) => x.title === 'Check my eligibility');
    assert.equal(b?.verb, 'eligibility.form');
    assert.equal(b.data.programme, 'ccap');
  });
});
