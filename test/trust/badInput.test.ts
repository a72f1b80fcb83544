import assert from 'node:assert/strict';
import { BOT, channelMessage, invoke, person, personalMessage } from '../support/activities.js';
import { Harness, settle } from '../support/http.js';

const ERROR_TYPE = 'application/vnd.microsoft.error';

/**
 * Bad input over HTTP, case by case: the shapes the fuzz test (fuzz.test.ts) found breaking the bot,
 * kept as regressions, and the answer to invokes the bot does not handle.
 */
describe('trust: bad input over HTTP, case by case', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(async () => {
    await h.stop();
  });

  const who = person('bad-input');

  describe('invokes the bot does not handle: HTTP 200 with an error body (statusCode 404), never the SDK 501', () => {
    const names: (string | undefined)[] = [
      'composeExtension/query',
      'composeExtension/fetchTask',
      'task/fetch',
      'config/fetch',
      'tab/fetch',
      'signin/verifyState',
      'actionableMessage/executeAction',
      'made/up',
      undefined,
    ];
    for (const name of names) {
      it(name ?? 'an invoke without a name', async () => {
        const before = h.connector.received.length;
        const activity = { ...invoke(who, 'x', {}, h.serviceUrl), name, value: { anything: true } };
        const res = await h.send(activity);
        assert.equal(res.status, 200);
        const body = res.body as {
          statusCode?: number;
          type?: string;
          value?: { code?: string; message?: string };
        };
        assert.equal(body.statusCode, 404);
        assert.equal(body.type, ERROR_TYPE);
        assert.equal(body.value?.code, 'NotFound');
        await settle(50);
        assert.equal(h.connector.received.length, before, 'nothing sent');
      });
    }

    it('adaptiveCard/action keeps its own answers: an unknown verb is statusCode 400', async () => {
      const res = await h.send(invoke(who, 'no.such.verb', {}, h.serviceUrl));
      assert.equal(res.status, 200);
      assert.equal((res.body as { statusCode?: number }).statusCode, 400);
    });
  });

  describe('malformed envelopes are 400 (they made the SDK throw before or during the turn)', () => {
    const base = () => personalMessage(who, 'hello', h.serviceUrl) as Record<string, unknown>;
    const cases: [string, (a: Record<string, unknown>) => unknown][] = [
      ['a numeric serviceUrl (was 500)', (a) => ({ ...a, serviceUrl: 1e308 })],
      ['a serviceUrl that is not http(s)', (a) => ({ ...a, serviceUrl: 'javascript:alert(1)' })],
      [
        'no serviceUrl (the SDK retried a default host for seconds)',
        (a) => ({ ...a, serviceUrl: undefined }),
      ],
      ['a type that is not a string (was 500)', (a) => ({ ...a, type: ['message'] })],
      ['an empty type', (a) => ({ ...a, type: '' })],
      ['an id that is an object (the reply could not be addressed)', (a) => ({ ...a, id: { x: 1 } })],
      ['an entity without a type (was an apology)', (a) => ({ ...a, entities: [{}] })],
      ['a mention without who is mentioned', (a) => ({ ...a, entities: [{ type: 'mention', text: 'x' }] })],
      ['entities that are not a list', (a) => ({ ...a, entities: 'mention' })],
      ['a from that is a string', (a) => ({ ...a, from: 'someone' })],
      ['text that is a number', (a) => ({ ...a, text: 42 })],
      [
        'a Teams messageDelete without channelData (was an apology)',
        (a) => ({ ...a, type: 'messageDelete', channelData: undefined }),
      ],
    ];
    for (const [label, make] of cases) {
      it(label, async () => {
        const before = h.connector.received.length;
        const res = await h.send(make(base()));
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(String((res.body as { error?: string }).error), /Not a valid activity/);
        await settle(50);
        assert.equal(h.connector.received.length, before, 'nothing sent');
      });
    }
  });

  describe('odd but valid activities get an ordinary answer, not an apology', () => {
    async function reply(activity: unknown): Promise<string> {
      const before = h.connector.received.length;
      const res = await h.send(activity);
      assert.equal(res.status, 200);
      await settle(50);
      const sent = h.posted().slice(-(h.connector.received.length - before) || h.posted().length);
      assert.equal(h.connector.received.length - before, 1, 'one reply');
      assert.doesNotMatch(sent[0]!.text, /something went wrong/);
      return sent[0]!.text;
    }

    it('a message without a recipient (removeRecipientMention threw)', async () => {
      const a = personalMessage(who, '/areas', h.serviceUrl) as Record<string, unknown>;
      delete a.recipient;
      assert.match(await reply(a), /The five competency areas/);
    });

    it('a mention of the bot and no text', async () => {
      const a = { ...channelMessage(who, '', h.serviceUrl), text: undefined };
      assert.match(await reply(a), /What I can do/);
    });

    it('null fields, which the Bot Framework treats as absent', async () => {
      const a = {
        ...personalMessage(who, '/areas', h.serviceUrl),
        entities: null,
        channelData: null,
        locale: null,
      };
      assert.match(await reply(a), /The five competency areas/);
    });

    it('a mention entity for someone else, another entity, odd case and spacing', async () => {
      const a = {
        ...personalMessage(who, '  /AREAS\u00a0', h.serviceUrl),
        entities: [
          { type: 'mention', text: '<at>X</at>', mentioned: { id: '29:other' } },
          { type: 'clientInfo' },
        ],
        recipient: BOT,
      };
      assert.match(await reply(a), /The five competency areas/);
    });
  });

  it('an unknown command with HTML in it is echoed only as plain text (title and summary)', async () => {
    const before = h.connector.received.length;
    await h.send(
      channelMessage(who, '/nope<script>alert(1)</script>[x](https://evil.example)', h.serviceUrl),
    );
    await settle(50);
    const sent = h.connector.received.slice(before);
    assert.equal(sent.length, 1);
    const everything = JSON.stringify(sent[0]!.body);
    assert.doesNotMatch(everything, /<script/i);
    assert.doesNotMatch(everything, /\]\(https:\/\/evil/);
    assert.match(String(sent[0]!.body.summary), /I don't know the command \/nope‹script›/);
  });
});
