import assert from 'node:assert/strict';
import { AppCredentials, ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { connectorDispatcher, withDirectSends } from '../../bot/connectorSends.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';

// Ids as Teams sends them: a channel thread with ";messageid=", a reply-to id with a colon.
const CONVERSATION = '19:3f2a9c0e1d4b@thread.tacv2;messageid=1700000000000';
const REPLY_TO = '1:1hx7Yp0qzT9';

function reply(text: string): Partial<Activity> {
  return {
    type: 'message',
    text,
    textFormat: 'plain',
    from: { id: '28:bot', name: 'Coding Auditor' },
    recipient: { id: '29:user-1', name: 'Alex Example', aadObjectId: 'aad-1' },
    conversation: { id: CONVERSATION, isGroup: true, conversationType: 'channel', tenantId: 't-1', name: '' },
    replyToId: REPLY_TO,
    channelId: 'msteams',
    timestamp: new Date('2026-12-01T09:30:00.000Z'),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Résumé ‹ok›' }] },
      },
    ],
    channelData: { tenant: { id: 't-1' }, notification: { alert: true } },
  };
}

describe('replies and messages posted to the Bot Connector as plain JSON', () => {
  let connector: ConnectorStandIn;
  beforeEach(async () => (connector = await new ConnectorStandIn().start()));
  afterEach(() => connector.stop());

  const clients = (credentials = new MicrosoftAppCredentials('', '')) => ({
    sdk: new ConnectorClient(credentials, { baseUri: connector.url }),
    direct: withDirectSends(
      new ConnectorClient(credentials, { baseUri: connector.url }),
      connector.url,
      // Backoff from 20 ms rather than a second, so that retries take moments in a test.
      connectorDispatcher({ minTimeoutMs: 20 }),
    ),
  });

  it('reach the same paths with the same JSON as the SDK client sends, and return the resource id', async () => {
    const { sdk, direct } = clients();
    const r1 = await sdk.conversations.replyToActivity(CONVERSATION, REPLY_TO, reply('hello'));
    const r2 = await direct.conversations.replyToActivity(CONVERSATION, REPLY_TO, reply('hello'));
    const r3 = await sdk.conversations.sendToConversation(CONVERSATION, reply('again'));
    const r4 = await direct.conversations.sendToConversation(CONVERSATION, reply('again'));
    const [a, b, c, d] = connector.received;
    assert.equal(b!.path, a!.path);
    assert.equal(d!.path, c!.path);
    assert.match(
      b!.path,
      /^\/v3\/conversations\/19%3A3f2a9c0e1d4b%40thread\.tacv2%3Bmessageid%3D1700000000000\/activities\/1%3A1hx7Yp0qzT9$/,
    );
    assert.deepEqual(b!.body, a!.body);
    assert.deepEqual(d!.body, c!.body);
    assert.equal(b!.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual([r1.id, r2.id, r3.id, r4.id], ['m-1', 'm-2', 'm-3', 'm-4']);
  });

  it('are authorised with the client’s own credentials (the bot’s token), as the SDK does', async () => {
    const tokens = (AppCredentials as unknown as { cache: Map<string, unknown> }).cache;
    const credentials = new MicrosoftAppCredentials('app-id-example', 'secret-example');
    // A token already fetched; the credentials serve it from their cache without a network call.
    tokens.set(credentials.tokenCacheKey, {
      accessToken: 'token-example',
      expiresOn: new Date(Date.now() + 3_600_000),
    });
    try {
      const { sdk, direct } = clients(credentials);
      await sdk.conversations.replyToActivity(CONVERSATION, REPLY_TO, reply('hi'));
      await direct.conversations.replyToActivity(CONVERSATION, REPLY_TO, reply('hi'));
      assert.equal(connector.received[1]!.headers.authorization, 'Bearer token-example');
      assert.equal(
        connector.received[1]!.headers.authorization,
        connector.received[0]!.headers.authorization,
      );
    } finally {
      tokens.delete(credentials.tokenCacheKey);
    }
    // Local mode (no app id): no Authorization header at all.
    await clients().direct.conversations.sendToConversation(CONVERSATION, reply('local'));
    assert.equal(connector.received[2]!.headers.authorization, undefined);
  });

  it('a throttled send (429, Retry-After) is retried and delivered once', async () => {
    connector.failNext(2, 429, { 'Retry-After': '0' });
    const r = await clients().direct.conversations.replyToActivity(CONVERSATION, REPLY_TO, reply('x'));
    assert.equal(r.id, 'm-1');
    assert.equal(connector.attempts, 3);
    assert.equal(connector.received.length, 1);
  });

  it('a refusal (403) fails at once with the status and the connector’s error, nothing retried', async () => {
    connector.failNext(1, 403);
    await assert.rejects(
      clients().direct.conversations.sendToConversation(CONVERSATION, reply('x')),
      (e: { statusCode?: number; code?: string; name?: string }) =>
        e.statusCode === 403 && e.code === 'Failure' && e.name === 'RestError',
    );
    assert.equal(connector.attempts, 1);
  });

  it('throttling that does not clear ends after three retries with a 429 that keeps its Retry-After', async () => {
    connector.failNext(10, 429, { 'Retry-After': '0' });
    const { sdk, direct } = clients();
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => assert.fail('expected a failure'),
        (e: unknown) => {
          const err = e as {
            statusCode?: number;
            response?: { headers?: { get(n: string): string | undefined } };
          };
          return { status: err.statusCode, retryAfter: err.response?.headers?.get('retry-after') };
        },
      );
    const fromDirect = await failure(
      direct.conversations.replyToActivity(CONVERSATION, REPLY_TO, reply('x')),
    );
    const directAttempts = connector.attempts;
    const fromSdk = await failure(sdk.conversations.replyToActivity(CONVERSATION, REPLY_TO, reply('x')));
    assert.deepEqual(fromDirect, { status: 429, retryAfter: '0' });
    assert.deepEqual(fromDirect, fromSdk);
    assert.equal(directAttempts, 4);
    assert.equal(connector.attempts - directAttempts, 4, 'the SDK tries as often');
  });
});
