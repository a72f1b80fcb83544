import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
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
  samSubmit,
  shareAliceWithSam,
  send,
  world,
  pressed,
  type World,
} from '../support/managerFlows.js';

describe('the development plan over the Teams protocol', function () {
  this.timeout(60_000);
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.bot.stop();
    await w.connector.stop();
  });

  async function coderPlan(): Promise<ReadCard> {
    const before = posted(w.connector).length;
    await send(w, personalMessage(alice, '/plan', w.url));
    const card = posted(w.connector).slice(before)[0]?.cards[0];
    assert.ok(card);
    return card;
  }

  it('the coder proposes, the manager confirms, the coder marks it done with evidence and the manager sees it', async () => {
    await shareAliceWithSam(w);
    await assess(w, alice, ['CC3']);
    const plan = await coderPlan();
    assert.deepEqual(validateCard(plan.card), []);
    assert.match(plan.text, /Your development plan/);
    assert.match(plan.text, /Add an activity for the gaps/);
    const activity = plan.inputs.find((i) => i.id === 'activityId');
    assert.ok(activity?.value, 'the best suggestion is chosen already');

    // A date in the past is refused and nothing is added.
    const past = pressed(plan, 'Add to plan', { targetDate: '2026-01-01', owner: 'coder' });
    const refused = invokeCard(await send(w, invoke(alice, past.verb, past.data, w.url)));
    assert.match(refused.text, /Choose a target date from today on/);
    assert.doesNotMatch(refused.text, /waiting for Sam Manager/);

    const add = pressed(plan, 'Add to plan', { targetDate: '2026-12-21', owner: 'coder' });
    const before = posted(w.connector).length;
    const added = invokeCard(await send(w, invoke(alice, add.verb, add.data, w.url)));
    assert.match(
      added.text,
      /By 21 December 2026 · You do it · proposed by you, waiting for Sam Manager to confirm/,
    );
    const told = posted(w.connector)
      .slice(before)
      .find((p) => p.conversationId === 'a:created-sam');
    assert.match(
      told?.text ?? '',
      /Test alice proposed adding to their development plan: ".+", by 21 December 2026/,
    );

    // The manager opens /plan, picks Alice and confirms.
    const pickBefore = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, '/plan', w.url), conversation: samChat });
    const pick = posted(w.connector).slice(pickBefore)[0]!.cards[0]!;
    const open = pressed(pick, 'Test alice');
    const samView = invokeCard(await send(w, samInvoke(w, open.verb, open.data)));
    assert.match(samView.text, /Test alice's development plan/);
    assert.match(samView.text, /Test alice does it · proposed by Test alice, waiting for you to confirm/);
    const confirm = pressed(samView, 'Confirm');
    const agreed = invokeCard(await send(w, samInvoke(w, confirm.verb, confirm.data)));
    assert.match(agreed.text, /By 21 December 2026 · Test alice does it · agreed/);

    // Alice marks it done: a note is needed.
    const mine = await coderPlan();
    const noNote = pressed(mine, 'Mark done');
    assert.match(
      invokeCard(await send(w, invoke(alice, noNote.verb, noNote.data, w.url))).text,
      /Add a note: what was done, or why it is dropped/,
    );
    const noteId = mine.inputs.find((i) => i.id.startsWith('note:'))!.id;
    const withNote = pressed(mine, 'Mark done', { [noteId]: 'Presented the audit findings to the team.' });
    const doneBefore = posted(w.connector).length;
    const done = invokeCard(await send(w, invoke(alice, withNote.verb, withNote.data, w.url)));
    assert.match(done.text, /Done 23 November 2026 \(target 21 December 2026\), marked by you/);
    assert.match(done.text, /Evidence: Presented the audit findings to the team\./);
    const samTold = posted(w.connector)
      .slice(doneBefore)
      .find((p) => p.conversationId === 'a:created-sam');
    assert.match(samTold?.text ?? '', /Test alice marked ".+" done: Presented the audit findings/);

    const seen = invokeCard(await send(w, samInvoke(w, open.verb, open.data)));
    assert.match(seen.text, /Done 23 November 2026 .* marked by Test alice/);

    // The manager's export holds the plan: its own CSV, and a sheet of the workbook.
    const exportAt = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, '/export', w.url), conversation: samChat });
    const links = posted(w.connector).slice(exportAt)[0]!.cards[0]!;
    const plansUrl = links.buttons.find((b) => b.title === 'Download plans (CSV)')?.url;
    assert.ok(plansUrl);
    const plansCsv = await (await fetch(plansUrl)).text();
    assert.match(
      plansCsv,
      /^\ufeff?Coder,Activity,Gap areas,Target date,Who does it,Status,Evidence or reason\r\n/,
    );
    assert.match(
      plansCsv,
      /Test alice,.+,CC3,2026-12-21,Coder,Done,Presented the audit findings to the team\.\r\n/,
    );
    const xlsxUrl = links.buttons.find((b) => b.title === 'Download Excel')!.url!;
    const book = new ExcelJS.Workbook();
    const bytes = Buffer.from(await (await fetch(xlsxUrl)).arrayBuffer());
    await book.xlsx.read(Readable.from([bytes]));
    const sheet = book.getWorksheet('Development plans');
    assert.ok(sheet, book.worksheets.map((x) => x.name).join(', '));
    assert.equal(sheet.getRow(2).getCell(1).value, 'Test alice');
    assert.equal(sheet.getRow(2).getCell(6).value, 'Done');
  });

  it("the manager's digest suggests an activity for each coder, and its button adds it to that coder's plan", async () => {
    await shareAliceWithSam(w);
    await assess(w, alice, ['CC3']);
    const before = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, '/digest', w.url), conversation: samChat });
    const digest = posted(w.connector).slice(before)[0]!.cards[0]!;
    assert.match(digest.text, /What to do this week/);
    const suggestion = digest.lines.find((l) => l.startsWith('- For Test alice (gaps in CC3): '));
    assert.ok(suggestion, digest.text);
    const add = digest.buttons.find((b) => b.title === "Add to Test alice's plan");
    assert.ok(add, 'a button to add it');
    assert.equal(add.kind, 'submit', 'a new message: the digest stays as it is');

    const pressedAt = posted(w.connector).length;
    await send(w, samSubmit(w, add.data));
    const plan = posted(w.connector)
      .slice(pressedAt)
      .find((p) => p.conversationId === 'a:created-sam')!;
    assert.match(plan.text, /Test alice's development plan/);
    assert.match(plan.text, /You do it · proposed by you, waiting for Test alice to confirm/);
    const told = posted(w.connector)
      .slice(pressedAt)
      .find((p) => p.conversationId === `a:personal-${alice.aadObjectId}`);
    assert.match(told?.text ?? '', /Sam Manager proposed adding to your development plan/);

    const again = posted(w.connector).length;
    await send(w, { ...personalMessage(sam, '/digest', w.url), conversation: samChat });
    const next = posted(w.connector).slice(again)[0]!.text;
    assert.match(next, /Plan: 1 waiting for them to confirm\. Type \/plan\./);
    assert.ok(!next.includes(suggestion), 'what is planned is not suggested again');
  });

  it('only the coder and the manager they share with see the plan; stopping sharing ends the manager’s view', async () => {
    await shareAliceWithSam(w);
    await assess(w, alice, ['CC2']);
    const other = invokeCard(await send(w, invoke(bob, 'plan.open', { coderKey: alice.aadObjectId }, w.url)));
    assert.match(other.text, /only while the coder shares their results with you/);
    invokeCard(await send(w, invoke(alice, 'manager.revoke', {}, w.url)));
    const late = invokeCard(await send(w, samInvoke(w, 'plan.open', { coderKey: alice.aadObjectId })));
    assert.match(late.text, /only while the coder shares their results with you/);
  });

  it('an activity that is not one suggested for the gaps, or a garbled date, changes nothing', async () => {
    await assess(w, alice, ['CC3']);
    const plan = await coderPlan();
    const bad = pressed(plan, 'Add to plan', { activityId: 'LMA999', owner: 'coder' });
    assert.match(
      invokeCard(await send(w, invoke(alice, bad.verb, bad.data, w.url))).text,
      /Choose one of the activities offered for the gaps/,
    );
    const garbled = pressed(plan, 'Add to plan', { targetDate: 'next tuesday', owner: 'coder' });
    assert.match(
      invokeCard(await send(w, invoke(alice, garbled.verb, garbled.data, w.url))).text,
      /Choose a target date\./,
    );
    // Planning alone, the items are the coder's own: no line manager is offered, and one sent anyway is refused.
    assert.doesNotMatch(JSON.stringify(plan.card), /My line manager/);
    const forged = pressed(plan, 'Add to plan', { targetDate: '2026-12-21', owner: 'manager' });
    assert.match(
      invokeCard(await send(w, invoke(alice, forged.verb, forged.data, w.url))).text,
      /Until a line manager accepts your request \(\/manager\), the items in your plan are yours to do/,
    );
    const after = await coderPlan();
    assert.match(after.text, /Nothing planned yet/);
  });
});
