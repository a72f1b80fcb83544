import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AssessmentDocSchema, currentStep } from '../../bot/core/assessment/assessment.js';
import { loadLibrary } from '../../bot/data/loadData.js';
import { DocumentStore } from '../../bot/storage/documentStore.js';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import { assessmentKey } from '../../bot/storage/assessmentRepo.js';
import { invoke, person, personalMessage, type Person } from '../support/activities.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import {
  ADAPTIVE,
  invokeCard,
  postActivity,
  posted,
  ratingsFor,
  readCard,
  type ReadCard,
} from '../support/http.js';
import { ChildBot } from './childBot.js';

interface Ack {
  subAreaId: string;
  ratings: Record<string, string>;
}

/** The card in an invoke's HTTP answer when it is a success (200 with a card), else undefined. */
function acknowledgedCard(res: { status: number; body: unknown }): ReadCard | undefined {
  const body = res.body as { statusCode?: number; type?: string; value?: unknown } | undefined;
  if (res.status !== 200 || body?.statusCode !== 200 || body.type !== ADAPTIVE) return undefined;
  return readCard(body.value as Record<string, unknown>);
}

describe('trust: crash safety of the real process (node --import tsx bot/index.ts)', function () {
  this.timeout(120_000);
  let bot: ChildBot | undefined;
  let connector: ConnectorStandIn | undefined;
  let holding: ConnectorStandIn | undefined;
  afterEach(async () => {
    await bot?.kill('SIGKILL');
    bot = undefined;
    await connector?.stop();
    await holding?.stop();
  });

  it('SIGKILL in the middle of a stream of answers: after a restart every acknowledged answer is there, and the user can carry on', async () => {
    connector = await new ConnectorStandIn().start();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-crash-'));
    const env = { DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '100000' };
    bot = await ChildBot.start(env);
    const s = connector.url;
    const walkers = ['crash-a', 'crash-b', 'crash-c'].map((l) => person(l));
    const acks = new Map<string, Ack[]>(walkers.map((w) => [w.aadObjectId, []]));
    const killAfter = 12 + Math.floor(Math.random() * 12);
    const killDelayMs = Math.floor(Math.random() * 15);
    let total = 0;
    let killed: Promise<void> | undefined;

    const walk = async (who: Person) => {
      let card = invokeCard(
        await postActivity(bot!.messagesUrl, invoke(who, 'assess.start', { level: 'trainee' }, s)),
      );
      for (let step = 1; ; step++) {
        const next = card.buttons.find((b) => b.verb === 'assess.step' && b.data.action === 'next');
        assert.ok(next, `a Next button at step ${step}`);
        const ratings = ratingsFor(card, step);
        const sent = postActivity(
          bot!.messagesUrl,
          invoke(who, 'assess.step', { ...next.data, ...ratings }, s),
        );
        if (total >= killAfter && !killed) {
          // Mid-stream: this submission (and the other walkers') may be half-way through a write.
          killed = new Promise((r) => setTimeout(r, killDelayMs)).then(() => bot!.kill('SIGKILL'));
        }
        let res: { status: number; body: unknown };
        try {
          res = await sent;
        } catch {
          return; // the connection died with the process: not acknowledged
        }
        const nextCard = acknowledgedCard(res);
        if (!nextCard) return;
        acks.get(who.aadObjectId)!.push({ subAreaId: String(next.data.subAreaId), ratings });
        total++;
        card = nextCard;
      }
    };
    await Promise.all(walkers.map(walk));
    await killed;
    assert.ok(total >= killAfter, `${total} answers acknowledged before the kill`);

    // The killed process's lease on DATA_DIR is left behind; the restart below has to outwait it.
    const leaseLeft = (await readdir(dataDir)).includes('store.lock');
    console.log(
      `      killed after ${total} acknowledged answers (+${killDelayMs} ms); lease left behind: ${leaseLeft}`,
    );
    // Every stored document still parses (no half-written file), before the bot even starts.
    const store = new DocumentStore(new LowdbStorage(dataDir));
    const files = (
      await readdir(path.join(dataDir, 'store'), { recursive: true, withFileTypes: true })
    ).filter((f) => f.isFile() && f.name.endsWith('.json'));
    for (const f of files) JSON.parse(await readFile(path.join(f.parentPath, f.name), 'utf8'));

    const lib = await loadLibrary();
    /** Which card (0-based) an assessment is on: sub-areas are asked over one card or more. */
    const cardOf = (a: Parameters<typeof currentStep>[1]) => currentStep(lib, a).index;
    for (const who of walkers) {
      const doc = await store.get(assessmentKey(who.aadObjectId), AssessmentDocSchema);
      const mine = acks.get(who.aadObjectId)!;
      const a = doc?.current ?? doc?.history.at(-1);
      assert.ok(a, `${who.id}: the assessment is stored`);
      for (const ack of mine)
        for (const [input, rating] of Object.entries(ack.ratings))
          assert.equal(
            a.ratings[input.slice('rating:'.length)],
            rating,
            `${who.id}: ${input} (${ack.subAreaId})`,
          );
      const at = cardOf(a);
      assert.ok(
        at === mine.length || at === mine.length + 1,
        `${who.id}: at card index ${at} after ${mine.length} acknowledged steps`,
      );
    }

    // The restarted bot, on the same data, offers to resume where each walker was, and takes new answers.
    bot = await ChildBot.start(env);
    for (const who of walkers) {
      const doc = await store.get(assessmentKey(who.aadObjectId), AssessmentDocSchema);
      const position = cardOf(doc!.current!);
      const before = posted(connector).length;
      assert.equal((await postActivity(bot.messagesUrl, personalMessage(who, '/assess', s))).status, 200);
      const reply = posted(connector).slice(before);
      assert.equal(reply.length, 1);
      assert.match(reply[0]!.text, new RegExp(`card ${position + 1} of 32`));
      const resume = reply[0]!.cards[0]!.buttons.find((b) => b.title === 'Resume');
      assert.ok(resume);
      const card = invokeCard(
        await postActivity(bot.messagesUrl, invoke(who, 'assess.resume', resume.data, s)),
      );
      assert.match(card.text, new RegExp(`Card ${position + 1} of 32`));
      const next = card.buttons.find((b) => b.verb === 'assess.step' && b.data.action === 'next')!;
      const t0 = Date.now();
      const after = invokeCard(
        await postActivity(
          bot.messagesUrl,
          invoke(who, 'assess.step', { ...next.data, ...ratingsFor(card, 0) }, s),
        ),
      );
      assert.match(after.text, new RegExp(`Card ${position + 2} of 32`));
      const ms = Date.now() - t0;
      // Teams gives up on an invoke after about 15 s; nothing the killed process left may slow answers that much.
      assert.ok(ms < 15_000, `the first answer after the restart took ${ms} ms`);
      if (ms > 1000) console.log(`      ${who.id}: first answer after the restart took ${ms} ms`);
    }
  });

  it('SIGTERM: a turn in flight still gets its 200, then the process stops its schedule and exits 0 within seconds', async () => {
    holding = await new ConnectorStandIn().start();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-term-'));
    bot = await ChildBot.start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const who = person('term-a');
    holding.hold();
    const arrived = holding.waitFor(holding.received.length + 1);
    const inFlight = postActivity(bot.messagesUrl, personalMessage(who, '/areas', holding.url));
    await arrived; // the turn is now waiting for the connector to take its reply
    const t0 = Date.now();
    bot.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(bot.child.exitCode, null, 'still running while a turn is in flight');
    // New connections are refused once stopping.
    await assert.rejects(fetch(`${bot.url}/healthz`, { signal: AbortSignal.timeout(2000) }));
    holding.release();
    const res = await inFlight;
    assert.equal(res.status, 200, 'the in-flight turn finished');
    const { code, signal } = await bot.exited;
    const ms = Date.now() - t0;
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.ok(ms < 5000, `exited ${ms} ms after SIGTERM`);
    const log = bot.output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event?: string; digestSchedule?: string });
    const events = log.map((l) => l.event);
    assert.ok(events.includes('server.stopping'), events.join(', '));
    assert.equal(log.find((l) => l.event === 'server.stopped')?.digestSchedule, 'stopped');
    bot = undefined;
  });

  it('a second bot process on the same DATA_DIR stops at start-up saying why, and the first carries on', async () => {
    connector = await new ConnectorStandIn().start();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-twice-'));
    bot = await ChildBot.start({ DATA_DIR: dataDir });
    const who = person('twice-a');
    assert.equal(
      (await postActivity(bot.messagesUrl, personalMessage(who, '/assess', connector.url))).status,
      200,
    );
    const stored = await readdir(path.join(dataDir, 'store'), { recursive: true });

    const t0 = Date.now();
    await assert.rejects(ChildBot.start({ DATA_DIR: dataDir }), (e: Error) => {
      assert.match(e.message, /exited during start-up/);
      assert.match(e.message, /is in use by another running bot process/);
      assert.match(e.message, /STORAGE=blob for several instances/);
      return true;
    });
    // It waited long enough for a lease left by a killed process to go stale, then gave up.
    assert.ok(Date.now() - t0 > 10_000, `gave up after ${Date.now() - t0} ms`);
    assert.deepEqual(
      await readdir(path.join(dataDir, 'store'), { recursive: true }),
      stored,
      'nothing written',
    );

    const before = posted(connector).length;
    assert.equal(
      (await postActivity(bot.messagesUrl, personalMessage(who, '/results', connector.url))).status,
      200,
    );
    assert.equal(posted(connector).length, before + 1, 'the first bot still answers');
  });
});
