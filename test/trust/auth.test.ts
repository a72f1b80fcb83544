import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig } from '../../bot/config.js';
import { invoke, person, personalMessage } from '../support/activities.js';
import { startBot, type RunningBot } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { settle } from '../support/http.js';

const APP_ID = '5f0c1d2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5';

const b64url = (v: unknown) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function claims(serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://api.botframework.com',
    aud: APP_ID,
    serviceurl: serviceUrl,
    nbf: now - 60,
    exp: now + 3600,
    ...overrides,
  };
}

function hs256(payload: Record<string, unknown>): string {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'made-up-key' })}.${b64url(payload)}`;
  return `${head}.${createHmac('sha256', randomBytes(32)).update(head).digest('base64url')}`;
}

function algNone(payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}

/** Signed with a key of our own, with a kid that looks like one of Microsoft's: the shape of a real token. */
function rs256(payload: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const head = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'ZyGh1GbBL8xd1kOxRYchc1VPSQQ', x5t: 'ZyGh1GbBL8xd1kOxRYchc1VPSQQ' })}.${b64url(payload)}`;
  return `${head}.${sign('sha256', Buffer.from(head), privateKey).toString('base64url')}`;
}

async function storedFiles(dataDir: string): Promise<string[]> {
  const entries = await readdir(dataDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('trust: Bot Framework authentication on /api/messages', function () {
  this.timeout(60_000);
  let bot: RunningBot | undefined;
  let connector: ConnectorStandIn | undefined;

  // The CloudAdapter prints every refused request's AuthenticationError to the console itself.
  const consoleError = console.error;
  before(() => {
    console.error = () => undefined;
  });
  after(() => {
    console.error = consoleError;
  });

  beforeEach(async () => {
    connector = await new ConnectorStandIn().start();
    bot = await startBot({ env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' } });
  });
  afterEach(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  async function send(activity: unknown, authorization?: string): Promise<number> {
    const res = await fetch(`${bot!.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(15_000),
    });
    await res.text();
    return res.status;
  }

  async function assertNothingDone(): Promise<void> {
    await settle(200);
    assert.deepEqual(connector!.received, [], 'nothing was sent to the connector');
    assert.deepEqual(await storedFiles(bot!.dataDir), [], 'nothing was stored');
  }

  const who = person('auth-probe');
  const cases: [string, (serviceUrl: string) => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty Bearer', () => 'Bearer '],
    ['a Bearer that is not a JWT', () => 'Bearer not-a-token'],
    ['a Basic header', () => `Basic ${Buffer.from('user:x').toString('base64')}`],
    [
      'an HS256 JWT signed with a random key (Bot Framework issuer and audience)',
      (s) => `Bearer ${hs256(claims(s))}`,
    ],
    ['an alg "none" JWT (Bot Framework issuer and audience)', (s) => `Bearer ${algNone(claims(s))}`],
    ['an RS256 JWT signed with a key of our own, with a plausible kid', (s) => `Bearer ${rs256(claims(s))}`],
    [
      'an HS256 JWT claiming the Emulator issuer (v1.0, appid = ours)',
      (s) =>
        `Bearer ${hs256(claims(s, { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', ver: '1.0', appid: APP_ID }))}`,
    ],
    [
      'an HS256 JWT that looks like a skill token (ver, appid, aud)',
      (s) => `Bearer ${hs256(claims(s, { ver: '2.0', azp: 'b1c2d3e4-0000-4000-8000-000000000001' }))}`,
    ],
    ['an expired HS256 JWT', (s) => `Bearer ${hs256(claims(s, { exp: 1_600_000_000, nbf: 1_500_000_000 }))}`],
  ];

  for (const [label, header] of cases) {
    it(`${label}: a message and a card action are refused with 401, nothing is sent or stored`, async () => {
      const s = connector!.url;
      assert.equal(await send(personalMessage(who, '/assess', s), header(s)), 401);
      assert.equal(await send(invoke(who, 'assess.start', { level: 'trainee' }, s), header(s)), 401);
      await assertNothingDone();
    });
  }

  it('after refusals the server is still up: GET /healthz is 200', async () => {
    const s = connector!.url;
    assert.equal(await send(personalMessage(who, 'hello', s), `Bearer ${rs256(claims(s))}`), 401);
    const res = await fetch(`${bot!.url}/healthz`);
    assert.equal(res.status, 200);
  });
});

describe('trust: local mode listens on loopback only', () => {
  it('no app id: 127.0.0.1', () => {
    const c = parseConfig({});
    assert.equal(c.localMode, true);
    assert.equal(c.listenHost, '127.0.0.1');
  });

  it('no app id, HOST=0.0.0.0: what HOST says', () => {
    assert.equal(parseConfig({ HOST: '0.0.0.0' }).listenHost, '0.0.0.0');
  });

  it('an empty HOST is as if unset: still loopback', () => {
    assert.equal(parseConfig({ HOST: '  ' }).listenHost, '127.0.0.1');
  });

  it('with an app id (authenticated): all interfaces unless HOST says otherwise', () => {
    const c = parseConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' });
    assert.equal(c.localMode, false);
    assert.equal(c.listenHost, '0.0.0.0');
    assert.equal(
      parseConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', HOST: '10.0.0.4' }).listenHost,
      '10.0.0.4',
    );
  });
});
