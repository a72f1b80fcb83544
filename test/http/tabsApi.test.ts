import assert from 'node:assert/strict';
import { request } from 'node:http';
import { generateKeyPair } from 'jose';
import { invoke, person } from '../support/activities.js';
import {
  alice as flowAlice,
  assess,
  sam as flowSam,
  send,
  shareAliceWithSam,
  world,
  type World,
} from '../support/managerFlows.js';
import { startBot, sharedAssets, type RunningBot } from '../support/botServer.js';
import {
  APP_ID,
  completedAssessment,
  EntraStandIn,
  giveAssessments,
  hasChatted,
  PUBLIC_URL,
  shares,
  TAB_AUDIENCE,
  TENANT,
} from '../support/tabsWorld.js';
import type { MyProgressView, MyTeamView, OrgView } from '../../bot/core/tabs/tabViews.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const alice = person('alice');
const bob = person('bob');
const sam = person('sam');
const olive = { id: '29:olive', name: 'Test olive', aadObjectId: '00000000-0000-4000-8000-0000000011fe' };

async function get(
  bot: RunningBot,
  path: string,
  authorization?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bot.url}${path}`, {
    headers: authorization ? { authorization } : {},
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Alice and Bob have assessed; Alice shares with Sam, Bob with nobody; Sam has chatted with the bot. */
async function seed(bot: RunningBot): Promise<void> {
  const { lib } = await sharedAssets();
  await giveAssessments(bot.app, alice, [
    completedAssessment(lib, {
      id: 'a1',
      level: 'trainee',
      completedAt: '2026-05-04T10:00:00Z',
      gapAreas: ['CC1', 'CC3'],
    }),
    completedAssessment(lib, {
      id: 'a2',
      level: 'trainee',
      completedAt: '2026-11-02T10:00:00Z',
      gapAreas: ['CC3'],
    }),
  ]);
  await giveAssessments(bot.app, bob, [
    completedAssessment(lib, {
      id: 'b1',
      level: 'approved',
      completedAt: '2026-10-02T10:00:00Z',
      gapAreas: ['CC5'],
    }),
  ]);
  await hasChatted(bot.app, sam);
  await hasChatted(bot.app, alice);
  await shares(bot.app, alice, sam, NOW);
}

describe('tabs API: signed in with the token Teams gives a tab', function () {
  this.timeout(20_000);
  let entra: EntraStandIn;
  let bot: RunningBot;

  before(async () => {
    entra = await EntraStandIn.start();
    bot = await startBot({
      clock: () => NOW,
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'not-used-here',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        BOT_PUBLIC_URL: PUBLIC_URL,
        TAB_JWKS_URL: entra.url,
        ORG_VIEWERS: olive.aadObjectId,
      },
    });
    await seed(bot);
  });
  after(async () => {
    await bot.stop();
    await entra.stop();
  });

  const tokenFor = (who: { aadObjectId: string; name: string }, extra: Record<string, unknown> = {}) =>
    entra.token({ aud: TAB_AUDIENCE, oid: who.aadObjectId, name: who.name, ...extra }, { now: NOW });

  it('answers 401 with a short error, and nothing else, without a token', async () => {
    const res = await get(bot, '/api/tabs/me');
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'sign-in required' });
  });

  it('answers 401 to a token for another audience, expired, from another tenant, or not signed by Entra ID', async () => {
    const { privateKey: stranger } = await generateKeyPair('RS256');
    const bad = {
      'another audience': await entra.token(
        { aud: 'api://elsewhere.example/other-app', oid: alice.aadObjectId },
        { now: NOW },
      ),
      expired: await entra.token(
        { aud: TAB_AUDIENCE, oid: alice.aadObjectId },
        { now: new Date(NOW.getTime() - 3 * 3600_000), lifetimeSeconds: 3600 },
      ),
      'another tenant': await entra.token(
        { aud: TAB_AUDIENCE, oid: alice.aadObjectId, tid: '11111111-0000-4000-8000-000000000bad' },
        { now: NOW },
      ),
      'a forged signature': await entra.token(
        { aud: TAB_AUDIENCE, oid: alice.aadObjectId },
        { now: NOW, key: stranger },
      ),
      'an issuer that is not Entra ID': await entra.token(
        { aud: TAB_AUDIENCE, oid: alice.aadObjectId, iss: 'https://login.example.com/v2.0' },
        { now: NOW },
      ),
      'no object id': await entra.token({ aud: TAB_AUDIENCE }, { now: NOW }),
    };
    for (const [what, token] of Object.entries(bad)) {
      const res = await get(bot, '/api/tabs/me', `Bearer ${token}`);
      assert.equal(res.status, 401, what);
      assert.deepEqual(res.body, { error: 'sign-in required' }, what);
    }
  });

  it('refuses the development sign-in when the bot has an app id', async () => {
    const res = await get(bot, '/api/tabs/me', `Dev ${alice.aadObjectId}`);
    assert.equal(res.status, 401);
  });

  it('gives a coder their own progress: every assessment, the latest gaps with activities, and only theirs', async () => {
    const res = await get(bot, '/api/tabs/me', `Bearer ${await tokenFor(alice)}`);
    assert.equal(res.status, 200);
    const me = res.body as unknown as MyProgressView & { devSignIn: boolean };
    assert.equal(me.displayName, alice.name);
    assert.equal(me.devSignIn, false);
    assert.deepEqual(
      me.history.map((h) => [h.assessmentId, h.completedOn]),
      [
        ['a1', '2026-05-04'],
        ['a2', '2026-11-02'],
      ],
    );
    const cc1 = (i: number) => me.history[i]?.areas.find((a) => a.area === 'CC1');
    assert.equal(cc1(0)?.self, 0);
    assert.equal(cc1(1)?.self, 100);
    assert.ok(me.gaps.length > 0);
    assert.ok(me.gaps.every((g) => g.area === 'CC3' && g.activities.length > 0));
    assert.ok(!JSON.stringify(me).includes('b1'), "Bob's assessment is not in Alice's view");
  });

  it('accepts a v1 token (issuer sts.windows.net) and the bare app id as audience', async () => {
    const token = await entra.token(
      { aud: APP_ID, oid: alice.aadObjectId, iss: `https://sts.windows.net/${TENANT}/` },
      { now: NOW },
    );
    assert.equal((await get(bot, '/api/tabs/whoami', `Bearer ${token}`)).status, 200);
  });

  it('says who is signed in and what they may open', async () => {
    const who = async (p: typeof alice) =>
      (await get(bot, '/api/tabs/whoami', `Bearer ${await tokenFor(p)}`)).body;
    assert.deepEqual(await who(sam), {
      displayName: sam.name,
      roles: { coder: false, manager: true, orgViewer: false },
      devSignIn: false,
    });
    assert.deepEqual((await who(alice)).roles, { coder: true, manager: false, orgViewer: false });
    assert.deepEqual((await who(olive)).roles, { coder: false, manager: false, orgViewer: true });
  });

  it("shows a manager the coders who share with them, with opaque keys, and each one's progress", async () => {
    const auth = `Bearer ${await tokenFor(sam)}`;
    const res = await get(bot, '/api/tabs/team', auth);
    assert.equal(res.status, 200);
    const team = res.body as unknown as MyTeamView;
    assert.deepEqual(
      team.coders.map((c) => c.displayName),
      [alice.name],
    );
    const row = team.coders[0]!;
    assert.ok(!row.coderKey.includes(alice.aadObjectId) && !row.coderKey.includes('alice'));
    assert.equal(row.lastCompletedOn, '2026-11-02');
    assert.equal(row.change.CC1, 100);
    assert.equal(row.subAreas.CC3b, 0);
    assert.equal(row.subAreas.CC3a, null);
    const view = await get(bot, `/api/tabs/team/${row.coderKey}`, auth);
    assert.equal(view.status, 200);
    const progress = view.body as unknown as MyProgressView;
    assert.equal(progress.history.length, 2);
    assert.deepEqual(progress.eligibility, [], "a coder's eligibility answers are not shared");
  });

  it('answers 403 to a manager asking for a coder who does not share with them', async () => {
    const auth = `Bearer ${await tokenFor(sam)}`;
    for (const key of [bob.aadObjectId, 'AAAAAAAAAAAAAAAAAAAAAA', alice.aadObjectId]) {
      const res = await get(bot, `/api/tabs/team/${key}`, auth);
      assert.equal(res.status, 403, key);
      assert.deepEqual(res.body, { error: 'not allowed' });
    }
    // Alice's key from Sam's view means nothing in anyone else's.
    const aliceKey = ((await get(bot, '/api/tabs/team', auth)).body as unknown as MyTeamView).coders[0]!
      .coderKey;
    assert.equal((await get(bot, `/api/tabs/team/${aliceKey}`, `Bearer ${await tokenFor(bob)}`)).status, 403);
  });

  it('answers 403 to the organisation view for anyone not in ORG_VIEWERS, and hides groups under 5 from those in it', async () => {
    for (const p of [alice, sam]) {
      const res = await get(bot, '/api/tabs/org?level=all', `Bearer ${await tokenFor(p)}`);
      assert.equal(res.status, 403);
    }
    const res = await get(bot, '/api/tabs/org?level=all', `Bearer ${await tokenFor(olive)}`);
    assert.equal(res.status, 200);
    const org = res.body as unknown as OrgView;
    assert.equal(org.threshold, 5);
    // One consenting coder: every cell is hidden.
    assert.equal(org.total.suppressed, true);
    assert.equal(org.total.people, null);
    assert.ok(
      [...org.byArea, ...org.bySubArea, ...org.overTime].every((c) => c.suppressed && c.people === null),
    );
    assert.equal(
      (await get(bot, '/api/tabs/org?level=everyone', `Bearer ${await tokenFor(olive)}`)).status,
      400,
    );
  });
});

/** A GET with a Host header of our choosing (fetch will not send one). */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tabs API: the development sign-in in local mode', function () {
  this.timeout(20_000);
  let bot: RunningBot;

  before(async () => {
    bot = await startBot({ clock: () => NOW });
    await seed(bot);
  });
  after(() => bot.stop());

  it('signs in from loopback with "Authorization: Dev <object id>", and says so', async () => {
    const who = await get(bot, '/api/tabs/whoami', `Dev ${sam.aadObjectId}`);
    assert.equal(who.status, 200);
    assert.equal(who.body.devSignIn, true);
    const team = await get(bot, '/api/tabs/team', `Dev ${sam.aadObjectId}`);
    assert.deepEqual(
      (team.body as unknown as MyTeamView).coders.map((c) => c.displayName),
      [alice.name],
    );
  });

  it('refuses it when the Host is not a loopback name, and refuses bearer tokens (no app id to check them for)', async () => {
    const url = `${bot.url}/api/tabs/me`;
    assert.equal(await rawGet(url, { authorization: `Dev ${alice.aadObjectId}`, host: 'localhost' }), 200);
    assert.equal(
      await rawGet(url, { authorization: `Dev ${alice.aadObjectId}`, host: 'tabs.example.com' }),
      401,
    );
    assert.equal((await get(bot, '/api/tabs/me', 'Bearer abc.def.ghi')).status, 401);
    assert.equal((await get(bot, '/api/tabs/me', 'Dev')).status, 401);
  });
});

describe('tabs API: what Teams conversations stored is what the tabs show', function () {
  this.timeout(60_000);
  let w: World;
  before(async () => {
    w = await world();
  });
  after(async () => {
    await w.bot.stop();
    await w.connector.stop();
  });

  it('shows Sam the coder who shared with him in chat, and nothing once she stops sharing', async () => {
    await shareAliceWithSam(w);
    await assess(w, flowAlice, ['CC3']);
    const asSam = `Dev ${flowSam.aadObjectId}`;
    const team = (await get(w.bot, '/api/tabs/team', asSam)).body as unknown as MyTeamView;
    assert.deepEqual(
      team.coders.map((c) => [c.displayName, c.review]),
      [[flowAlice.name, 'waiting']],
    );
    const key = team.coders[0]!.coderKey;
    const progress = await get(w.bot, `/api/tabs/team/${key}`, asSam);
    assert.equal(progress.status, 200);
    assert.ok((progress.body as unknown as MyProgressView).gaps.every((g) => g.area === 'CC3'));
    const mine = (await get(w.bot, '/api/tabs/me', `Dev ${flowAlice.aadObjectId}`))
      .body as unknown as MyProgressView;
    assert.equal(mine.history.length, 1);

    await send(w, invoke(flowAlice, 'manager.revoke', {}, w.url));
    assert.equal((await get(w.bot, `/api/tabs/team/${key}`, asSam)).status, 403);
    assert.deepEqual(((await get(w.bot, '/api/tabs/team', asSam)).body as unknown as MyTeamView).coders, []);
  });
});
