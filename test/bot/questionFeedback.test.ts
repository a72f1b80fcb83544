import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InvokeResponse } from 'botbuilder';
import { applyQuestionLogRetention } from '../../bot/app.js';
import { ConfigError, parseConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import type { AnswerFeedback } from '../../bot/teams/features/questions/questionFeedbackFeature.js';
import { cardInvokeResponse, type Turn } from '../../bot/teams/turn.js';
import { noticeView } from '../../bot/teams/views.js';
import { channelMessage, invoke, person, personalMessage } from '../support/activities.js';
import { testBot } from '../support/conversation.js';

// Made-up people; the owner's id is written in capitals in the configuration, as a copy from a portal might be.
const owner = { ...person('0ca7e0e1'), name: 'Olu Contentowner' };
const coder = { ...person('c0de0001'), name: 'Riley Madeupname' };
const other = { ...person('c0de0002'), name: 'Kit Notanowner' };
const NOW = new Date('2026-11-16T09:00:00Z');

/** The answer card's stand-in: a notice that says which feedback it was given. */
function standIn() {
  const calls: { question: string; feedback: AnswerFeedback }[] = [];
  return {
    calls,
    rerenderAnswer: (turn: Turn, question: string, feedback: AnswerFeedback): Promise<InvokeResponse> => {
      calls.push({ question, feedback });
      return Promise.resolve(cardInvokeResponse(turn.render('notice', noticeView(`Thanks: ${feedback}`))));
    },
  };
}

async function setUp(opts: { now?: () => Date } = {}) {
  const answer = standIn();
  const bot = await testBot({
    now: opts.now ?? (() => NOW),
    questionLog: {
      owners: [owner.aadObjectId.toUpperCase()],
      days: 90,
      rerenderAnswer: answer.rerenderAnswer,
    },
  });
  const feedback = async (who: typeof coder, data: Record<string, unknown>) =>
    (await bot.send(invoke(who, 'answer.feedback', data))).result.invokeResponse!;
  const kept = () => bot.app.questionLog.list('2026-11-16', 90);
  return { bot, answer, feedback, kept };
}

describe('answer feedback and the question log', () => {
  it('Not helpful keeps the scrubbed question, without who asked, and the card is replaced in place', async () => {
    const { bot, answer, kept } = await setUp();
    const q =
      'Can <at>Jamie Invented</at> (jamie@example.org, 07700 900123) code NHS 943 476 5910? Riley asks';
    const { result, replies } = await bot.send(invoke(coder, 'answer.feedback', { helpful: 'no', q }));
    const body = result.invokeResponse!.body as { statusCode: number; type: string };
    assert.equal(result.invokeResponse!.status, 200);
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.deepEqual(
      replies.map((r) => r.text),
      ['Thanks: not-helpful'],
      'the invoke response is the card, and nothing else is sent',
    );
    assert.deepEqual(answer.calls, [{ question: q, feedback: 'not-helpful' }]);
    assert.deepEqual(await kept(), [
      {
        text: 'Can [name] ([email], [phone]) code NHS [number]? [name] asks',
        reason: 'not-helpful',
        day: '2026-11-16',
      },
    ]);
  });

  it('Helpful keeps nothing and still re-renders the answer', async () => {
    const { answer, feedback, kept } = await setUp();
    const res = await feedback(coder, { helpful: 'yes', q: 'what is SPC?' });
    assert.equal((res.body as { statusCode: number }).statusCode, 200);
    assert.deepEqual(answer.calls, [{ question: 'what is SPC?', feedback: 'helpful' }]);
    assert.deepEqual(await kept(), []);
  });

  const bad: [string, Record<string, unknown>][] = [
    ['no question', { helpful: 'no' }],
    ['a blank question', { helpful: 'no', q: '   ' }],
    ['a question over 500 characters', { helpful: 'no', q: 'x'.repeat(501) }],
    ['a question that is not text', { helpful: 'no', q: { text: 'what' } }],
    ['neither yes nor no', { helpful: 'maybe', q: 'what is SPC?' }],
    ['a boolean for helpful', { helpful: false, q: 'what is SPC?' }],
  ];
  for (const [what, data] of bad) {
    it(`${what}: an error response, nothing kept, the answer not re-rendered`, async () => {
      const { answer, feedback, kept } = await setUp();
      const res = await feedback(coder, data);
      assert.equal(res.status, 200);
      const body = res.body as { statusCode: number; type: string; value: { message: string } };
      assert.equal(body.statusCode, 400);
      assert.equal(body.type, 'application/vnd.microsoft.error');
      assert.match(body.value.message, /out of date/);
      assert.deepEqual(answer.calls, []);
      assert.deepEqual(await kept(), []);
    });
  }

  it('a question with nothing left after scrubbing is not kept', async () => {
    const { feedback, kept } = await setUp();
    await feedback(coder, { helpful: 'no', q: '07700 900123 ?' });
    assert.deepEqual(await kept(), []);
  });

  it('a question the bot declines is kept as unanswered, scrubbed; one it answers is not', async () => {
    const { bot, kept } = await setUp();
    const declined = await bot.send(
      personalMessage(
        coder,
        "I'm Riley Madeupname, reach me at riley@example.org: purple elephants juggling?",
      ),
    );
    assert.match(declined.replies[0]!.text, /won't guess/);
    await bot.send(personalMessage(coder, 'what is SPC?'));
    assert.deepEqual(await kept(), [
      {
        text: "I'm [name] [name], reach me at [email]: purple elephants juggling?",
        reason: 'unanswered',
        day: '2026-11-16',
      },
    ]);
  });

  it('/unanswered shows a content owner the questions most frequent first, with the window and totals', async () => {
    const { bot, feedback } = await setUp();
    await bot.send(personalMessage(coder, 'purple elephants juggling quantum marmalade'));
    for (const q of [
      'Who signs off a CCTP portfolio?',
      'who signs off a CCTP portfolio',
      'WHO signs off a cctp portfolio!',
    ])
      await feedback(other, { helpful: 'no', q });
    await bot.send(personalMessage(other, 'Purple elephants juggling quantum marmalade?'));
    await bot.send(personalMessage(coder, 'a lonely zebra crossing the fjord'));

    const { replies } = await bot.send(personalMessage(owner, '/unanswered'));
    const card = replies[0]!;
    assert.deepEqual(card.lines.slice(0, 2), [
      'Unanswered and not-helpful questions',
      '6 questions in the last 90 days (3 unanswered, 3 not helpful), 3 different. Most frequent first.',
    ]);
    assert.deepEqual(card.lines.slice(2, 8), [
      'Who signs off a CCTP portfolio?',
      '3 times: 3 not helpful · last 16 November 2026',
      'purple elephants juggling quantum marmalade',
      '2 times: 2 unanswered · last 16 November 2026',
      'a lonely zebra crossing the fjord',
      'Once: 1 unanswered · last 16 November 2026',
    ]);
    assert.match(
      card.text,
      /Add it to the passage's examples in data\/questionVocabulary\.json; the next start uses it\./,
    );
    assert.deepEqual(card.buttons, [], 'no download without a link signer');
    for (const who of [coder.name, other.name, coder.aadObjectId, other.aadObjectId, coder.id, other.id])
      assert.ok(!JSON.stringify(card.card).includes(who), `${who} on the owner's card`);
  });

  it('shows the 15 most frequent and says the CSV has the rest', async () => {
    const { bot, feedback } = await setUp();
    for (let i = 1; i <= 17; i++)
      await feedback(other, { helpful: 'no', q: `question number ${'x'.repeat(i)}` });
    const card = (await bot.send(personalMessage(owner, '/unanswered'))).replies[0]!;
    assert.match(card.text, /17 different\. The 15 most frequent are below; the CSV has them all\./);
    assert.equal(card.lines.filter((l) => l.startsWith('question number')).length, 15);
  });

  it('/unanswered for anyone else is a polite refusal that shows nothing kept', async () => {
    const { bot, feedback } = await setUp();
    await feedback(coder, { helpful: 'no', q: 'a secret question about CC4' });
    for (const who of [coder, other, { ...owner, aadObjectId: undefined as unknown as string }]) {
      const card = (await bot.send(personalMessage(who, '/unanswered'))).replies[0]!;
      assert.match(card.text, /for content owners/);
      assert.doesNotMatch(card.text, /secret question/);
    }
  });

  it('/unanswered in a channel continues in the owner’s personal chat, never in the channel', async () => {
    const { bot, feedback } = await setUp();
    await feedback(coder, { helpful: 'no', q: 'a question for the owner only' });
    const { replies } = await bot.send(channelMessage(owner, '/unanswered'));
    assert.equal(replies.length, 1);
    assert.doesNotMatch(replies[0]!.text, /a question for the owner only/);
    assert.match(replies[0]!.text, /private chat/);
  });
});

describe('question log retention', () => {
  it('removes the days older than QUESTION_LOG_DAYS from storage and keeps the window', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cab-qlog-retention-'));
    let now = new Date('2026-05-01T12:00:00Z');
    const answer = standIn();
    const bot = await testBot({
      storage: new LowdbStorage(dir),
      now: () => now,
      questionLog: { owners: [owner.aadObjectId], days: 30, rerenderAnswer: answer.rerenderAnswer },
    });
    const press = (q: string) => bot.send(invoke(coder, 'answer.feedback', { helpful: 'no', q }));
    await press('asked on the first of May');
    now = new Date('2026-05-21T12:00:00Z');
    await press('asked on the twenty-first of May');
    // 19 June in London though 18 June in UTC: a window of 30 days then starts on 21 May.
    now = new Date('2026-06-18T23:30:00Z');
    await press('asked on the nineteenth of June');

    const lines: string[] = [];
    const log = createLogger('info', { write: (s: string) => void lines.push(s) });
    assert.equal(await applyQuestionLogRetention(bot.app, now, log), 1);
    const files = await readdir(path.join(dir, 'store'), { recursive: true });
    const stored = await Promise.all(
      files
        .filter((f) => f.endsWith('.json'))
        .map(async (f) => JSON.parse(await readFile(path.join(dir, 'store', f), 'utf8')) as { key: string }),
    );
    const days = stored
      .map((d) => d.key)
      .filter((k) => /^questionlog\/\d/.test(k))
      .sort();
    assert.deepEqual(days, ['questionlog/2026-05-21', 'questionlog/2026-06-19']);
    const owned = (await bot.send(personalMessage(owner, '/unanswered'))).replies[0]!;
    assert.doesNotMatch(owned.text, /on the first of May/);
    assert.match(owned.text, /twenty-first of May/);

    // The log line has counts only.
    const line = JSON.parse(lines.find((l) => l.includes('questionlog.retention'))!) as Record<
      string,
      unknown
    >;
    assert.deepEqual(
      { event: line.event, days: line.days, removedDays: line.removedDays },
      { event: 'questionlog.retention', days: 30, removedDays: 1 },
    );
    assert.ok(!lines.join('\n').includes('May'));

    now = new Date('2026-06-20T12:00:00Z');
    assert.equal(await applyQuestionLogRetention(bot.app, now, log), 1, 'the next day, 21 May goes');
  });
});

describe('config: content owners and the question log', () => {
  it('defaults to no owners and 90 days', () => {
    const c = parseConfig({});
    assert.deepEqual(c.CONTENT_OWNERS, []);
    assert.equal(c.QUESTION_LOG_DAYS, 90);
  });

  it('reads comma-separated Entra object ids, lower case, ignoring spaces and empty items', () => {
    const c = parseConfig({
      CONTENT_OWNERS: ' 3F2504E0-4F89-41D3-9A0C-0305E82C3301 ,, 00000000-0000-4000-8000-0000000000aa,',
      QUESTION_LOG_DAYS: '30',
    });
    assert.deepEqual(c.CONTENT_OWNERS, [
      '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      '00000000-0000-4000-8000-0000000000aa',
    ]);
    assert.equal(c.QUESTION_LOG_DAYS, 30);
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    [
      'an email address as an owner',
      { CONTENT_OWNERS: 'owner@example.org' },
      /CONTENT_OWNERS\.0: must be Entra object ids/,
    ],
    ['no days', { QUESTION_LOG_DAYS: '0' }, /QUESTION_LOG_DAYS/],
    ['a fraction of days', { QUESTION_LOG_DAYS: '1.5' }, /QUESTION_LOG_DAYS/],
    ['words for days', { QUESTION_LOG_DAYS: 'ninety' }, /QUESTION_LOG_DAYS/],
  ];
  for (const [what, env, message] of invalid) {
    it(`stops at start-up on ${what}`, () => {
      assert.throws(
        () => parseConfig(env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
    });
  }
});
