import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'restify';
import type { Activity, Storage, StoreItems } from 'botbuilder';
import { createAdapter, createApp, type App } from '../../bot/app.js';
import { parseConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { createServer, listen } from '../../bot/server.js';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import { LocalAdapter } from '../../bot/teams/localAdapter.js';
import { ProactiveMessenger } from '../../bot/teams/proactive.js';
import { BOT, channelMessage, invoke, personalMessage } from '../support/activities.js';
import { sharedAssets } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { fitAnswer } from '../support/conversation.js';
import { invokeCard, postActivity, posted, readCard, type Posted } from '../support/http.js';

/** A storage that fails its next operation when told to, as a disk or network outage would. */
class FlakyStorage implements Storage {
  failNext = false;
  /** Operations to let through before failing the next one (with failNext). */
  passFirst = 0;
  constructor(private readonly inner: Storage) {}
  private check(): void {
    if (this.failNext && this.passFirst-- <= 0) {
      this.failNext = false;
      this.passFirst = 0;
      throw new Error('simulated storage outage');
    }
  }
  async read(keys: string[]): Promise<StoreItems> {
    this.check();
    return this.inner.read(keys);
  }
  async write(changes: StoreItems): Promise<void> {
    this.check();
    return this.inner.write(changes);
  }
  async delete(keys: string[]): Promise<void> {
    this.check();
    return this.inner.delete(keys);
  }
}

const NAME = 'Zebedee Quartermaine';
const MARKER = 'ZEBRA7741QUOKKA';
const FORBIDDEN = [MARKER, 'ZEBRA7741', '7741QUOKKA', 'Zebedee', 'Quartermaine'];

describe('trust: logs carry no personal content', function () {
  this.timeout(60_000);
  const lines: string[] = [];
  const consoleLines: string[] = [];
  const restoreConsole: (() => void)[] = [];
  let connector: ConnectorStandIn;
  let server: Server;
  let app: App;
  let url = '';
  let dataDir = '';
  let flaky: FlakyStorage;
  const who = { id: '29:log-probe', name: NAME, aadObjectId: '00000000-0000-4000-8000-00000000l0g5' };

  before(async () => {
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      // The property itself is saved and put back, so the very same function is restored.
      const original = Object.getOwnPropertyDescriptor(console, m)!;
      console[m] = (...args: unknown[]) => {
        consoleLines.push(
          args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '),
        );
      };
      restoreConsole.push(() => {
        Object.defineProperty(console, m, original);
      });
    }
    connector = await new ConnectorStandIn().start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-logs-'));
    const log = createLogger('trace', { write: (s: string) => void lines.push(s) });
    const config = parseConfig({ DATA_DIR: dataDir, PORT: '0' });
    const assets = await sharedAssets();
    const adapter = createAdapter(config, log, assets.cards);
    flaky = new FlakyStorage(new LowdbStorage(dataDir));
    app = createApp({ assets, storage: flaky, log });
    server = createServer({ adapter, bot: app.bot, log });
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/api/messages`;
  });

  after(async () => {
    for (const r of restoreConsole) r();
    await new Promise<void>((r) => {
      server.close(() => {
        r();
      });
    });
    await connector.stop();
  });

  const send = (activity: unknown) => postActivity(url, activity);

  function newReplies(before: number): Posted[] {
    return posted(connector).slice(before);
  }

  function referenceIn(text: string): string {
    const m = /reference ([0-9a-f]{8})/.exec(text);
    assert.ok(m, `a reference in: ${text}`);
    return m[1]!;
  }

  function errorLine(correlationId: string): Record<string, unknown> {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = parsed.find((l) => l.event === 'turn.error' && l.correlationId === correlationId);
    assert.ok(line, `a turn.error line with correlation id ${correlationId}`);
    return line;
  }

  it('a conversation with a name and a note, two failing turns: the logs have ids, references and stacks, never the words', async () => {
    const s = connector.url;
    // An ordinary conversation: a question, a self-assessment step with a note, a channel mention.
    let before = posted(connector).length;
    assert.equal((await send(personalMessage(who, `Hi, I'm ${NAME}. What is ${MARKER}?`, s))).status, 200);
    assert.equal(newReplies(before).length, 1);
    let card = invokeCard(await send(invoke(who, 'assess.start', { level: 'trainee' }, s)));
    const next = card.buttons.find((b) => b.title === 'Next')!;
    const ratings = Object.fromEntries(
      card.inputs.filter((i) => i.id.startsWith('rating:')).map((i) => [i.id, fitAnswer(i, 'developing')]),
    );
    card = invokeCard(
      await send(
        invoke(
          who,
          'assess.step',
          { ...next.data, ...ratings, note: `${MARKER} ${NAME} shadowed an audit` },
          s,
        ),
      ),
    );
    assert.match(card.text, /Card 2 of/);
    assert.equal((await send(channelMessage(who, `what does CC2 cover ${MARKER}`, s))).status, 200);

    // 1. Storage fails in a message turn: the user sees a reference, the log has it with the stack.
    before = posted(connector).length;
    flaky.failNext = true;
    // A question alone needs no storage within the hour (its reference was just saved); /results reads it.
    assert.equal((await send(personalMessage(who, `/results`, s))).status, 200);
    const apology = newReplies(before);
    assert.equal(apology.length, 1);
    assert.match(apology[0]!.text, /something went wrong/);
    const first = errorLine(referenceIn(apology[0]!.text));
    const err = first.err as { type?: string; message?: string; stack?: string };
    assert.equal(err.type, 'Error');
    assert.equal(err.message, 'simulated storage outage');
    assert.match(err.stack ?? '', /simulated storage outage\n\s+at /);
    assert.equal(first.activityType, 'message');
    assert.equal(first.conversationId, `a:personal-${who.aadObjectId}`);

    // 2. The same in a card action: the invoke answers with an error body carrying the reference.
    flaky.failNext = true;
    const failed = await send(invoke(who, 'assess.resume', {}, s));
    assert.equal(failed.status, 200);
    const body = failed.body as { statusCode?: number; value?: { message?: string } };
    assert.equal(body.statusCode, 500);
    errorLine(referenceIn(body.value?.message ?? ''));

    // 3. A damaged stored document (a hand edit dropped the quote before the note): JSON.parse quotes
    //    the text around the fault in its message, which would be the note.
    const files = (await readdir(path.join(dataDir, 'store'), { recursive: true })).filter((f) =>
      path.basename(f).startsWith('assessment'),
    );
    assert.equal(files.length, 1);
    const file = path.join(dataDir, 'store', String(files[0]));
    const stored = await readFile(file, 'utf8');
    assert.ok(stored.includes(`"${MARKER}`));
    await writeFile(file, stored.replace(`"${MARKER}`, MARKER));
    before = posted(connector).length;
    assert.equal((await send(personalMessage(who, '/assess', s))).status, 200);
    const third = errorLine(referenceIn(newReplies(before)[0]!.text));
    assert.match(String((third.err as { message?: string }).message), /not valid JSON/);

    // Nothing personal anywhere: not in pino's lines at trace level, not on the console.
    assert.ok(lines.length >= 3, `${lines.length} log lines`);
    for (const line of [...lines, ...consoleLines])
      for (const word of FORBIDDEN)
        assert.ok(!line.includes(word), `"${word}" in a log line: ${line.slice(0, 400)}`);
    // The bot's own id is fine to log; check that ids did make it, so the assertion above is not vacuous.
    assert.ok(lines.some((l) => l.includes(`a:personal-${who.aadObjectId}`)));
    assert.ok(!lines.some((l) => l.includes(BOT.name) && l.includes('"name"')));
  });
});

describe('trust: reminder passes log counts and event names, never names or words', function () {
  this.timeout(60_000);
  const lines: string[] = [];
  let connector: ConnectorStandIn;
  let app: App;
  let flaky: FlakyStorage;
  let now = new Date('2026-11-16T10:00:00Z');
  const who = { id: '29:rem-log-probe', name: NAME, aadObjectId: '00000000-0000-4000-8000-0000000re1og' };

  before(async () => {
    connector = await new ConnectorStandIn().start();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-remlogs-'));
    const log = createLogger('trace', { write: (s: string) => void lines.push(s) });
    const config = parseConfig({ DATA_DIR: dataDir, PORT: '0' });
    const assets = await sharedAssets();
    const adapter = createAdapter(config, log, assets.cards);
    flaky = new FlakyStorage(new LowdbStorage(dataDir));
    const messenger = new ProactiveMessenger(adapter, '', log, {
      attempts: 2,
      baseDelayMs: 5,
      maxDelayMs: 20,
    });
    app = createApp({ assets, storage: flaky, log, messenger, clock: () => now });
  });
  after(async () => {
    await connector.stop();
  });

  it('a pass that sends, one whose send fails and one whose storage fails: counts, kinds and error types only', async () => {
    const s = connector.url;
    const turn = (activity: Partial<Activity>) =>
      new LocalAdapter().turn(activity, (ctx) => app.bot.run(ctx));
    // An assessment left unfinished with a note, and a question with the marker in it.
    await turn(personalMessage(who, `Hello, I'm ${NAME}. What is ${MARKER}?`, s));
    const started = await turn(invoke(who, 'assess.start', { level: 'trainee' }, s));
    const card = readCard((started.invokeResponse?.body as { value: Record<string, unknown> }).value);
    const next = card.buttons.find((b) => b.title === 'Next');
    assert.ok(next);
    const stepped = await turn(
      invoke(who, 'assess.step', { ...next.data, leaveUnanswered: true, note: `${MARKER} ${NAME}` }, s),
    );
    const second = readCard((stepped.invokeResponse?.body as { value: Record<string, unknown> }).value);
    const next2 = second.buttons.find((b) => b.title === 'Next');
    assert.ok(next2);

    now = new Date('2026-11-23T10:00:00Z');
    assert.equal((await app.reminderRunner!.run(now)).sent, 1);
    assert.equal(posted(connector).filter((p) => /A reminder/.test(p.text)).length, 1);

    // The next one is refused by the connector (400), then storage fails as a pass reads the person.
    await turn(invoke(who, 'assess.step', { ...next2.data, leaveUnanswered: true }, s));
    now = new Date('2026-11-30T10:00:00Z');
    connector.failNext(1, 400);
    assert.equal((await app.reminderRunner!.run(now)).failed, 1);
    // The managers' index cannot be read: the pass goes on for everyone's own reminders.
    flaky.failNext = true;
    flaky.passFirst = 1;
    assert.equal((await app.reminderRunner!.run(now)).failed, 0);
    // The users and managers indexes are read, then the person's conversation references fail.
    flaky.failNext = true;
    flaky.passFirst = 2;
    assert.equal((await app.reminderRunner!.run(now)).failed, 1);

    const events = lines.map((l) => (JSON.parse(l) as { event?: string }).event);
    for (const e of [
      'reminders.run',
      'reminders.send.failed',
      'reminders.managers.error',
      'reminders.person.error',
    ])
      assert.ok(events.includes(e), `${e} in ${events.join(', ')}`);
    for (const line of lines)
      for (const word of [...FORBIDDEN, 'simulated storage outage', 'self-assessment'])
        assert.ok(!line.includes(word), `"${word}" in a log line: ${line.slice(0, 400)}`);
  });
});
