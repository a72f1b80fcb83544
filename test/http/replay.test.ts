import assert from 'node:assert/strict';
import { RATING_LABELS } from '../../bot/core/assessment/assessment.js';
import {
  channelMessage,
  invoke,
  person,
  personalMessage,
  teamsPayload,
  type Person,
} from '../support/activities.js';
import { sharedAssets } from '../support/botServer.js';
import {
  button,
  Harness,
  invokeCard,
  ratingsFor,
  settle,
  type Posted,
  type ReadCard,
} from '../support/http.js';

const ERROR_TYPE = 'application/vnd.microsoft.error';
const RATINGS = Object.keys(RATING_LABELS).slice(0, 4);

function only<T>(items: T[], what: string): T {
  assert.equal(items.length, 1, `exactly one ${what}, got ${items.length}`);
  return items[0]!;
}

function assertNoCrashNotice(replies: Posted[]): void {
  for (const r of replies)
    assert.doesNotMatch(r.text, /something went wrong/i, `error notice sent: ${r.text}`);
}

/** The step card's ratings as the card would submit them, once its choices are the scale, lowest first. */
function rateAll(card: ReadCard, offset: number): Record<string, string> {
  for (const input of card.inputs.filter((i) => i.id.startsWith('rating:'))) {
    const values = input.choices.map((c) => c.value);
    if (values.includes('yes')) assert.deepEqual(values, ['yes', 'no', 'notSure'], `question on ${input.id}`);
    else assert.deepEqual(values, RATINGS, `rating choices on ${input.id}`);
  }
  return ratingsFor(card, offset);
}

/**
 * A new user's whole trainee self-assessment over HTTP: "/assess" in the personal chat, the level
 * button, then Next (with a rating for every statement) on each card until Finish.
 */
async function selfAssessOverHttp(h: Harness, who: Person): Promise<{ results: ReadCard; steps: number }> {
  const before = h.posted().length;
  const res = await h.send(personalMessage(who, '/assess', h.serviceUrl));
  assert.equal(res.status, 200);
  const choice = only(h.posted().slice(before), 'reply to /assess');
  assert.equal(choice.conversationId, `a:personal-${who.aadObjectId}`);
  const choiceCard = only(choice.cards, 'level-choice card');
  const trainee = button(choiceCard, 'Trainee auditor');
  assert.equal(trainee.kind, 'execute');
  assert.equal(trainee.verb, 'assess.start');
  assert.equal(trainee.data.level, 'trainee');

  let card = invokeCard(await h.send(invoke(who, 'assess.start', { level: 'trainee' }, h.serviceUrl)));
  const MAX = 32;
  for (let step = 1; step <= MAX; step++) {
    assert.match(card.text, new RegExp(`Card ${step} of ${MAX}\\b`), `step ${step}: ${card.text}`);
    const ratings = rateAll(card, step);
    assert.ok(Object.keys(ratings).length > 0, `step ${step} has statements to rate`);
    const isLast = step === MAX;
    const next = button(card, isLast ? 'Finish' : 'Next');
    assert.equal(next.verb, 'assess.step');
    card = invokeCard(await h.send(invoke(who, next.verb, { ...next.data, ...ratings }, h.serviceUrl)));
  }
  assert.match(card.text, /Your results: trainee auditor/);
  assert.match(card.text, /of 70 statements met/);
  return { results: card, steps: MAX };
}

describe('HTTP replay of Teams activities (restify + CloudAdapter + connector stand-in)', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('GET /healthz answers 200 {status: ok}', async () => {
    h = await Harness.start();
    const res = await fetch(`${h.bot.url}/healthz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.status, 'ok');
  });

  it('personal-message.json asking "what does CC2 cover?" gets one CC2 card in the personal chat', async () => {
    h = await Harness.start();
    const activity = teamsPayload('personal-message', h.serviceUrl, { text: 'what does CC2 cover?' });
    const res = await h.send(activity);
    assert.equal(res.status, 200);
    await h.connector.waitFor(1);
    await settle();
    const reply = only(h.posted(), 'reply');
    const conversationId = (activity.conversation as { id: string }).id;
    assert.equal(reply.conversationId, conversationId);
    assert.equal((reply.body.conversation as { id?: string }).id, conversationId);
    assert.ok(reply.path.endsWith(`/activities/${String(activity.id)}`), reply.path);
    const card = only(reply.cards, 'Adaptive Card');
    assert.match(card.text, /CC2 Technical Skills/);
  });

  describe('channel messages that mention the bot', () => {
    it('channel-message-mention.json "/competency CC2d" is answered in the thread with CC2 d. Statistics', async () => {
      h = await Harness.start();
      const activity = teamsPayload('channel-message-mention', h.serviceUrl, {
        text: '<at>ridotest</at> /competency CC2d',
      });
      const conversationId = (activity.conversation as { id: string }).id;
      assert.match(conversationId, /;messageid=/);
      assert.equal((activity.recipient as { name: string }).name, 'ridotest');
      const res = await h.send(activity);
      assert.equal(res.status, 200);
      await h.connector.waitFor(1);
      await settle();
      const reply = only(h.posted(), 'reply');
      assert.equal(reply.conversationId, conversationId, 'threaded: the reply keeps ;messageid=');
      assert.equal((reply.body.conversation as { id?: string }).id, conversationId);
      const card = only(reply.cards, 'Adaptive Card');
      assert.match(card.text, /CC2 d\. Statistics/);
    });

    it('channel-message-mention-2019.json (mention name differs from recipient.name) "what is SPC" is answered about Statistical Process Control', async () => {
      h = await Harness.start();
      const activity = teamsPayload('channel-message-mention-2019', h.serviceUrl, {
        text: '<at>Integration Bot</at>what is SPC',
      });
      const res = await h.send(activity);
      assert.equal(res.status, 200);
      await h.connector.waitFor(1);
      await settle();
      const reply = only(h.posted(), 'reply');
      assert.equal(reply.conversationId, (activity.conversation as { id: string }).id);
      assert.match(reply.text, /Statistical Process Control/i);
    });
  });

  describe('installs and members added', () => {
    const teamConversation = '19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2';

    function assertOneTeamIntroduction(replies: Posted[]): void {
      assert.equal(
        h!.connector.received.filter((r) => r.path.endsWith('/v3/conversations')).length,
        0,
        'no personal conversation is created',
      );
      const intro = only(replies, 'introduction in the team');
      assert.equal(intro.conversationId, teamConversation);
      assert.match(intro.text, /Hello, I'm/);
      assert.match(intro.text, /private chat/);
      assert.doesNotMatch(intro.text, /Welcome to/);
      assert.ok(intro.text.length < 400, `short: ${intro.text.length} characters`);
    }

    it('installationUpdate-add-team.json then conversationUpdate-bot-added-to-team.json: one introduction in the team', async () => {
      h = await Harness.start();
      const install = teamsPayload('installationUpdate-add-team', h.serviceUrl);
      const added = teamsPayload('conversationUpdate-bot-added-to-team', h.serviceUrl);
      assert.equal((install.conversation as { id: string }).id, teamConversation);
      assert.equal((added.conversation as { id: string }).id, teamConversation);
      assert.ok((await h.send(install)).status < 300);
      assert.ok((await h.send(added)).status < 300);
      await settle();
      assertOneTeamIntroduction(h.posted());
    });

    it('the same two arriving together (as Teams sends them): still one introduction', async () => {
      h = await Harness.start();
      const install = teamsPayload('installationUpdate-add-team', h.serviceUrl);
      const added = teamsPayload('conversationUpdate-bot-added-to-team', h.serviceUrl);
      const [a, b] = await Promise.all([h.send(install), h.send(added)]);
      assert.ok(a.status < 300 && b.status < 300, `${a.status} ${b.status}`);
      await settle();
      assertOneTeamIntroduction(h.posted());
    });

    it('conversationUpdate-teamMemberAdded-user-2019.json (a user, not the bot): no message', async () => {
      h = await Harness.start();
      const res = await h.send(teamsPayload('conversationUpdate-teamMemberAdded-user-2019', h.serviceUrl));
      assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
      await settle();
      assert.deepEqual(h.connector.received, []);
    });

    it('a personal installationUpdate (add) gets the welcome card with ask, eligibility and self-assessment buttons', async () => {
      h = await Harness.start();
      const who = person('install-personal');
      const conversationId = `a:personal-${who.aadObjectId}`;
      const activity = teamsPayload('installationUpdate-add-team', h.serviceUrl, {
        from: who,
        conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
        channelData: { tenant: { id: 'tenant-1' }, source: { name: 'message' } },
        action: 'add',
      });
      const res = await h.send(activity);
      assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
      await h.connector.waitFor(1);
      await settle();
      const replies = h.posted();
      assert.ok(replies.length >= 1);
      for (const r of replies) assert.equal(r.conversationId, conversationId);
      const welcome = replies[0]!.cards[0];
      assert.ok(welcome, 'the first reply is a card');
      assert.match(welcome.text, /Welcome to/);
      const titles = welcome.buttons.map((b) => b.title);
      for (const [title, command] of [
        ['Ask a question', /^\/ask\b/],
        ['Check my eligibility', /^\/eligibility$/],
        ['Start a self-assessment', /^\/assess$/],
      ] as const) {
        const b = button(welcome, title);
        assert.match(String(b.data.command), command, `${title} sends ${String(b.data.command)}`);
      }
      assert.ok(titles.length >= 3);
    });
  });

  describe('card actions', () => {
    it('invoke-adaptiveCard-action.json as is (no verb): HTTP 200 with an invoke error body, statusCode 400', async () => {
      h = await Harness.start();
      const res = await h.send(teamsPayload('invoke-adaptiveCard-action', h.serviceUrl));
      assert.equal(res.status, 200);
      const body = res.body as { statusCode?: number; type?: string; value?: { message?: string } };
      assert.equal(body.statusCode, 400);
      assert.equal(body.type, ERROR_TYPE);
      assert.equal(typeof body.value?.message, 'string');
      await settle();
      assertNoCrashNotice(h.posted());
    });

    it('message-adaptivecard-submit-value.json (Action.Submit with unknown keys, in a channel): help or nothing, never an error', async () => {
      h = await Harness.start();
      const activity = teamsPayload('message-adaptivecard-submit-value', h.serviceUrl);
      const res = await h.send(activity);
      assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
      await settle();
      const replies = h.posted();
      assert.ok(replies.length <= 1, `${replies.length} replies`);
      assertNoCrashNotice(replies);
      for (const r of replies) {
        assert.equal(r.conversationId, (activity.conversation as { id: string }).id);
        assert.match(r.text, /What I can do/);
      }
    });
  });

  it('a whole trainee self-assessment over HTTP, and its results after a restart on the same data', async () => {
    h = await Harness.start();
    const who = person('http-walk');
    const { results } = await selfAssessOverHttp(h, who);
    assert.match(results.text, /CC1 /);

    await h.restartBot();
    const before = h.posted().length;
    const res = await h.send(personalMessage(who, '/results', h.serviceUrl));
    assert.equal(res.status, 200);
    await settle();
    const reply = only(h.posted().slice(before), 'reply to /results');
    assert.equal(reply.conversationId, `a:personal-${who.aadObjectId}`);
    const card = only(reply.cards, 'results card');
    assert.match(card.text, /Your results: trainee auditor/);
    const figures = (c: ReadCard) => c.lines.filter((l) => /%/.test(l));
    assert.deepEqual(figures(card), figures(results), 'the same results as before the restart');
  });

  it('in a channel, /assess and /results from a user with results show only a "continues in a private chat" notice', async () => {
    h = await Harness.start();
    const who = person('http-privacy');
    await selfAssessOverHttp(h, who);
    const { lib } = await sharedAssets();
    const statements = lib.framework.areas.flatMap((a) =>
      a.subAreas.flatMap((s) => s.statements.map((st) => st.text)),
    );
    const personalChat = `a:personal-${who.aadObjectId}`;
    for (const command of ['/assess', '/results']) {
      const before = h.posted().length;
      const activity = channelMessage(who, command, h.serviceUrl);
      const channelId = activity.conversation!.id;
      const res = await h.send(activity);
      assert.equal(res.status, 200);
      await settle();
      const replies = h.posted().slice(before);
      for (const r of replies)
        assert.ok(
          r.conversationId === channelId || r.conversationId === personalChat,
          `${command}: posted only to the channel or the user's own chat, not ${r.conversationId}`,
        );
      const reply = only(
        replies.filter((r) => r.conversationId === channelId),
        `reply to ${command} in the channel`,
      );
      const everything = JSON.stringify(reply.body);
      assert.match(reply.text, /private (chat|message)/i, `${command}: ${reply.text}`);
      assert.doesNotMatch(everything, /%/, `${command}: no percentages`);
      for (const label of Object.values(RATING_LABELS))
        assert.ok(!everything.includes(label), `${command}: no rating "${label}"`);
      for (const s of statements) assert.ok(!everything.includes(s), `${command}: statement text "${s}"`);
      assert.doesNotMatch(everything, /Your results/);
      assert.ok(reply.text.length < 300, `short: ${reply.text}`);
      if (/I've sent you a private message/.test(reply.text))
        assert.ok(
          replies.some((r) => r.conversationId === personalChat),
          `${command}: the notice says a private message was sent, and one was`,
        );
    }
  });

  describe('bad input over HTTP', () => {
    it('a malformed JSON body: 400', async () => {
      h = await Harness.start();
      const res = await h.send('{"type": "message", "text": ');
      assert.equal(res.status, 400);
      assert.deepEqual(h.connector.received, []);
    });

    it('a 1 MB body: 413', async () => {
      h = await Harness.start();
      const activity = teamsPayload('personal-message', h.serviceUrl, { text: 'x'.repeat(1024 * 1024) });
      const res = await h.send(activity);
      assert.equal(res.status, 413);
      assert.deepEqual(h.connector.received, []);
    });

    it('an activity of unknown type "foo": 2xx and no reply', async () => {
      h = await Harness.start();
      const res = await h.send(teamsPayload('personal-message', h.serviceUrl, { type: 'foo' }));
      assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
      await settle();
      assert.deepEqual(h.connector.received, []);
    });

    it('a message of 50,000 characters: 2xx and a reply, not an error', async () => {
      h = await Harness.start();
      const words = 'what does the framework say about coding audit and statistics ';
      const text = words.repeat(Math.ceil(50_000 / words.length)).slice(0, 50_000);
      const res = await h.send(teamsPayload('personal-message', h.serviceUrl, { text }));
      assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
      await h.connector.waitFor(1);
      await settle();
      const replies = h.posted();
      assert.ok(replies.length >= 1);
      assertNoCrashNotice(replies);
    });
  });
});
