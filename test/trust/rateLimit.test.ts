import assert from 'node:assert/strict';
import { invoke, person, personalMessage } from '../support/activities.js';
import { startBot, type RunningBot } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { postActivity, posted, settle } from '../support/http.js';
import { RATE_LIMIT_NOTICE, TokenBuckets } from '../../bot/teams/rateLimit.js';

describe('trust: per-user rate limit of incoming turns (token buckets)', () => {
  it('allows `capacity` at once, then refuses, telling the user only the first time', () => {
    let now = 0;
    const b = new TokenBuckets(3, 100, () => now);
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map(() => b.take('u')),
      ['allowed', 'allowed', 'allowed', 'refusedFirst', 'refused', 'refused'],
    );
    // 3 a minute is one every 20 s.
    now += 19_000;
    assert.equal(b.take('u'), 'refused');
    now += 1_000;
    assert.equal(b.take('u'), 'allowed');
    assert.equal(b.take('u'), 'refusedFirst', 'a new run of refusals is told again, once');
  });

  it('keeps users apart', () => {
    const b = new TokenBuckets(1, 100, () => 0);
    assert.equal(b.take('a'), 'allowed');
    assert.equal(b.take('a'), 'refusedFirst');
    assert.equal(b.take('b'), 'allowed');
  });

  it('never holds more than maxKeys buckets, forgetting the least recently seen', () => {
    let now = 0;
    const b = new TokenBuckets(1, 50, () => now);
    assert.equal(b.take('busy'), 'allowed');
    for (let i = 0; i < 10_000; i++) {
      now += 1;
      b.take(`user-${i}`);
      if (i % 40 === 0) b.take('busy');
      assert.ok(b.size <= 50);
    }
    assert.equal(b.take('busy'), 'refused', 'a user seen recently keeps their empty bucket');
  });
});

describe('trust: rate limit over HTTP (RATE_LIMIT_PER_MINUTE=5)', function () {
  this.timeout(60_000);
  let bot: RunningBot | undefined;
  let connector: ConnectorStandIn | undefined;
  beforeEach(async () => {
    connector = await new ConnectorStandIn().start();
    bot = await startBot({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterEach(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  const send = (a: unknown) => postActivity(`${bot!.url}/api/messages`, a);

  const repliesTo = (who: { aadObjectId: string }) =>
    posted(connector!).filter((p) => p.conversationId === `a:personal-${who.aadObjectId}`);

  it('over the limit: one short notice for messages, 429 invoke bodies, nothing processed or stored; others unaffected', async () => {
    const alice = person('rl-alice');
    const bob = person('rl-bob');
    const url = connector!.url;

    for (let i = 0; i < 5; i++) assert.equal((await send(personalMessage(alice, '/areas', url))).status, 200);
    await settle(50);
    assert.equal(repliesTo(alice).length, 5);
    assert.ok(repliesTo(alice).every((r) => /The five competency areas/.test(r.text)));

    for (let i = 0; i < 4; i++) assert.equal((await send(personalMessage(alice, '/areas', url))).status, 200);
    await settle(50);
    const extra = repliesTo(alice).slice(5);
    assert.equal(extra.length, 1, 'one notice, not one per dropped message');
    assert.equal(extra[0]!.body.text, RATE_LIMIT_NOTICE);

    const refused = await send(invoke(alice, 'assess.start', { level: 'trainee' }, url));
    assert.equal(refused.status, 200);
    const body = refused.body as { statusCode?: number; type?: string; value?: { message?: string } };
    assert.equal(body.statusCode, 429);
    assert.equal(body.type, 'application/vnd.microsoft.error');
    assert.equal(body.value?.message, RATE_LIMIT_NOTICE);
    assert.equal(
      await bot!.app.assessments.get(alice.aadObjectId),
      undefined,
      'the refused card action stored nothing',
    );
    await settle(50);
    assert.equal(repliesTo(alice).length, 6, 'an invoke refusal sends no message');

    // Bob has his own allowance.
    assert.equal((await send(personalMessage(bob, '/areas', url))).status, 200);
    await settle(50);
    assert.equal(repliesTo(bob).length, 1);
    assert.match(repliesTo(bob)[0]!.text, /The five competency areas/);
    const started = await send(invoke(bob, 'assess.start', { level: 'trainee' }, url));
    assert.equal((started.body as { statusCode?: number }).statusCode, 200);
    assert.ok((await bot!.app.assessments.get(bob.aadObjectId))?.current, "Bob's assessment was started");
  });

  it('a refused message leaves no trace in storage (no conversation reference written)', async () => {
    const carol = person('rl-carol');
    const url = connector!.url;
    for (let i = 0; i < 5; i++) await send(invoke(carol, 'no.such.verb', {}, url));
    const before = await bot!.app.store.storage.read([`refs/user/${carol.aadObjectId}`]);
    assert.deepEqual(before, {}, 'unknown verbs store nothing');
    assert.equal((await send(personalMessage(carol, 'hello', url))).status, 200);
    const after = await bot!.app.store.storage.read([`refs/user/${carol.aadObjectId}`]);
    assert.deepEqual(after, {}, 'the throttled message was not remembered');
    await settle(50);
    assert.deepEqual(
      repliesTo(carol).map((r) => r.body.text),
      [RATE_LIMIT_NOTICE],
    );
  });
});
