import assert from 'node:assert/strict';
import { ExportLinks } from '../../bot/exportLinks.js';
import { invoke, person, personalMessage } from '../support/activities.js';
import { startBot, type RunningBot } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { invokeCard, postActivity, posted, type Posted } from '../support/http.js';

const SECRET = 'unanswered-test-secret-0123456789';
const owner = { ...person('0ca7e0e2'), name: 'Olu Contentowner' };
const coder = { ...person('c0de0003'), name: 'Riley Madeupname' };
const other = { ...person('c0de0004'), name: 'Kit Notanowner' };

describe('answer feedback and /unanswered over the Teams protocol', function () {
  this.timeout(30_000);
  let connector: ConnectorStandIn;
  let bot: RunningBot;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-11-16T09:00:00Z');
    connector = await new ConnectorStandIn().start();
    bot = await startBot({
      env: { CONTENT_OWNERS: owner.aadObjectId, EXPORT_LINK_SECRET: SECRET },
      clock: () => now,
    });
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  const send = (activity: unknown) => postActivity(`${bot.url}/api/messages`, activity);
  const say = async (who: typeof coder, text: string): Promise<Posted> => {
    const before = posted(connector).length;
    assert.equal((await send(personalMessage(who, text, connector.url))).status, 200);
    const replies = posted(connector).slice(before);
    assert.equal(replies.length, 1, `one reply to ${text}`);
    return replies[0]!;
  };
  const feedback = (who: typeof coder, helpful: 'yes' | 'no', q: string) =>
    send(invoke(who, 'answer.feedback', { helpful, q }, connector.url));

  /** Presses and questions from three made-up people, then the owner's /unanswered card. */
  async function logSomeQuestions() {
    assert.match(
      invokeCard(await feedback(coder, 'no', 'Who signs off a CCTP portfolio? Ask jo@example.org')).text,
      /Thanks for telling/,
    );
    invokeCard(await feedback(other, 'no', 'who signs off a CCTP portfolio, ask jo@example.org'));
    invokeCard(await feedback(coder, 'yes', 'What does CC2 cover?'));
    assert.match((await say(other, 'purple elephants juggling quantum marmalade')).text, /won't guess/);
    invokeCard(await feedback(owner, 'no', '=cmd|"/c calc"!A1 is this coded?'));
    return (await say(owner, '/unanswered')).cards[0]!;
  }

  it('Not helpful is kept, Helpful is not, and /unanswered lists the owner most frequent first', async () => {
    const card = await logSomeQuestions();
    assert.match(card.text, /4 questions in the last 90 days \(1 unanswered, 3 not helpful\), 3 different/);
    const rows = card.lines.slice(2, 8);
    assert.deepEqual(rows, [
      'Who signs off a CCTP portfolio? Ask [email]',
      '2 times: 2 not helpful · last 16 November 2026',
      // Both asked once on the same day: in alphabetical order.
      '=cmd|"/c calc"!A1 is this coded?',
      'Once: 1 not helpful · last 16 November 2026',
      'purple elephants juggling quantum marmalade',
      'Once: 1 unanswered · last 16 November 2026',
    ]);
    assert.doesNotMatch(card.text, /CC2 cover/, 'a helpful answer is not kept');
    const download = card.buttons.find((b) => b.title === 'Download CSV');
    assert.equal(download?.kind, 'openUrl');
    assert.ok(download.url!.startsWith(`${bot.url}/api/unanswered.csv?token=`));
  });

  it('the CSV link downloads every row, safe to open in a spreadsheet, and is refused once expired', async () => {
    const card = await logSomeQuestions();
    const url = card.buttons.find((b) => b.title === 'Download CSV')!.url!;
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(
      res.headers.get('content-disposition'),
      'attachment; filename="unanswered-questions-2026-11-16.csv"',
    );
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM, so Excel reads UTF-8');
    assert.equal(
      bytes.subarray(3).toString('utf8'),
      [
        'Question,Times,Unanswered,Not helpful,Last seen',
        'Who signs off a CCTP portfolio? Ask [email],2,0,2,2026-11-16',
        `"'=cmd|""/c calc""!A1 is this coded?",1,0,1,2026-11-16`,
        'purple elephants juggling quantum marmalade,1,1,0,2026-11-16',
        '',
      ].join('\r\n'),
    );

    now = new Date(now.getTime() + 16 * 60 * 1000);
    const expired = await fetch(url);
    assert.equal(expired.status, 403);
    assert.match(((await expired.json()) as { error: string }).error, /not valid or has expired/);
  });

  it('a forged, borrowed or missing token gets 403 and no rows', async () => {
    const card = await logSomeQuestions();
    const url = new URL(card.buttons.find((b) => b.title === 'Download CSV')!.url!);
    const token = url.searchParams.get('token')!;
    const [payload, mac] = token.split('.') as [string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({ m: owner.aadObjectId, e: now.getTime() + 3_600_000 }),
    ).toString('base64url');
    const attempts: [string, string | undefined][] = [
      ['no token', undefined],
      ['an empty token', ''],
      ['a changed signature', `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`],
      ['a longer expiry with the old signature', `${forgedPayload}.${mac}`],
      ['an export link for the same person', new ExportLinks(SECRET).sign(owner.aadObjectId, now)],
      [
        'a link signed with another secret',
        ExportLinks.forPurpose('another-secret', 'unanswered').sign(owner.aadObjectId, now),
      ],
      [
        'a good link for someone who is not an owner',
        ExportLinks.forPurpose(SECRET, 'unanswered').sign(coder.aadObjectId, now),
      ],
    ];
    for (const [what, t] of attempts) {
      const u = new URL(`${bot.url}/api/unanswered.csv`);
      if (t !== undefined) u.searchParams.set('token', t);
      const res = await fetch(u);
      const body = await res.text();
      assert.equal(res.status, 403, what);
      assert.doesNotMatch(body, /CCTP|purple/, what);
    }
    // The real link still works, so the refusals above are about the tokens.
    assert.equal((await fetch(url)).status, 200);
  });

  it('/unanswered from someone who is not a content owner is refused, and offers no download', async () => {
    await feedback(coder, 'no', 'a question only owners may read');
    const reply = await say(other, '/unanswered');
    assert.match(reply.text, /for content owners/);
    assert.doesNotMatch(reply.text, /only owners may read/);
    assert.deepEqual(
      reply.cards.flatMap((c) => c.buttons).filter((b) => b.kind === 'openUrl'),
      [],
    );
  });

  it('a feedback press with bad data is an error body, and nothing is kept', async () => {
    const res = await send(
      invoke(coder, 'answer.feedback', { helpful: 'perhaps', q: 'what is SPC?' }, connector.url),
    );
    assert.equal(res.status, 200);
    assert.equal((res.body as { statusCode: number }).statusCode, 400);
    assert.deepEqual(await bot.app.questionLog.list('2026-11-16', 90), []);
  });
});
