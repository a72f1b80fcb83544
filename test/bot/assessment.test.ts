import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import { invoke, person, personalMessage } from '../support/activities.js';
import { fitAnswer, testBot, type Reply } from '../support/conversation.js';

type Bot = Awaited<ReturnType<typeof testBot>>;

async function press(
  bot: Bot,
  who: ReturnType<typeof person>,
  card: Reply,
  title: string,
  inputs: Record<string, string> = {},
) {
  const b = card.buttons.find((x) => x.title === title);
  assert.ok(b, `button "${title}" on the card (have: ${card.buttons.map((x) => x.title).join(', ')})`);
  assert.equal(b.kind, 'execute');
  const { replies, result } = await bot.send(invoke(who, b.verb!, { ...b.data, ...inputs }));
  assert.equal(result.invokeResponse?.status, 200);
  return replies;
}

/** Rates every statement on the card with the rating chosen for it. */
function ratings(
  card: Reply,
  pick: (statementText: string, index: number) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  card.inputs
    .filter((i) => i.id.startsWith('rating:'))
    .forEach((i, n) => (out[i.id] = fitAnswer(i, pick(i.label, n))));
  return out;
}

async function startAt(
  bot: Bot,
  who: ReturnType<typeof person>,
  level: 'Trainee auditor' | 'Approved auditor',
) {
  const { replies } = await bot.send(personalMessage(who, '/assess'));
  return (await press(bot, who, replies[0]!, level))[0]!;
}

describe('self-assessment conversation', () => {
  for (const [level, expected, cards, subAreaCount] of [
    ['Trainee auditor', 70, 32, 28],
    ['Approved auditor', 138, 49, 35],
  ] as const) {
    it(`asks exactly the ${expected} statements for a ${level.toLowerCase()}, at most four to a card, and shows results`, async () => {
      const bot = await testBot();
      const who = person(`walk-${expected}`);
      let card = await startAt(bot, who, level);
      let asked = 0;
      let seen = 0;
      const subAreas = new Set<string>();
      for (;;) {
        seen += 1;
        assert.match(card.text, new RegExp(`Card ${seen} of ${cards}`));
        assert.ok(card.inputs.filter((i) => i.id.startsWith('rating:')).length <= 4);
        subAreas.add(card.lines[1]!.replace(/ \(part \d+ of \d+\)$/, ''));
        const rated = ratings(card, () => 'competent');
        asked += Object.keys(rated).length;
        const isLast = card.buttons.some((b) => b.title === 'Finish');
        card = (await press(bot, who, card, isLast ? 'Finish' : 'Next', rated))[0]!;
        if (isLast) break;
      }
      assert.equal(asked, expected);
      assert.equal(subAreas.size, subAreaCount);
      assert.match(card.text, /Your results/);
      assert.match(card.text, /statements met \(100%\)/);
      assert.match(card.text, /No gaps/);
    });
  }

  it('a trainee who rates every CC3 statement Not yet gets CC3 gaps and only CC3 trainee activities', async () => {
    const bot = await testBot();
    const who = person('cc3-gaps');
    let card = await startAt(bot, who, 'Trainee auditor');
    for (;;) {
      const inCc3 = /CC3 Interpersonal/.test(card.text);
      const isLast = card.buttons.some((b) => b.title === 'Finish');
      card = (
        await press(
          bot,
          who,
          card,
          isLast ? 'Finish' : 'Next',
          ratings(card, () => (inCc3 ? 'notYet' : 'confident')),
        )
      )[0]!;
      if (isLast) break;
    }
    assert.match(card.text, /· 20 gaps/);
    assert.match(card.text, /Gap: CC3 /);
    const { replies } = await bot.send(personalMessage(who, '/gaps'));
    assert.match(replies[0]!.text, /Gap: CC3 /, 'the biggest gaps first');
    const list = (await press(bot, who, replies[0]!, 'All activities for my gaps'))[0]!;
    const metas = list.lines.filter((l) => /for your gaps in/.test(l));
    assert.ok(metas.length > 0);
    for (const m of metas) {
      assert.match(m, /Trainee/);
      assert.match(m, /for your gaps in CC3$/);
    }
    // /activities with no area means "for my gaps", and says so
    const acts = await bot.send(personalMessage(who, '/activities'));
    assert.match(acts.replies[0]!.text, /Line-manager activities for your gaps/);
    assert.match(acts.replies[0]!.text, /For your gaps in CC3, at your level \(trainee auditor\)/);
    // With an area and no level, the person's own level, said so: no approved-only activity for a trainee.
    const cc1 = await bot.send(personalMessage(who, '/activities CC1'));
    assert.match(cc1.replies[0]!.text, /trainee auditors \(your level/);
    assert.doesNotMatch(cc1.replies[0]!.text, /Approved auditors only/);
  });

  it('saves every step: leave, come back days later after a restart, and carry on at the same card', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cab-assess-'));
    const who = person('resume');
    const first = await testBot({ storage: new LowdbStorage(dir) });
    let card = await startAt(first, who, 'Approved auditor');
    card = (
      await press(
        first,
        who,
        card,
        'Next',
        ratings(card, () => 'developing'),
      )
    )[0]!;
    for (let i = 0; i < 2; i++)
      card = (
        await press(
          first,
          who,
          card,
          'Next',
          ratings(card, () => 'competent'),
        )
      )[0]!;
    const where = card.lines[1];
    const saved = (
      await press(first, who, card, 'Save and finish later', {
        ...ratings(card, () => 'confident'),
        note: 'Led the <b>March</b> audit',
      })
    )[0]!;
    assert.match(saved.text, /Saved\. You are on card 4 of 49/);

    const later = await testBot({
      storage: new LowdbStorage(dir),
      now: () => new Date('2026-11-20T10:00:00Z'),
    });
    const { replies } = await later.send(personalMessage(who, '/assess'));
    assert.match(replies[0]!.text, /in progress: card 4 of 49/);
    const resumed = (await press(later, who, replies[0]!, 'Resume'))[0]!;
    assert.equal(resumed.lines[1], where);
    assert.ok(resumed.inputs.filter((i) => i.id.startsWith('rating:')).every((i) => i.value === 'confident'));
    assert.equal(resumed.inputs.find((i) => i.id === 'note')?.value, 'Led the <b>March</b> audit');

    const back = (await press(later, who, resumed, 'Back'))[0]!;
    assert.match(back.text, /Card 3 of 49/);
    assert.ok(back.inputs.filter((i) => i.id.startsWith('rating:')).every((i) => i.value === 'competent'));
  });

  it('refuses a stale card with a clear message and changes nothing', async () => {
    const bot = await testBot();
    const who = person('stale');
    const card1 = await startAt(bot, who, 'Trainee auditor');
    const card2 = (
      await press(
        bot,
        who,
        card1,
        'Next',
        ratings(card1, () => 'competent'),
      )
    )[0]!;
    // Press Next on the first card again, with different answers.
    const again = (
      await press(
        bot,
        who,
        card1,
        'Next',
        ratings(card1, () => 'notYet'),
      )
    )[0]!;
    assert.match(again.text, /out of date/i);
    assert.match(again.text, /Card 2 of 32/);
    const back = (await press(bot, who, again, 'Back'))[0]!;
    assert.ok(back.inputs.filter((i) => i.id.startsWith('rating:')).every((i) => i.value === 'competent'));
    assert.ok(card2);
  });

  it('rejects a rating off the scale and another user’s card, changing nothing', async () => {
    const bot = await testBot();
    const alice = person('alice');
    const bob = person('bob');
    const card = await startAt(bot, alice, 'Trainee auditor');
    const next = card.buttons.find((b) => b.title === 'Next')!;
    const bad = await bot.send(
      invoke(alice, 'assess.step', { ...next.data, ...ratings(card, () => 'superb') }),
    );
    assert.equal((bad.result.invokeResponse?.body as { statusCode: number }).statusCode, 400);
    const stolen = await bot.send(
      invoke(bob, 'assess.step', { ...next.data, ...ratings(card, () => 'notYet') }),
    );
    const text = JSON.stringify(stolen.result.invokeResponse?.body);
    assert.doesNotMatch(text, /Card 2/);
    const { replies } = await bot.send(personalMessage(alice, '/assess'));
    assert.match(replies[0]!.text, /card 1 of 32, 0 of 70 statements answered/);
  });

  it('starts over only after confirmation, keeping completed history', async () => {
    const bot = await testBot();
    const who = person('restart');
    const card = await startAt(bot, who, 'Trainee auditor');
    await press(
      bot,
      who,
      card,
      'Next',
      ratings(card, () => 'competent'),
    );
    const { replies } = await bot.send(personalMessage(who, '/assess'));
    const ask = (await press(bot, who, replies[0]!, 'Start over'))[0]!;
    assert.match(ask.text, /Start over\?/);
    const fresh = (await press(bot, who, ask, 'Start over: approved auditor'))[0]!;
    assert.match(fresh.text, /Card 1 of 49/);
    // The old "Start over" confirmation cannot discard the new assessment.
    const old = (await press(bot, who, ask, 'Start over: trainee auditor'))[0]!;
    assert.match(old.text, /Approved auditor/);
  });

  it('/results before any assessment says how to start', async () => {
    const bot = await testBot();
    const { replies } = await bot.send(personalMessage(person('nobody'), '/results'));
    assert.match(replies[0]!.text, /no self-assessment results yet/);
  });
});
