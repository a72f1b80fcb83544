import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AssessmentDocSchema,
  newAssessmentDoc,
  restartAssessment,
} from '../../bot/core/assessment/assessment.js';
import { ReminderDocSchema } from '../../bot/core/reminders/reminders.js';
import { DocumentStore } from '../../bot/storage/documentStore.js';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import { assessmentKey } from '../../bot/storage/assessmentRepo.js';
import { UsersIndexStore } from '../../bot/storage/usersIndex.js';
import { ConversationRefStore } from '../../bot/teams/conversationRefs.js';
import { person, personalMessage, type Person } from '../support/activities.js';
import { post } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { ChildBot } from './childBot.js';

const SECRET = 'crash-reminders-secret-0123456789';
/** A Tuesday, 10:00 in London: working hours. */
const T0 = Date.parse('2026-11-24T10:00:00Z');
const MINUTE = 60_000;
const CLOCK = './test/trust/shiftedClock.ts';

/**
 * Six people whose self-assessments have waited eight days, each with a personal chat with the bot,
 * written straight into DATA_DIR as the bot would have stored them.
 */
async function seed(dataDir: string, people: Person[], serviceUrl: string): Promise<void> {
  const storage = new LowdbStorage(dataDir);
  const store = new DocumentStore(storage);
  const lastStep = new Date(T0 - 8 * 24 * 60 * MINUTE);
  const refs = new ConversationRefStore(store, () => lastStep);
  const users = new UsersIndexStore(store);
  for (const who of people) {
    const doc = restartAssessment(newAssessmentDoc(who.aadObjectId), 'trainee', {
      id: randomUUID(),
      now: lastStep,
    });
    await store.put(assessmentKey(who.aadObjectId), AssessmentDocSchema, doc);
    await users.add(who.aadObjectId);
    await refs.remember(personalMessage(who, 'hello', serviceUrl));
  }
  // The bot processes write here next; a directory has one writing process at a time.
  await storage.close();
}

/** Reminder records marked sent in DATA_DIR (read without the lease, as any reader may). */
async function sentRecords(dataDir: string, people: Person[]): Promise<number> {
  const store = new DocumentStore(new LowdbStorage(dataDir));
  let n = 0;
  for (const who of people) {
    const doc = await store.get(`reminders/${who.aadObjectId}`, ReminderDocSchema);
    n += Object.values(doc?.records ?? {}).filter((r) => r.status === 'sent').length;
  }
  return n;
}

describe('trust: a reminder pass killed half-way (SIGKILL) sends nothing twice', function () {
  this.timeout(120_000);
  let bot: ChildBot | undefined;
  let connector: ConnectorStandIn | undefined;
  afterEach(async () => {
    await bot?.kill('SIGKILL');
    bot = undefined;
    await connector?.stop();
  });

  const start = (dataDir: string, at: number) =>
    ChildBot.start(
      {
        DATA_DIR: dataDir,
        DIGEST_TRIGGER_SECRET: SECRET,
        // Only the passes this test triggers: the in-process schedule waits for New Year.
        REMINDERS_CRON: '0 0 1 1 *',
        TEST_NOW: new Date(at).toISOString(),
      },
      30_000,
      [CLOCK],
    );
  const trigger = (b: ChildBot) => post(`${b.url}/api/reminders`, {}, { authorization: `Bearer ${SECRET}` });

  it('sent and recorded before the kill: never again; cut off in flight: sent once after the lease', async () => {
    connector = await new ConnectorStandIn().start();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-remcrash-'));
    const people = ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => person(`remcrash-${l}`));
    await seed(dataDir, people, connector.url);
    const conversationOf = (body: Record<string, unknown>) =>
      (body.conversation as { id?: string } | undefined)?.id ?? '';

    // The first run: three reminders go through, the other three reach the connector and get no answer.
    bot = await start(dataDir, T0);
    connector.holdAfter(3);
    const run = trigger(bot).catch(() => undefined);
    await connector.waitFor(4, 10_000);
    for (let i = 0; (await sentRecords(dataDir, people)) < 3; i++) {
      assert.ok(i < 100, 'the three answered sends are recorded as sent');
      await new Promise((r) => setTimeout(r, 50));
    }
    await bot.kill('SIGKILL');
    await run;
    const delivered = connector.received.slice(0, 3).map((r) => conversationOf(r.body));
    const cutOff = connector.received.slice(3).map((r) => conversationOf(r.body));
    assert.equal(new Set(delivered).size, 3);
    assert.ok(cutOff.length >= 1 && cutOff.every((c) => !delivered.includes(c)));
    console.log(`      killed with ${delivered.length} sent and recorded, ${cutOff.length} in flight`);
    connector.release();
    const arrivedBefore = connector.received.length;

    // Restarted five minutes on: the claims left in flight are within their lease, so nothing goes.
    bot = await start(dataDir, T0 + 5 * MINUTE);
    const early = await trigger(bot);
    assert.equal(early.status, 200);
    assert.equal((early.body as { sent: number }).sent, 0);
    assert.equal(connector.received.length, arrivedBefore, 'nothing sent within the lease');
    await bot.kill('SIGTERM');

    // Eleven minutes on, the lease has run out: the three cut off are sent, the three recorded are not.
    bot = await start(dataDir, T0 + 11 * MINUTE);
    const late = await trigger(bot);
    assert.equal((late.body as { sent: number }).sent, 3);
    const again = await trigger(bot);
    assert.equal((again.body as { sent: number }).sent, 0);
    const after = connector.received.slice(arrivedBefore).map((r) => conversationOf(r.body));
    assert.equal(after.length, 3);
    const everyone = [...delivered, ...after].sort();
    assert.deepEqual(
      everyone,
      people.map((p) => `a:personal-${p.aadObjectId}`).sort(),
      'each person has their reminder exactly once',
    );
  });
});
