import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { invoke, personalMessage } from '../support/activities.js';
import { validateCard } from '../support/cardSchema.js';
import { invokeCard, posted, type ReadCard } from '../support/http.js';
import {
  alice,
  assess,
  bob,
  sam,
  samChat,
  samInvoke,
  shareAliceWithSam,
  send,
  world,
  type World,
} from '../support/managerFlows.js';

/** Presses a button of the review card as Teams sends it: the page's inputs with the button's data. */
function press(w: World, card: ReadCard, title: string, inputs: Record<string, string>): Partial<Activity> {
  const b = card.buttons.find((x) => x.title === title);
  assert.ok(b, `button ${title} (have ${card.buttons.map((x) => x.title).join(', ')})`);
  const defaults = Object.fromEntries(card.inputs.map((i) => [i.id, i.value ?? '']));
  return samInvoke(w, b.verb ?? '', { ...defaults, ...b.data, ...inputs });
}

describe("the manager's review over the Teams protocol", function () {
  this.timeout(60_000);
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.bot.stop();
    await w.connector.stop();
  });

  it('a completed assessment reaches the manager, who agrees with some, rates one differently with a comment, and the coder sees both', async () => {
    await shareAliceWithSam(w);
    const before = posted(w.connector).length;
    await assess(w, alice, ['CC3']);
    const sent = posted(w.connector).slice(before);
    const reviewMsg = sent.find((p) => /^Review: Test alice's trainee auditor self-assessment/m.test(p.text));
    assert.ok(reviewMsg, 'the review card went to the manager');
    assert.equal(reviewMsg.conversationId, 'a:created-sam', "the manager's personal chat");
    const page1 = reviewMsg.cards[0]!;
    assert.deepEqual(validateCard(page1.card), [], 'a valid Adaptive Card 1.5');
    assert.match(page1.text, /CC1 Audit \(page 1 of \d+\)/);
    assert.match(page1.text, /Competent\*\*: /, "the coder's own ratings are on the card");

    // A different rating without a comment is refused and changes nothing.
    const [first, second] = page1.inputs.filter((i) => i.id.startsWith('verdict:')).map((i) => i.id);
    assert.ok(first && second);
    const refused = invokeCard(await send(w, press(w, page1, 'Save and next', { [first]: 'developing' })));
    assert.match(refused.text, /Add a comment where you rate differently \(CC1 a\), so Test alice knows why/);
    assert.match(refused.text, /\(page 1 of \d+\)/);

    const comment = first.replace('verdict:', 'comment:');
    const page2 = invokeCard(
      await send(
        w,
        press(w, refused, 'Save and next', {
          [first]: 'developing',
          [comment]: 'Two of the last three audits needed my corrections.',
        }),
      ),
    );
    assert.match(page2.text, /\(page 2 of \d+\)/);
    const back = invokeCard(await send(w, press(w, page2, 'Back', {})));
    assert.equal(
      back.inputs.find((i) => i.id === first)?.value,
      'developing',
      'what was saved is filled in again',
    );

    const coderBefore = posted(w.connector).length;
    const done = invokeCard(await send(w, press(w, back, 'Agree to all the rest', {})));
    assert.match(done.text, /Review done: you agree on \d+ sub-areas and rated 1 differently/);
    const told = posted(w.connector)
      .slice(coderBefore)
      .find((p) => p.conversationId === `a:personal-${alice.aadObjectId}`);
    assert.match(told?.text ?? '', /Sam Manager reviewed your self-assessment of .*rated 1 differently/);

    const resultsBefore = posted(w.connector).length;
    await send(w, personalMessage(alice, '/results', w.url));
    const results = posted(w.connector).slice(resultsBefore)[0]!;
    assert.match(results.text, /Sam Manager's review \([^)]*\): differences first/);
    const lines = results.text.split('\n');
    const at = lines.findIndex((l) => /differences first/.test(l));
    assert.match(lines[at + 1] ?? '', /^CC1 a\./, 'the difference comes first');
    assert.match(
      lines[at + 2] ?? '',
      /You: .*· Sam Manager: Developing \("Two of the last three audits needed my corrections\."\)/,
    );
    assert.match(results.text, /Sam Manager agrees with your ratings \(\d+ of \d+ sub-areas\)/);

    // The manager's digest says where their review differed.
    const digestBefore = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, '/digest', w.url), conversation: samChat });
    assert.match(
      posted(w.connector).slice(digestBefore)[0]?.text ?? '',
      /Your review differs: CC1 a\. [^:]+: they said [^;]+; you said Developing\./,
    );

    // The manager's export shows their view beside each statement of the sub-area they rated.
    const exportAt = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, '/export', w.url), conversation: samChat });
    const csvUrl = posted(w.connector)
      .slice(exportAt)[0]!
      .cards[0]!.buttons.find((b) => b.title === 'Download CSV')!.url!;
    const csv = await (await fetch(csvUrl)).text();
    assert.match(csv, /Gap,Manager's view \(sub-area\),Manager's comment\r\n/);
    assert.match(csv, /CC1a\.\d+,[^\r]*,Developing,Two of the last three audits needed my corrections\.\r\n/);
    assert.match(csv, /CC2\w\.\d+,[^\r]*,Agrees,\r\n/);

    // The review is closed: pressing its old card again changes nothing.
    const again = invokeCard(await send(w, press(w, page2, 'Save and next', {})));
    assert.match(again.text, /This review is no longer open/);
  });

  it('only the manager the coder shares with can review, and stopping sharing withdraws it', async () => {
    await shareAliceWithSam(w);
    await assess(w, alice, []);
    const page1 = posted(w.connector).find((p) => /^Review: Test alice/m.test(p.text))!.cards[0]!;

    // Someone else pressing the same buttons gets nothing and changes nothing.
    const b = page1.buttons.find((x) => x.title === 'Agree to all the rest')!;
    const other = invokeCard(
      await send(w, {
        ...invoke(bob, b.verb ?? '', b.data, w.url),
      }),
    );
    assert.match(other.text, /This review is no longer open/);

    const stop = invokeCard(await send(w, invoke(alice, 'manager.revoke', {}, w.url)));
    assert.match(stop.text, /no longer sees your results/);
    const late = invokeCard(await send(w, press(w, page1, 'Agree to all the rest', {})));
    assert.match(late.text, /This review is no longer open/);
    const before = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, '/review', w.url), conversation: samChat });
    assert.match(posted(w.connector).slice(before)[0]?.text ?? '', /No reviews are waiting for you/);
    const resultsBefore = posted(w.connector).length;
    await send(w, personalMessage(alice, '/results', w.url));
    assert.doesNotMatch(posted(w.connector).slice(resultsBefore)[0]?.text ?? '', /review/i);
  });

  it('/review opens a review whose card never reached the manager; /team says when one has waited over a week', async () => {
    let now = new Date('2026-11-23T08:00:00Z');
    await w.bot.stop();
    await w.connector.stop();
    w = await world(undefined, undefined, () => now);
    await shareAliceWithSam(w);
    w.connector.failNext(1, 403);
    await assess(w, alice, ['CC5']);
    assert.ok(!posted(w.connector).some((p) => /^Review: Test alice/m.test(p.text)), 'not delivered');
    const before = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, '/review', w.url), conversation: samChat });
    const card = posted(w.connector).slice(before)[0];
    assert.match(card?.text ?? '', /^Review: Test alice's trainee auditor self-assessment/m);

    const team = async () => {
      const at = posted(w.connector).length;
      await send(w, { ...personalMessage(sam, '/team', w.url), conversation: samChat });
      return posted(w.connector).slice(at)[0]?.text ?? '';
    };
    assert.match(await team(), /Review waiting: their self-assessment of 23 November 2026\. Type \/review\./);
    now = new Date('2026-12-01T09:00:00Z');
    assert.match(await team(), /Review waiting for over a week: their self-assessment of 23 November 2026/);
  });
});
