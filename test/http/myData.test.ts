import assert from 'node:assert/strict';
import { personalMessage } from '../support/activities.js';
import { posted } from '../support/http.js';
import { alice, assess, MONDAY, send, world, type World } from '../support/managerFlows.js';

describe('/mydata: a summary to read and the whole record as a file', function () {
  this.timeout(60_000);
  let w: World;
  let now = MONDAY;
  before(async () => {
    w = await world(undefined, undefined, () => now);
  });
  after(async () => {
    await w.bot.stop();
    await w.connector.stop();
  });

  it('the card sums up what is held in words; its signed link downloads the JSON; a tampered or old link is refused', async () => {
    await assess(w, alice, ['CC3']);
    const before = posted(w.connector).length;
    await send(w, personalMessage(alice, '/mydata', w.url));
    const card = posted(w.connector).slice(before)[0]!.cards[0]!;
    assert.match(card.text, /^Your data$/m);
    assert.match(card.text, /Self-assessments: 1 completed \(latest 23 November 2026\)/);
    assert.match(card.text, /Line manager: none/);
    assert.doesNotMatch(card.text, /"ratings"|\{/, 'no raw JSON in the card');
    const link = card.buttons.find((b) => b.title === 'Download my data (JSON)');
    assert.equal(link?.kind, 'openUrl');

    const res = await fetch(link.url!);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /attachment; filename="my-data-2026-11-23\.json"/,
    );
    const data = (await res.json()) as { userKey: string; selfAssessments: { history: unknown[] } };
    assert.equal(data.userKey, alice.aadObjectId);
    assert.equal(data.selfAssessments.history.length, 1);

    const tampered = link.url!.replace(/token=([^.]+)\./, 'token=$1x.');
    assert.equal((await fetch(tampered)).status, 403);
    now = new Date(MONDAY.getTime() + 16 * 60 * 1000);
    assert.equal((await fetch(link.url!)).status, 403);
  });
});
