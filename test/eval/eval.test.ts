import assert from 'node:assert/strict';
import { formatLongDate } from '../../bot/core/calendar.js';
import { channelMessage, person, personalMessage } from '../support/activities.js';
import { Harness } from '../support/http.js';
import {
  EVAL_SETS,
  evalDate,
  judge,
  KINDS,
  loadEval,
  summarise,
  type EvalCase,
  type EvalOutcome,
  type EvalSet,
} from './evaluate.js';

/**
 * The question evaluation (npm run eval) as part of npm test. The sets were written from the sources
 * before tuning; every third case is held out and never tuned against. The floors below are what the
 * bot reaches today on each part, overall and in each set, less about one question (eligibility cases
 * are dated relative to the day the tests run), so a change that answers fewer questions correctly
 * fails here; the target is 95% on both parts.
 */
const FLOOR = { tuned: 0.95, 'held-out': 0.83 } as const;
const HELD_OUT_UNANSWERED_MISSES = 1;
const SET_FLOOR: Record<EvalSet, Record<'tuned' | 'held-out', number>> = {
  first: { tuned: 0.98, 'held-out': 0.91 },
  fresh: { tuned: 0.96, 'held-out': 0.82 },
  third: { tuned: 0.95, 'held-out': 0.8 },
  fourth: { tuned: 0.82, 'held-out': 0.6 },
  fifth: { tuned: 0.67, 'held-out': 0.53 },
};

describe('question evaluation (test/eval/cases*.json)', function () {
  this.timeout(60_000);
  let outcomes: EvalOutcome[];
  let cases: EvalCase[];
  const today = new Date().toISOString().slice(0, 10);

  before(async () => {
    const loaded = await loadEval();
    cases = loaded.cases;
    outcomes = cases.map((c) => judge(loaded.lib, loaded.service, c, today));
  });

  it('holds at least 250 questions, a third held out, 30 unanswerable and 20 eligibility questions in words', () => {
    assert.ok(cases.length >= 250, `${cases.length} cases`);
    const heldOut = cases.filter((c) => c.part === 'held-out').length;
    assert.ok(Math.abs(heldOut - cases.length / 3) <= 1, `${heldOut} held out`);
    assert.ok(cases.filter((c) => c.kind === 'unanswerable').length >= 30);
    assert.ok(cases.filter((c) => c.kind === 'eligibility').length >= 20);
  });

  for (const part of ['tuned', 'held-out'] as const) {
    it(`answers at least ${FLOOR[part] * 100}% of the ${part} part correctly`, () => {
      const { byPart } = summarise(outcomes);
      const r = byPart[part]!;
      const misses = outcomes.filter((o) => o.case.part === part && !o.ok).map((o) => o.case.id);
      assert.ok(r.ok / r.total >= FLOOR[part], `${r.ok}/${r.total}; misses: ${misses.join(', ')}`);
    });
  }

  for (const set of Object.keys(EVAL_SETS) as EvalSet[])
    for (const part of ['tuned', 'held-out'] as const) {
      it(`answers at least ${Math.round(SET_FLOOR[set][part] * 100)}% of the ${set} set's ${part} part correctly`, () => {
        const r = summarise(outcomes).bySet[`${set} ${part}`]!;
        const misses = outcomes
          .filter((o) => o.case.set === set && o.case.part === part && !o.ok)
          .map((o) => o.case.id);
        assert.ok(r.ok / r.total >= SET_FLOOR[set][part], `${r.ok}/${r.total}; misses: ${misses.join(', ')}`);
      });
    }

  it('declines every tuned question the sources cannot answer', () => {
    const answered = outcomes.filter(
      (o) => o.case.kind === 'unanswerable' && o.case.part === 'tuned' && !o.ok,
    );
    assert.deepEqual(
      answered.map((o) => `${o.case.id}: ${o.got}`),
      [],
    );
  });

  // The target is every one. The fourth set, written after the others were tuned, brought a held-out
  // question that is answered today; a floor here, like those above, so that no other one slips.
  it(`declines all but at most ${HELD_OUT_UNANSWERED_MISSES} held-out question the sources cannot answer`, () => {
    const answered = outcomes.filter(
      (o) => o.case.kind === 'unanswerable' && o.case.part === 'held-out' && !o.ok,
    );
    assert.ok(answered.length <= HELD_OUT_UNANSWERED_MISSES, answered.map((o) => o.case.id).join(', '));
  });

  it('answers every tuned eligibility question in words with its verdict and the date the time rule is met', () => {
    const wrong = outcomes.filter((o) => o.case.kind === 'eligibility' && o.case.part === 'tuned' && !o.ok);
    assert.deepEqual(
      wrong.map((o) => `${o.case.id}: ${o.why.join('; ')}`),
      [],
    );
  });
});

describe('question evaluation over the Teams protocol (a sample, through the real server)', function () {
  this.timeout(120_000);
  let h: Harness;
  let sample: EvalCase[];
  let core: Map<string, EvalOutcome>;
  const today = new Date().toISOString().slice(0, 10);

  before(async () => {
    const loaded = await loadEval();
    // Every kind, from both sets and both parts: the wiring must give in Teams what the core gives
    // in the evaluation, right or wrong; whether the core is right is the evaluation's business.
    sample = KINDS.flatMap((kind) =>
      (Object.keys(EVAL_SETS) as EvalSet[]).flatMap((set) =>
        loaded.cases.filter((c) => c.kind === kind && c.set === set).slice(0, 3),
      ),
    );
    core = new Map(sample.map((c) => [c.id, judge(loaded.lib, loaded.service, c, today)]));
    h = await Harness.start();
  });
  after(() => h.stop());

  it('gives the same answers over HTTP in personal chat, each one card with its source or a plain refusal', async () => {
    // One coder per set: the sample is more than the per-user rate limit (60 a minute) lets one person ask.
    for (const c of sample) {
      const coder = person(`eval-coder-${c.set}`);
      const before = h.posted().length;
      const res = await h.send(personalMessage(coder, c.q, h.serviceUrl));
      assert.equal(res.status, 200, c.id);
      await h.connector.waitFor(before + 1);
      const reply = h.posted()[before]!;
      assert.equal(reply.cards.length, 1, `${c.id}: one card`);
      const text = reply.text;
      const inCore = core.get(c.id)!;
      const declined = /^decline/.test(inCore.got);
      if (declined) assert.match(text, /Not in my sources|won't guess/, `${c.id} declines, as in the core`);
      else if (c.eligibility?.date && inCore.ok) {
        assert.match(text, new RegExp(`Eligibility for`), `${c.id} gives a verdict`);
        const want = formatLongDate(evalDate(c.eligibility.date, today));
        assert.ok(text.includes(want), `${c.id}: gives ${want}`);
      } else {
        assert.doesNotMatch(text, /Not in my sources/, `${c.id} answers`);
        assert.match(
          text,
          /Source: |Numbers are statements|T = trainee auditor|supports CC/,
          `${c.id} cites`,
        );
      }
      // A question asked is never echoed back as the card's heading.
      assert.notEqual(reply.cards[0]!.lines[0], c.q, `${c.id}: not echoed`);
    }
  });

  it('answers in a channel in the thread; eligibility from someone’s own dates is not discussed there', async () => {
    const coder = person('eval-channel');
    const question = sample.find((x) => x.kind === 'programme')!;
    let before = h.posted().length;
    assert.equal((await h.send(channelMessage(coder, question.q, h.serviceUrl))).status, 200);
    await h.connector.waitFor(before + 1);
    const answer = h.posted()[before]!;
    assert.match(answer.path, /messageid/);
    assert.doesNotMatch(answer.text, /Not in my sources/);

    const own = sample.find((x) => x.eligibility?.date)!;
    before = h.posted().length;
    assert.equal((await h.send(channelMessage(coder, own.q, h.serviceUrl))).status, 200);
    await h.connector.waitFor(before + 1);
    const refusal = h.posted()[before]!;
    assert.match(refusal.text, /private chat/);
    assert.ok(!refusal.text.includes(formatLongDate(evalDate(own.eligibility!.date!, today))));
  });
});
