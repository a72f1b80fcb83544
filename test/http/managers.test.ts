import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { invoke, personalMessage } from '../support/activities.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { invokeCard, posted } from '../support/http.js';
import {
  SECRET,
  alice,
  assess,
  bob,
  carol,
  dave,
  digestsTo,
  nameManager,
  sam,
  samInvoke,
  send,
  trigger,
  world,
  type World,
} from '../support/managerFlows.js';

describe('line managers over the Teams protocol', function () {
  this.timeout(60_000);
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.bot.stop();
    await w.connector.stop();
  });

  it('asks the manager through a conversation the bot creates, and shares only after they accept', async () => {
    await assess(w, alice, ['CC3']);
    const status = await nameManager(w, alice);
    assert.match(status.text, /Waiting for Sam Manager to accept/);
    const created = w.connector.received.find((r) => r.path === '/v3/conversations');
    assert.ok(created, 'a personal conversation was created with the manager');
    assert.deepEqual(
      (created.body.members as { id: string }[]).map((m) => m.id),
      [sam.id],
    );
    const ask = posted(w.connector).find((p) => /would like to share their results with you/.test(p.text));
    assert.ok(ask);
    const accept = ask.cards[0]!.buttons.find((b) => b.title === 'Accept')!;

    // Before accepting, the manager sees nothing.
    const early = await send(w, {
      ...personalMessage({ id: sam.id, name: sam.name, aadObjectId: sam.aadObjectId }, '/digest', w.url),
    });
    assert.ok(early);
    assert.match(posted(w.connector).at(-1)!.text, /No coders share/);

    const thanks = invokeCard(await send(w, samInvoke(w, 'manager.respond', accept.data)));
    assert.match(thanks.text, /results will be in your weekly digest/);
    assert.ok(
      posted(w.connector).some(
        (p) => p.conversationId === `a:personal-${alice.aadObjectId}` && /Sam Manager accepted/.test(p.text),
      ),
    );

    const before = posted(w.connector).length;
    await send(
      w,
      personalMessage({ id: sam.id, name: sam.name, aadObjectId: sam.aadObjectId }, '/digest', w.url),
    );
    const digest = posted(w.connector).slice(before)[0]!;
    assert.match(digest.text, /Test alice/);
    assert.match(digest.text, /CC3 Interpersonal Skills/);
  });

  it('sends each consenting coder’s gaps to their manager once a week, through 429s, and nothing of the others', async () => {
    await assess(w, alice, ['CC3']);
    await assess(w, bob, ['CC4']);
    await assess(w, carol, ['CC1']);
    await assess(w, dave, ['CC5']);
    for (const who of [alice, bob, dave]) await nameManager(w, who);
    const asks = posted(w.connector).filter((p) => /would like to share their results with you/.test(p.text));
    assert.equal(asks.length, 3);
    for (const ask of asks) {
      const isDave = /Test dave/.test(ask.text);
      const b = ask.cards[0]!.buttons.find((x) => x.title === (isDave ? 'Decline' : 'Accept'))!;
      invokeCard(await send(w, samInvoke(w, 'manager.respond', b.data)));
    }

    const count = posted(w.connector).length;
    assert.equal((await trigger(w)).status, 401);
    assert.equal((await trigger(w, 'wrong-secret-of-same-size-0123')).status, 401);
    assert.equal(posted(w.connector).length, count, 'nothing sent without the secret');

    w.connector.failNext(2, 429, { 'Retry-After': '1' });
    const first = await trigger(w, SECRET);
    assert.equal(first.status, 200);
    assert.deepEqual(
      { ...(first.body as object), durationMs: 0, week: '' },
      { week: '', sent: 1, skipped: 0, failed: 0, unreachable: 0, durationMs: 0 },
    );
    const digests = digestsTo(w);
    assert.equal(digests.length, 1);
    const d = digests[0]!;
    assert.match(d.text, /Test alice/);
    assert.match(d.text, /Test bob/);
    assert.doesNotMatch(d.text, /Test carol|Test dave/);
    assert.match(d.text, /CC3 Interpersonal Skills/);
    assert.match(d.text, /CC4 Knowledge/);
    assert.doesNotMatch(d.text, /CC1 Audit:|CC5 Digital Literacy:/);

    const second = await trigger(w, SECRET);
    assert.equal((second.body as { sent: number }).sent, 0);
    assert.equal((second.body as { skipped: number }).skipped, 1);
    assert.equal(digestsTo(w).length, 1, 'exactly one digest this week');
  });

  it('stops sharing at once when the coder revokes', async () => {
    await assess(w, alice, ['CC3']);
    await nameManager(w, alice);
    const ask = posted(w.connector).find((p) => /would like to share/.test(p.text))!;
    invokeCard(
      await send(
        w,
        samInvoke(w, 'manager.respond', ask.cards[0]!.buttons.find((b) => b.title === 'Accept')!.data),
      ),
    );
    const revoked = invokeCard(await send(w, invoke(alice, 'manager.revoke', {}, w.url)));
    assert.match(revoked.text, /no longer sees your results/);
    const before = posted(w.connector).length;
    await send(
      w,
      personalMessage({ id: sam.id, name: sam.name, aadObjectId: sam.aadObjectId }, '/digest', w.url),
    );
    assert.match(posted(w.connector).slice(before)[0]!.text, /No coders share/);
    assert.equal(((await trigger(w, SECRET)).body as { sent: number }).sent, 0);
  });
});

describe('the weekly digest across processes', function () {
  this.timeout(60_000);

  it('two bot instances sharing one DATA_DIR, triggered together, send one digest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cab-two-'));
    const connector = await new ConnectorStandIn().start();
    const a = await world(dir, connector);
    const b = await world(dir, connector);
    try {
      await assess(a, alice, ['CC2']);
      await nameManager(a, alice);
      const ask = posted(connector).find((p) => /would like to share/.test(p.text))!;
      invokeCard(
        await send(
          b,
          samInvoke(b, 'manager.respond', ask.cards[0]!.buttons.find((x) => x.title === 'Accept')!.data),
        ),
      );
      const [r1, r2] = await Promise.all([trigger(a, SECRET), trigger(b, SECRET)]);
      const sent = (r1.body as { sent: number }).sent + (r2.body as { sent: number }).sent;
      assert.equal(sent, 1);
      assert.equal(digestsTo(a).length, 1);
    } finally {
      await a.bot.stop();
      await b.bot.stop();
      await connector.stop();
    }
  });
});
