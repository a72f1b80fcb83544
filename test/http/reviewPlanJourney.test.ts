/**
 * The loop from gaps to an agreed plan in one run, as the two people live it over the Teams protocol:
 * the real HTTP server, a Bot Connector stand-in, and a clock the test moves from one day to the next.
 */
import assert from 'node:assert/strict';
import { invoke, personalMessage } from '../support/activities.js';
import { post } from '../support/botServer.js';
import { validateCard } from '../support/cardSchema.js';
import { invokeCard, posted, type ReadCard } from '../support/http.js';
import {
  SECRET,
  alice,
  assess,
  sam,
  samChat,
  samInvoke,
  samSubmit,
  send,
  shareAliceWithSam,
  world,
  pressed,
  type World,
} from '../support/managerFlows.js';

const ALICE_CHAT = `a:personal-${alice.aadObjectId}`;
const SAM_CHAT = 'a:created-sam';

describe('from a completed self-assessment to an agreed plan item, done and seen', function () {
  this.timeout(90_000);
  let now = new Date('2026-11-23T09:00:00Z');
  let w: World;
  const cards: ReadCard[] = [];
  /** Everything the bot sent since `from`, each card kept to check against the schema at the end. */
  const sentSince = (from: number) => {
    const out = posted(w.connector).slice(from);
    for (const p of out) cards.push(...p.cards);
    return out;
  };
  const reply = (r: ReadCard) => {
    cards.push(r);
    return r;
  };
  const sayAsSam = async (text: string) => {
    const at = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, text, w.url), conversation: samChat });
    return sentSince(at);
  };
  const sayAsAlice = async (text: string) => {
    const at = posted(w.connector).length;
    await send(w, personalMessage(alice, text, w.url));
    return sentSince(at);
  };
  const reminderPass = async () => {
    const at = posted(w.connector).length;
    const res = await post(`${w.bot.url}/api/reminders`, {}, { authorization: `Bearer ${SECRET}` });
    assert.equal(res.status, 200);
    return sentSince(at);
  };

  before(async () => {
    w = await world(undefined, undefined, () => now);
  });
  after(async () => {
    await w.bot.stop();
    await w.connector.stop();
  });

  it('runs the whole loop', async () => {
    // Monday 23 November: Alice shares with Sam and completes a trainee self-assessment.
    await shareAliceWithSam(w);
    const completing = posted(w.connector).length;
    await assess(w, alice, ['CC3']);
    const reviewMsg = sentSince(completing).find((p) => /^Review: Test alice's/m.test(p.text));
    assert.equal(reviewMsg?.conversationId, SAM_CHAT, "the review card went to Sam's personal chat");

    // Sam agrees with the first sub-area but one, rates that one lower with a comment, agrees to the rest.
    const page1 = reviewMsg.cards[0]!;
    const first = page1.inputs.find((i) => i.id.startsWith('verdict:'))!.id;
    const rated = pressed(page1, 'Save and next', {
      [first]: 'developing',
      [first.replace('verdict:', 'comment:')]: 'The last two audit plans needed my changes.',
    });
    const page2 = reply(invokeCard(await send(w, samInvoke(w, rated.verb, rated.data))));
    const rest = pressed(page2, 'Agree to all the rest');
    const toldAt = posted(w.connector).length;
    const done = reply(invokeCard(await send(w, samInvoke(w, rest.verb, rest.data))));
    assert.match(done.text, /Review done: you agree on \d+ sub-areas and rated 1 differently/);
    assert.match(
      sentSince(toldAt).find((p) => p.conversationId === ALICE_CHAT)?.text ?? '',
      /Sam Manager reviewed your self-assessment/,
    );

    // Alice sees her rating and Sam's side by side, the difference first.
    const results = (await sayAsAlice('/results'))[0]!.text;
    assert.match(
      results,
      /Sam Manager's review \([^)]*\): differences first\n.+\nYou: .+ · Sam Manager: Developing/,
    );

    // Sam's digest suggests an activity for Alice's gaps; Sam adds it to her plan from there.
    const digest = (await sayAsSam('/digest'))[0]!.cards[0]!;
    const suggestion = digest.lines.find((l) => l.startsWith('- For Test alice (gaps in CC3): '));
    assert.ok(suggestion, digest.text);
    const activity = suggestion.replace('- For Test alice (gaps in CC3): ', '');
    const add = digest.buttons.find((b) => b.title === "Add to Test alice's plan")!;
    const addAt = posted(w.connector).length;
    await send(w, samSubmit(w, add.data));
    const afterAdd = sentSince(addAt);
    assert.match(
      afterAdd.find((p) => p.conversationId === ALICE_CHAT)?.text ?? '',
      /Sam Manager proposed adding to your development plan: ".+", by 21 December 2026/,
    );

    // Tuesday: Alice confirms it in /plan; Sam is told it is agreed.
    now = new Date('2026-11-24T10:00:00Z');
    const alicePlan = (await sayAsAlice('/plan'))[0]!.cards[0]!;
    assert.match(
      alicePlan.text,
      /By 21 December 2026 · Sam Manager does it · proposed by Sam Manager, waiting for you to confirm/,
    );
    const confirm = pressed(alicePlan, 'Confirm');
    const confirmAt = posted(w.connector).length;
    const agreed = reply(invokeCard(await send(w, invoke(alice, confirm.verb, confirm.data, w.url))));
    assert.match(agreed.text, /By 21 December 2026 · Sam Manager does it · agreed/);
    assert.match(
      sentSince(confirmAt).find((p) => p.conversationId === SAM_CHAT)?.text ?? '',
      /Test alice confirmed ".+", by 21 December 2026: it is agreed/,
    );

    // Nothing about the item before its time: the evening before the reminder day, nor at 7 the next morning.
    now = new Date('2026-12-17T10:00:00Z');
    assert.ok(!(await reminderPass()).some((p) => /development plan/.test(p.text)), 'not 4 days before');
    now = new Date('2026-12-18T07:00:00Z');
    assert.ok(
      !(await reminderPass()).some((p) => /development plan/.test(p.text)),
      'not before working hours',
    );

    // Friday 18 December, 3 days before the date, in working hours: Sam, who does it, is reminded once.
    now = new Date('2026-12-18T10:00:00Z');
    const reminded = await reminderPass();
    const toSam = reminded.filter((p) =>
      /Test alice's development plan: an item is due on 21 December 2026/.test(p.text),
    );
    assert.equal(toSam.length, 1, reminded.map((p) => p.text).join('\n---\n'));
    assert.equal(toSam[0]!.conversationId, SAM_CHAT);
    assert.match(
      toSam[0]!.text,
      new RegExp(`"${activity.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    assert.ok(
      !reminded.some((p) => p.conversationId === ALICE_CHAT && /development plan/.test(p.text)),
      'Alice does not do it',
    );
    now = new Date('2026-12-18T14:00:00Z');
    assert.ok(!(await reminderPass()).some((p) => /development plan/.test(p.text)), 'once');

    // Monday 21 December: Alice marks it done with evidence; Sam is told and sees it in /plan and the digest.
    now = new Date('2026-12-21T11:00:00Z');
    const mine = (await sayAsAlice('/plan'))[0]!.cards[0]!;
    const noteId = mine.inputs.find((i) => i.id.startsWith('note:'))!.id;
    const close = pressed(mine, 'Mark done', {
      [noteId]: 'Presented last month’s audit to the coding team.',
    });
    const closeAt = posted(w.connector).length;
    reply(invokeCard(await send(w, invoke(alice, close.verb, close.data, w.url))));
    assert.match(
      sentSince(closeAt).find((p) => p.conversationId === SAM_CHAT)?.text ?? '',
      /Test alice marked ".+" done: Presented last month’s audit to the coding team\./,
    );
    const pick = (await sayAsSam('/plan'))[0]!.cards[0]!;
    const open = pressed(pick, 'Test alice');
    const samView = reply(invokeCard(await send(w, samInvoke(w, open.verb, open.data))));
    assert.match(samView.text, /Done 21 December 2026 \(target 21 December 2026\), marked by Test alice/);
    assert.match(samView.text, /Evidence: Presented last month’s audit to the coding team\./);

    // Alice's /results, opened out, keeps the record: the assessment, Sam's review and the item done.
    const resultsCard = (await sayAsAlice('/results'))[0]!.cards[0]!;
    const more = pressed(resultsCard, 'Show more');
    const opened = reply(invokeCard(await send(w, invoke(alice, more.verb, more.data, w.url))));
    const history = opened.lines.slice(opened.lines.indexOf('History') + 1);
    assert.match(
      history[0] ?? '',
      /^21 December 2026: plan item done, ".+": Presented last month’s audit to the coding team\.$/,
    );
    assert.match(
      history[1] ?? '',
      /^23 November 2026: Sam Manager reviewed it, agreeing on \d+ of \d+ sub-areas and rating 1 differently\.$/,
    );
    assert.match(
      history[2] ?? '',
      /^23 November 2026: trainee auditor self-assessment, \d+ of \d+ statements met \(\d+%\), \d+ gaps\.$/,
    );

    // No overdue reminder for an item that is done.
    now = new Date('2026-12-22T10:00:00Z');
    assert.ok(!(await reminderPass()).some((p) => /development plan/.test(p.text)), 'no overdue reminder');

    // Every card either person saw on the way is a valid Adaptive Card 1.5.
    assert.ok(cards.length >= 12, `${cards.length} cards`);
    for (const c of cards) assert.deepEqual(validateCard(c.card), [], c.lines[0]);
  });
});
