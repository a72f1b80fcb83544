import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'restify';
import { applyQuestionLogRetention, createAdapter, createApp, type App } from '../../bot/app.js';
import { parseConfig } from '../../bot/config.js';
import { createLogger, type Logger } from '../../bot/logger.js';
import { createServer, listen } from '../../bot/server.js';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import { BOT, channelMessage, invoke, personalMessage } from '../support/activities.js';
import { sharedAssets } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { invokeCard, postActivity, posted } from '../support/http.js';

// Made-up people, address and numbers (an Ofcom drama number, an NHS number that fails its check digit).
const askers = [
  {
    id: '29:privacy-asker-one',
    name: 'Zebedee Quartermaine',
    aadObjectId: '00000000-0000-4000-8000-00000000a5e1',
  },
  {
    id: '29:privacy-asker-two',
    name: 'Philippa Oddsworth',
    aadObjectId: '00000000-0000-4000-8000-00000000a5e2',
  },
];
const owner = {
  id: '29:privacy-owner',
  name: 'Octavia Keepwell',
  aadObjectId: '00000000-0000-4000-8000-00000000a5e3',
};
const MENTIONED = 'Barnaby Figment';
const EMAIL = 'barnaby.figment@example.org';
const PHONE = '07700 900482';
const NHS_NUMBER = '943 476 5910';

/** Every form the values could be stored in: as typed, without separators, and each name on its own. */
const VALUES = [
  MENTIONED,
  ...MENTIONED.split(' '),
  EMAIL,
  'barnaby.figment',
  PHONE,
  PHONE.replace(/\D/g, ''),
  '900482',
  NHS_NUMBER,
  NHS_NUMBER.replace(/\D/g, ''),
  NHS_NUMBER.replace(/ /g, '-'),
];
const WHO = [...askers, owner].flatMap((p) => [p.id, p.aadObjectId, p.name, ...p.name.split(' ')]);

async function storedDocuments(dataDir: string): Promise<{ file: string; key: string; raw: string }[]> {
  const out: { file: string; key: string; raw: string }[] = [];
  for (const e of await readdir(dataDir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const raw = await readFile(file, 'utf8');
    let key = '';
    try {
      key = (JSON.parse(raw) as { key?: string }).key ?? '';
    } catch {
      /* not a document: the lease file, a temp file */
    }
    out.push({ file, key, raw });
  }
  return out;
}

describe('trust: the question log holds no one’s identity', function () {
  this.timeout(60_000);
  const lines: string[] = [];
  let connector: ConnectorStandIn;
  let server: Server;
  let app: App;
  let log: Logger;
  let url = '';
  let dataDir = '';

  before(async () => {
    connector = await new ConnectorStandIn().start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-qlog-privacy-'));
    log = createLogger('trace', { write: (s: string) => void lines.push(s) });
    const config = parseConfig({ DATA_DIR: dataDir, PORT: '0', CONTENT_OWNERS: owner.aadObjectId });
    const assets = await sharedAssets();
    app = createApp({
      assets,
      storage: new LowdbStorage(dataDir),
      log,
      questionLog: { owners: config.CONTENT_OWNERS, days: config.QUESTION_LOG_DAYS },
    });
    server = createServer({ adapter: createAdapter(config, log, assets.cards), bot: app.bot, log });
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/api/messages`;
  });

  after(async () => {
    await new Promise<void>((r) => {
      server.close(() => {
        r();
      });
    });
    await connector.stop();
  });

  it('questions naming people, an email, a phone and an NHS number, from named users: none of it is stored', async () => {
    const s = connector.url;
    const send = async (activity: unknown) => {
      assert.equal((await postActivity(url, activity)).status, 200);
    };
    const [one, two] = askers as [(typeof askers)[0], (typeof askers)[0]];

    // Questions the bot cannot answer, in a personal chat and in a channel with a mention of someone else.
    await send(
      personalMessage(
        one,
        `I'm ${one.name}. Can <at>${MENTIONED}</at> email ${EMAIL} about purple elephants juggling quantum marmalade?`,
        s,
      ),
    );
    await send({
      ...channelMessage(two, `ring @${MENTIONED} on ${PHONE} about the violet giraffe tax`, s),
      entities: [
        { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT },
        {
          type: 'mention',
          text: `<at>${MENTIONED}</at>`,
          mentioned: { id: '29:mentioned', name: MENTIONED },
        },
      ],
    });
    // Answers marked Not helpful (and one Helpful) by both.
    for (const [who, q] of [
      [one, `Patient ${NHS_NUMBER} has two episodes: which is primary? Asked by ${one.name.toLowerCase()}`],
      [
        two,
        `Can ${two.name.split(' ')[0]} check ${NHS_NUMBER.replace(/ /g, '-')} with <at>${MENTIONED}</at>?`,
      ],
      [two, `is ${EMAIL} the right address for CCAP?`],
    ] as const)
      invokeCard(await postActivity(url, invoke(who, 'answer.feedback', { helpful: 'no', q }, s)));
    invokeCard(
      await postActivity(url, invoke(one, 'answer.feedback', { helpful: 'yes', q: `thanks ${PHONE}` }, s)),
    );

    // The owner reads the log: what is kept is there, scrubbed.
    const before = posted(connector).length;
    await send(personalMessage(owner, '/unanswered', s));
    const card = posted(connector).slice(before)[0]!;
    assert.match(card.text, /5 questions in the last 90 days \(2 unanswered, 3 not helpful\)/);

    const docs = await storedDocuments(dataDir);
    const logDocs = docs.filter((d) => d.key.startsWith('questionlog/'));
    const days = logDocs.filter((d) => d.key !== 'questionlog/index');
    assert.equal(days.length, 1, 'one day of questions');
    const kept = (JSON.parse(days[0]!.raw) as { value: { entries: { text: string }[] } }).value.entries.map(
      (e) => e.text,
    );
    assert.deepEqual(kept, [
      // Mentions in a typed message are taken out before the question is routed; in feedback they are scrubbed.
      "I'm [name] [name]. Can email [email] about purple elephants juggling quantum marmalade?",
      'ring [name] on [phone] about the violet giraffe tax',
      'Patient [number] has two episodes: which is primary? Asked by [name] [name]',
      'Can [name] check [number] with [name] ?',
      'is [email] the right address for CCAP?',
    ]);
    // The entries are text, reason and nothing else; the day is the document's.
    const { value } = JSON.parse(days[0]!.raw) as { value: { entries: Record<string, unknown>[] } };
    for (const e of value.entries) assert.deepEqual(Object.keys(e).sort(), ['reason', 'text']);

    // The values appear in no file at all under DATA_DIR.
    for (const d of docs)
      for (const v of VALUES) assert.ok(!d.raw.includes(v), `"${v}" stored in ${d.key || d.file}`);

    // Ids and names appear in no file but the conversation references the bot needs to reply and
    // send digests (keyed by who they are for, and removed by /forget).
    const others = docs.filter((d) => !d.key.startsWith('refs/'));
    assert.ok(others.length >= logDocs.length && logDocs.length === 2);
    for (const d of others)
      for (const w of WHO) {
        assert.ok(!d.raw.includes(w), `"${w}" stored in ${d.key || d.file}`);
        assert.ok(!path.relative(dataDir, d.file).includes(w), `"${w}" in the name of ${d.file}`);
      }
    // The search is not vacuous: the references do hold the ids it looks for.
    const refs = docs
      .filter((d) => d.key.startsWith('refs/'))
      .map((d) => d.raw)
      .join('\n');
    for (const p of [...askers, owner]) assert.ok(refs.includes(p.aadObjectId), p.aadObjectId);

    // Nor does any log line carry the questions' words, the values or the names.
    await applyQuestionLogRetention(app, new Date(), log);
    assert.ok(lines.some((l) => l.includes('questionlog.retention')));
    for (const line of lines)
      for (const w of [
        ...VALUES,
        ...askers.flatMap((p) => [p.name, ...p.name.split(' ')]),
        'elephants',
        'giraffe',
      ])
        assert.ok(!line.includes(w), `"${w}" in a log line: ${line.slice(0, 300)}`);
  });
});
