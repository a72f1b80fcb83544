import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BOT, invoke, person } from '../support/activities.js';
import { startBot, type RunningBot } from '../support/botServer.js';
import { ConnectorStandIn, type Received } from '../support/connectorStandIn.js';

/**
 * Bad input never hurts: random activity shapes POSTed to the real server (restify + CloudAdapter +
 * lowdb), with replies going to a connector stand-in. Never a 5xx, the process stays up, and nothing
 * from the input is echoed as live HTML or markdown, anywhere a person reads it.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const INJECTIONS = [
  '<script>alert(1)</script>',
  '<SCRIPT src=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<a href="https://evil.example">click</a>',
  '[click me](https://evil.example/phish)',
  '![pixel](https://evil.example/p.png)',
  '[x]( https://evil.example/spaced )',
  '${$root.secret}',
  '@{concat("a","b")}',
  '**bold** _it_ # heading\n- list\n> quote',
  '<at>Coding Auditor</at>',
  '\u0000\u0007\u001b[31m\u202e\u200b\ufeff',
  '%s%n%x {{7*7}} ${7*7} #{7*7}',
  '../../../../etc/passwd',
  '"},{"type":"Action.OpenUrl","url":"https://evil.example"}',
];

/** What a person reads: text blocks, facts, choice titles, button titles, summaries. Not hidden data. */
function readable(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) readable(n, out);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const el = node as Record<string, unknown>;
  for (const key of [
    'text',
    'title',
    'summary',
    'label',
    'placeholder',
    'altText',
    'fallbackText',
    'speak',
  ]) {
    if (typeof el[key] === 'string') out.push(el[key]);
  }
  for (const key of ['body', 'items', 'columns', 'actions', 'facts', 'choices', 'inlines', 'attachments']) {
    if (el[key] !== undefined) readable(el[key], out);
  }
  if (el.type === 'FactSet' || Array.isArray(el.facts)) {
    for (const f of (el.facts as Record<string, unknown>[] | undefined) ?? [])
      if (typeof f.value === 'string') out.push(f.value);
  }
  if (el.content && typeof el.content === 'object') readable(el.content, out);
  if (el.card && typeof el.card === 'object') readable(el.card, out);
  // An invoke response body carries the card (or error) in `value`.
  if (
    el.value &&
    typeof el.value === 'object' &&
    (el.type === 'application/vnd.microsoft.card.adaptive' || el.type === 'application/vnd.microsoft.error')
  )
    readable(el.value, out);
  return out;
}

const LIVE_MARKUP = [/<\s*(script|img|iframe|a\s)/i, /\]\(\s*https?:\/\/evil\.example/i, /!\[[^\]]*\]\(/];

function assertNoLiveMarkup(texts: string[], where: string): void {
  for (const t of texts)
    for (const re of LIVE_MARKUP)
      assert.ok(!re.test(t), `${where}: ${re} in ${JSON.stringify(t).slice(0, 300)}`);
}

// Arbitraries -------------------------------------------------------------------------------------

const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, '', ' ', 'null', '__proto__', 'constructor'),
    fc.integer(),
    fc.double(),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(...INJECTIONS),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const control = fc.string({
  unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});

const hugeText = fc
  .tuple(
    fc.constantFrom(...INJECTIONS, 'what does CC2 cover? ', 'é€😀𝄞 ', 'a'),
    fc.constantFrom(5_000, 40_000, 120_000),
  )
  .map(([chunk, n]) => chunk.repeat(Math.ceil(n / chunk.length)).slice(0, n));

const commandish = fc
  .tuple(
    fc.constantFrom(
      '',
      '/',
      '/ask ',
      '/competency ',
      '/activities ',
      '/assess',
      '/results',
      '/gaps',
      '/help',
      '/eligibility',
      '/manager',
      '/export',
      '/digest',
      '/mydata',
      '/forget',
      '/nope',
      'cc',
      'CC2d ',
    ),
    fc.oneof(fc.constantFrom(...INJECTIONS), fc.string({ unit: 'binary', maxLength: 60 }), fc.constant('')),
  )
  .map(([a, b]) => a + b);

const text = fc.oneof(
  { weight: 4, arbitrary: commandish },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: control },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: fc.constantFrom(...INJECTIONS).map((i) => `<at>Coding Auditor</at> ${i}`) },
);

const users = [person('fuzz-a'), person('fuzz-b'), person('fuzz-walker')];

/** In a chaos activity any structural field may have the wrong type; otherwise only contents are odd. */
const maybeJunk = <T>(good: fc.Arbitrary<T>, chaos: boolean): fc.Arbitrary<unknown> =>
  chaos ? fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: junk }) : good;

const from = (chaos: boolean) =>
  maybeJunk(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .constantFrom(...users)
          .map((u) => ({ ...u, name: `${u.name} <script>alert(1)</script>` })),
      },
      {
        weight: 1,
        arbitrary: fc.record(
          { id: fc.string({ unit: 'binary', maxLength: 20 }), name: fc.constantFrom(...INJECTIONS) },
          { requiredKeys: [] },
        ),
      },
    ),
    chaos,
  );

const conversation = (chaos: boolean) =>
  maybeJunk(
    fc.record(
      {
        id: fc.constantFrom(
          'a:personal-fuzz',
          '19:channel-fuzz@thread.tacv2;messageid=1',
          '19:group-fuzz@thread.v2',
          '19:channel-fuzz@thread.tacv2',
        ),
        conversationType: maybeJunk(fc.constantFrom('personal', 'groupChat', 'channel', 'other'), chaos),
        isGroup: maybeJunk(fc.boolean(), chaos),
        tenantId: maybeJunk(fc.constant('tenant-1'), chaos),
      },
      { requiredKeys: ['id'] },
    ),
    chaos,
  );

const INVOKE_NAMES = [
  'adaptiveCard/action',
  'composeExtension/query',
  'composeExtension/fetchTask',
  'composeExtension/submitAction',
  'task/fetch',
  'task/submit',
  'config/fetch',
  'tab/fetch',
  'signin/verifyState',
  'signin/tokenExchange',
  'application/search',
  'fileConsent/invoke',
  'actionableMessage/executeAction',
  'handoff/action',
  'made/up',
];

export interface Plausible {
  verbs: string[];
  assessmentId: string;
  subAreaId: string;
}

function actionData(p: Plausible): fc.Arbitrary<unknown> {
  const plausible = fc.record(
    {
      verb: fc.oneof(fc.constantFrom(...p.verbs), junk),
      level: fc.oneof(fc.constantFrom('trainee', 'approved'), junk),
      action: fc.oneof(fc.constantFrom('next', 'back', 'skip', 'save', 'finish'), junk),
      assessmentId: fc.oneof(fc.constant(p.assessmentId), junk),
      revision: fc.oneof(fc.nat(40), junk),
      subAreaId: fc.oneof(fc.constant(p.subAreaId), junk),
      note: fc.oneof(fc.constantFrom(...INJECTIONS), junk, hugeText),
      [`rating:${p.subAreaId}-1`]: fc.oneof(
        fc.constantFrom('notYet', 'developing', 'competent', 'confident'),
        junk,
      ),
      command: fc.oneof(commandish, junk),
      managerId: junk,
      query: fc.oneof(commandish, junk),
      confirm: junk,
    },
    { requiredKeys: [] },
  );
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: junk });
}

function invokeValue(p: Plausible): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(
        {
          action: fc.oneof(
            fc.record(
              {
                type: fc.oneof(fc.constant('Action.Execute'), junk),
                verb: fc.oneof(fc.constantFrom(...p.verbs), fc.string({ maxLength: 20 }), junk),
                data: actionData(p),
              },
              { requiredKeys: [] },
            ),
            junk,
          ),
          trigger: fc.oneof(fc.constant('manual'), junk),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: junk },
  );
}

function activity(p: Plausible, serviceUrl: string, chaos: boolean): fc.Arbitrary<Record<string, unknown>> {
  const odd = <T>(good: fc.Arbitrary<T>) => maybeJunk(good, chaos);
  return fc
    .record(
      {
        type: odd(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom('message', 'invoke') },
            {
              weight: 2,
              arbitrary: fc.constantFrom(
                'conversationUpdate',
                'installationUpdate',
                'messageReaction',
                'messageUpdate',
                'messageDelete',
                'event',
                'typing',
                'endOfConversation',
                'foo',
                '',
              ),
            },
          ),
        ),
        name: odd(fc.oneof(fc.constantFrom(...INVOKE_NAMES), fc.string({ maxLength: 30 }))),
        id: odd(fc.string({ maxLength: 20 })),
        channelId: odd(fc.constantFrom('msteams', 'emulator', 'webchat')),
        serviceUrl: chaos
          ? fc.oneof(
              { weight: 6, arbitrary: fc.constant(serviceUrl) },
              {
                weight: 1,
                arbitrary: fc.constantFrom('', 'not a url', 'javascript:alert(1)', 'file:///etc/passwd'),
              },
              { weight: 1, arbitrary: junk },
            )
          : fc.oneof(
              { weight: 20, arbitrary: fc.constant(serviceUrl) },
              // Odd paths and forms of the same connector. (A connector that refuses connections is
              // left out: the SDK retries each send for seconds, which says nothing about input.)
              {
                weight: 1,
                arbitrary: fc.constantFrom(
                  `${serviceUrl}teams/emea/`,
                  serviceUrl.replace(/\/$/, ''),
                  `${serviceUrl}?x=<script>`,
                ),
              },
            ),
        from: from(chaos),
        recipient: odd(fc.constant(BOT)),
        conversation: conversation(chaos),
        text: odd(text),
        textFormat: odd(fc.constantFrom('plain', 'markdown', 'xml')),
        value: fc.oneof({ weight: 3, arbitrary: invokeValue(p) }, { weight: 1, arbitrary: actionData(p) }),
        entities: odd(
          fc.array(
            fc.oneof(
              fc.record({
                type: fc.constantFrom('mention', 'Mention'),
                text: fc.oneof(fc.constantFrom('<at>Coding Auditor</at>', ...INJECTIONS), junk),
                mentioned: fc.oneof(fc.constant(BOT), fc.record({ id: fc.string({ maxLength: 12 }) })),
              }),
              fc.record(
                { type: fc.constantFrom('clientInfo', 'x', ''), locale: junk, value: junk },
                { requiredKeys: ['type'] },
              ),
            ),
            { maxLength: 3 },
          ),
        ),
        channelData: odd(
          fc.record(
            {
              tenant: fc.oneof(fc.constant({ id: 'tenant-1' }), junk),
              team: junk,
              channel: junk,
              eventType: fc.oneof(fc.constantFrom('teamMemberAdded', 'channelCreated'), junk),
              source: junk,
              settings: junk,
            },
            { requiredKeys: [] },
          ),
        ),
        membersAdded: odd(
          fc.oneof(
            fc.constant([BOT]),
            fc.array(fc.record({ id: fc.string({ maxLength: 12 }), name: fc.constantFrom(...INJECTIONS) }), {
              maxLength: 2,
            }),
          ),
        ),
        membersRemoved: odd(fc.constant([BOT])),
        action: fc.oneof(fc.constantFrom('add', 'remove', 'add-upgrade'), junk),
        replyToId: odd(fc.string({ maxLength: 10 })),
        timestamp: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          junk,
        ),
        localTimestamp: junk,
        deliveryMode: odd(fc.constantFrom('normal', 'expectReplies')),
        locale: odd(fc.constantFrom('en-GB', '', 'xx')),
        attachments: odd(
          fc.array(
            fc.record({
              contentType: fc.constantFrom('text/html', 'application/vnd.microsoft.card.adaptive'),
              content: junk,
            }),
            { maxLength: 2 },
          ),
        ),
        reactionsAdded: junk,
      },
      {
        requiredKeys: chaos
          ? ['type']
          : ['type', 'channelId', 'serviceUrl', 'from', 'recipient', 'conversation'],
      },
    )
    .map((a) => a as Record<string, unknown>);
}

/** What a reply says (text, summary, cards, suggested actions), not whom it is addressed to. */
function content(body: Record<string, unknown>): unknown {
  const { text, summary, attachments, suggestedActions, speak } = body;
  return { text, summary, attachments, suggestedActions, speak };
}

function sharedScope(a: Record<string, unknown>): boolean {
  const c = a.conversation as { conversationType?: unknown; isGroup?: unknown; id?: unknown } | undefined;
  if (!c || typeof c !== 'object') return false;
  return c.conversationType === 'channel' || c.conversationType === 'groupChat' || Boolean(c.isGroup);
}

function conversationOf(r: Received): string {
  const m = /\/v3\/conversations\/([^/]+)/.exec(r.path);
  return m?.[1] ? decodeURIComponent(m[1]) : '';
}

describe('trust: fuzzing /api/messages with random activity shapes', function () {
  this.timeout(600_000);
  let bot: RunningBot | undefined;
  let connector: ConnectorStandIn | undefined;

  before(async () => {
    connector = await new ConnectorStandIn().start();
    bot = await startBot({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  });
  after(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  it(`${RUNS} random activities: never a 5xx, still healthy, no live markup from the input in any reply`, async () => {
    // A walker with an assessment in progress, so that step data can reach the engine.
    const walker = users[2]!;
    const started = await post(invoke(walker, 'assess.start', { level: 'trainee' }, connector!.url));
    assert.equal(started.status, 200);
    const doc = await bot!.app.assessments.get(walker.aadObjectId);
    const current = doc?.current as { id: string; level: string } | undefined;
    assert.ok(current, 'the walker has an assessment in progress');
    const plausible: Plausible = {
      verbs: bot!.app.bot.handledVerbs(),
      assessmentId: current.id,
      subAreaId: 'CC1a',
    };
    const statuses = new Map<number, number>();
    const slow: string[] = [];
    console.log(`      fuzz seed ${SEED}, ${RUNS} runs (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} to replay)`);

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: activity(plausible, connector!.url, false) },
          { weight: 1, arbitrary: activity(plausible, connector!.url, true) },
        ),
        async (a) => {
          const before = connector!.received.length;
          const t0 = Date.now();
          const res = await post(a);
          const ms = Date.now() - t0;
          if (ms > 2000) slow.push(`${ms} ms: ${brief(a).slice(0, 300)}`);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          assert.ok(res.status < 500, `HTTP ${res.status} for ${brief(a)}: ${res.text.slice(0, 300)}`);
          assertNoLiveMarkup(readable(res.body), `HTTP response body (${brief(a)})`);
          const sent = connector!.received.slice(before);
          // A turn that threw shows the apology with a reference; with a working connector, none may.
          if (a.serviceUrl === connector!.url)
            assert.ok(
              !/something went wrong on my side/.test(JSON.stringify([res.body, ...sent.map((r) => r.body)])),
              `the turn failed for ${brief(a)}`,
            );
          for (const r of sent) {
            assertNoLiveMarkup(readable(r.body), `reply to ${brief(a)}`);
            const conv = (a.conversation as { id?: unknown } | undefined)?.id;
            if (sharedScope(a) && conversationOf(r) === conv)
              assert.ok(
                !/<\s*script/i.test(JSON.stringify(content(r.body))),
                `reply in a shared conversation carries <script from the input: ${JSON.stringify(r.body).slice(0, 400)}`,
              );
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    if (slow.length)
      console.log(
        `      ${slow.length} slow (a connector that refuses, retried by the SDK), e.g. ${slow[0]}`,
      );
    console.log(
      `      HTTP statuses: ${JSON.stringify(Object.fromEntries(statuses))}, ${connector!.received.length} replies`,
    );
    // Most activities must get past the door, or the fuzz tests nothing but the envelope check.
    assert.ok((statuses.get(200) ?? 0) > RUNS / 2, 'most random activities reach the bot');

    const health = await fetch(`${bot!.url}/healthz`);
    assert.equal(health.status, 200);
    // And a normal turn still works afterwards.
    const after = await post(invoke(users[0]!, 'assess.start', { level: 'approved' }, connector!.url));
    assert.equal(after.status, 200);
  });

  async function post(a: unknown): Promise<{ status: number; body: unknown; text: string }> {
    const res = await fetch(`${bot!.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(a),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, text };
  }
});

function brief(a: Record<string, unknown>): string {
  return JSON.stringify(a, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v,
  ).slice(0, 600);
}
