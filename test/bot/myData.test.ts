import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyRetention } from '../../bot/app.js';
import { createLogger } from '../../bot/logger.js';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import { channelMessage, invoke, person, personalMessage } from '../support/activities.js';
import { finishAssessment, pressButton as press, testBot } from '../support/conversation.js';

type Bot = Awaited<ReturnType<typeof testBot>>;

async function allFiles(dir: string): Promise<string> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(await readFile(p, 'utf8'));
    }
  };
  await walk(dir);
  return out.join('\n');
}

const finishWithNote = (bot: Bot, who: ReturnType<typeof person>, rating: string) =>
  finishAssessment(bot, who, rating, { note: 'Marker-note-XYZZY' });

describe('the coder’s own data', () => {
  const coder = { ...person('forgetme'), name: 'Robin Testperson' };
  const manager = {
    id: '29:mgr-forget',
    name: 'Morgan Lead',
    aadObjectId: '00000000-0000-4000-8000-0000000000bb',
  };

  async function setUp() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cab-forget-'));
    const bot = await testBot({ storage: new LowdbStorage(dir) });
    await finishWithNote(bot, coder, 'developing');
    await bot.send(channelMessage(coder, 'what is SPC'));
    const confirm = (
      await bot.send({
        ...personalMessage(coder, `/manager <at>${manager.name}</at>`),
        entities: [
          {
            type: 'mention',
            text: `<at>${manager.name}</at>`,
            mentioned: { id: manager.id, name: manager.name },
          },
        ],
      })
    ).replies[0]!;
    await press(bot, coder, confirm, `Yes, share with ${manager.name}`);
    await bot.send(invoke(manager, 'manager.respond', { coderKey: coder.aadObjectId, accept: true }));
    const digest = (await bot.send(personalMessage(manager, '/digest'))).replies[0]!;
    assert.match(digest.text, /Robin Testperson/);
    // Completed again once shared, so the manager reviews it: reviews are part of what is held.
    await finishWithNote(bot, coder, 'developing');
    const review = (await bot.send(personalMessage(manager, '/review'))).replies[0]!;
    const done = await press(bot, manager, review, 'Agree to all the rest');
    assert.match(done.text, /Review done/);
    // And a plan item, agreed and done with a note only this coder wrote.
    const plan = (await bot.send(personalMessage(coder, '/plan'))).replies[0]!;
    const proposed = await press(bot, coder, plan, 'Add to plan', {
      activityId: plan.inputs.find((i) => i.id === 'activityId')!.value!,
      targetDate: '2026-12-20',
      owner: 'coder',
    });
    const itemId = proposed.inputs.find((i) => i.id.startsWith('note:'))!.id.slice('note:'.length);
    await bot.send(invoke(manager, 'plan.confirm', { coderKey: coder.aadObjectId, itemId }));
    await bot.send(
      invoke(coder, 'plan.close', {
        coderKey: coder.aadObjectId,
        itemId,
        as: 'done',
        [`note:${itemId}`]: 'Marker-plan-QWERTY',
      }),
    );
    return { dir, bot };
  }

  it('/mydata sums up everything held in words, and says what the full file needs', async () => {
    const { bot } = await setUp();
    const { replies } = await bot.send(personalMessage(coder, '/mydata'));
    assert.equal(replies.length, 1, 'one card, not a JSON dump in parts');
    const text = replies[0]!.text;
    assert.match(text, /Self-assessments: 2 completed \(latest 16 November 2026\)/);
    assert.match(text, /Line manager: Morgan Lead \(accepted\)/);
    assert.match(text, /Chat details: \d conversations?/);
    assert.match(text, /needs BOT_PUBLIC_URL and EXPORT_LINK_SECRET/);
    assert.doesNotMatch(text, /"developing"|Marker-note-XYZZY/);
  });

  it('/forget asks first, then erases everything: no trace in storage, and the manager’s digest no longer names them', async () => {
    const { dir, bot } = await setUp();
    const before = await allFiles(dir);
    assert.ok(before.includes(coder.aadObjectId) && before.includes('Robin Testperson'));

    const ask = (await bot.send(personalMessage(coder, '/forget'))).replies[0]!;
    assert.match(ask.text, /Erase everything I hold about you\?/);
    const kept = await press(bot, coder, ask, 'Keep my data');
    assert.match(kept.text, /Nothing was erased/);
    assert.ok((await allFiles(dir)).includes(coder.aadObjectId));

    const done = await press(bot, coder, ask, 'Yes, erase everything');
    assert.match(done.text, /erased/);
    const after = await allFiles(dir);
    assert.ok(before.includes('Marker-plan-QWERTY'), 'the plan was stored');
    for (const trace of [
      coder.aadObjectId,
      coder.id,
      'Robin Testperson',
      'Marker-note-XYZZY',
      'Marker-plan-QWERTY',
    ]) {
      assert.ok(!after.includes(trace), `no "${trace}" left in storage`);
    }
    const digest = (await bot.send(personalMessage(manager, '/digest'))).replies[0]!;
    assert.match(digest.text, /No coders share/);
  });

  it("a manager's /forget takes their reviews with it, and the coder's /mydata no longer names them", async () => {
    const { dir, bot } = await setUp();
    const mine = (await bot.send(personalMessage(coder, '/mydata'))).replies[0]!;
    assert.match(mine.text, /Reviews by your manager: 1/);
    const ask = (await bot.send(personalMessage(manager, '/forget'))).replies[0]!;
    await press(bot, manager, ask, 'Yes, erase everything');
    const after = await allFiles(dir);
    for (const trace of [manager.id, 'Morgan Lead']) {
      assert.ok(!after.includes(trace), `no "${trace}" left in storage`);
    }
    const later = (await bot.send(personalMessage(coder, '/mydata'))).replies[0]!;
    assert.match(later.text, /Reviews by your manager: none/);
  });

  it('after /forget, the next message from them is remembered again, so a manager can reach them if they share again', async () => {
    const { bot } = await setUp();
    const ask = (await bot.send(personalMessage(coder, '/forget'))).replies[0]!;
    await press(bot, coder, ask, 'Yes, erase everything');
    assert.equal(await bot.app.refs.forUser(coder.aadObjectId), undefined);
    await bot.send(personalMessage(coder, 'what is CC2'));
    const refs = await bot.app.refs.forUser(coder.aadObjectId);
    assert.ok(refs?.personal, 'a personal conversation reference again');
  });

  it('retention removes completed assessments older than RETENTION_DAYS and keeps newer ones', async () => {
    let now = new Date('2026-01-10T09:00:00Z');
    const bot = await testBot({ now: () => now });
    const who = person('retention');
    await finishWithNote(bot, who, 'competent');
    now = new Date('2026-11-01T09:00:00Z');
    await finishWithNote(bot, who, 'confident');
    const dropped = await applyRetention(
      bot.app,
      180,
      new Date('2026-11-16T09:00:00Z'),
      createLogger('silent'),
    );
    assert.equal(dropped, 1);
    const doc = await bot.app.assessments.get(who.aadObjectId);
    assert.equal(doc?.history.length, 1);
    assert.match(doc.history[0]!.completedAt, /^2026-11-01/);
  });
});
