/**
 * Two bot instances on one Azure Blob Storage container (Azurite), each with its own storage client,
 * messenger and routes, running reminder passes at the same moment, as two instances behind a load
 * balancer would when the scheduler (or each one's own schedule) triggers them together.
 */
import assert from 'node:assert/strict';
import { invoke, person, type Person } from '../support/activities.js';
import { post } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { invokeCard, posted, ratingsFor, type Posted } from '../support/http.js';
import { blobBackend, type StoreUnderTest } from './backends.js';
import { startBotOn, type BotInstance } from './botOnStorage.js';

const SECRET = 'two-instances-secret-0123456789';

interface Summary {
  people: number;
  sent: number;
  failed: number;
}

describe('reminders on two instances sharing Azure Blob Storage (Azurite)', function () {
  this.timeout(120_000);
  const backend = blobBackend();
  let connector: ConnectorStandIn;
  let store: StoreUnderTest;
  let a: BotInstance;
  let b: BotInstance;
  let now = new Date('2026-11-16T15:00:00Z');
  const clock = () => now;

  before(async function () {
    this.timeout(60_000);
    connector = await new ConnectorStandIn().start();
    await backend.start();
  });
  after(async () => {
    await connector.stop();
    await backend.stop();
  });

  async function startBoth(env: Record<string, string> = {}) {
    store = await backend.fresh();
    a = await startBotOn(store.storage, { clock, secret: SECRET, env });
    b = await startBotOn(await store.another(), { clock, secret: SECRET, env });
  }
  afterEach(async () => {
    await Promise.allSettled([a.stop(), b.stop()]);
    await store.cleanup();
  });

  /** A self-assessment started on instance A and its first card answered. */
  async function leaveUnfinished(who: Person): Promise<void> {
    const first = invokeCard(
      await post(a.messagesUrl, invoke(who, 'assess.start', { level: 'trainee' }, connector.url)),
    );
    const next = first.buttons.find((x) => x.title === 'Next')!;
    invokeCard(
      await post(
        a.messagesUrl,
        invoke(who, 'assess.step', { ...next.data, ...ratingsFor(first, 0) }, connector.url),
      ),
    );
  }

  /** A pass on both instances at once; their summaries. */
  async function passOnBoth(): Promise<Summary[]> {
    const auth = { authorization: `Bearer ${SECRET}` };
    const results = await Promise.all([a, b].map((i) => post(`${i.url}/api/reminders`, {}, auth)));
    for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
    return results.map((r) => r.body as Summary);
  }

  const remindersFor = (who: Person): Posted[] =>
    posted(connector).filter(
      (p) => /A reminder \(at most/.test(p.text) && p.conversationId === `a:personal-${who.aadObjectId}`,
    );

  it('passes run at once on both, three times over: each of twelve people gets their reminder once', async () => {
    await startBoth();
    now = new Date('2026-11-16T15:00:00Z');
    const people = Array.from({ length: 12 }, (_, i) => person(`twin-${i}`));
    for (const who of people) await leaveUnfinished(who);

    now = new Date('2026-11-23T10:00:00Z');
    const summaries = (await Promise.all([passOnBoth(), passOnBoth(), passOnBoth()])).flat();
    assert.equal(
      summaries.reduce((n, s) => n + s.sent, 0),
      12,
      'twelve sent between six passes',
    );
    for (const who of people) assert.equal(remindersFor(who).length, 1, who.id);
    // Every pass looked at all twelve, and none failed: what one did not send, another had.
    for (const s of summaries) {
      assert.equal(s.people, 12);
      assert.equal(s.failed, 0);
    }
  });

  it('the weekly cap holds across instances: with three due and REMINDERS_PER_WEEK=2, two arrive that week', async () => {
    await startBoth({ REMINDERS_PER_WEEK: '2' });
    now = new Date('2026-11-16T10:00:00Z');
    const people = Array.from({ length: 4 }, (_, i) => person(`twincap-${i}`));
    for (const who of people) {
      await leaveUnfinished(who);
      // ACC over three years on Tuesday 24 November; the refresher's 90 days on Wednesday 25th.
      invokeCard(
        await post(
          a.messagesUrl,
          invoke(
            who,
            'eligibility.check',
            {
              programme: 'ccap',
              hasAcc: 'yes',
              accDate: '2023-11-23',
              ccsrcDate: '2024-02-22',
              'ccsrcDate:none': 'false',
              codersToolbox: 'yes',
            },
            connector.url,
          ),
        ),
      );
    }
    for (const day of ['25', '26', '27'])
      for (const hour of ['09', '10', '11', '14']) {
        now = new Date(`2026-11-${day}T${hour}:00:00Z`);
        await passOnBoth();
      }
    for (const who of people) assert.equal(remindersFor(who).length, 2, who.id);
    now = new Date('2026-11-30T09:00:00Z');
    await passOnBoth();
    for (const who of people) assert.equal(remindersFor(who).length, 3, `${who.id}, the next week`);
  });
});
