/**
 * Reminders over the real HTTP server: the bot on loopback with a fake clock, a Bot Connector stand-in
 * receiving what it sends, and passes triggered as an external scheduler would (POST /api/reminders).
 * People build their state the way they would in Teams: a self-assessment through its cards, answers
 * through the /eligibility form, their time zone from the localTimezone on their activities.
 */
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { channelMessage, invoke, person, personalMessage, type Person } from '../support/activities.js';
import { post, startBot, type RunningBot } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { fitAnswer } from '../support/conversation.js';
import { invokeCard, posted, ratingsFor, type Posted, type ReadCard } from '../support/http.js';

const SECRET = 'reminders-test-secret-0123456789';
const NEW_YORK = 'America/New_York';

/** Everything met for CCAP but what a test gives (the ACC and refresher dates). */
const CCAP_MET = {
  hasAcc: 'yes',
  specialties: 'general-medicine,surgical,trauma-orthopaedic,obstetrics',
  codingStandardsExpertise: 'yes',
  wordPowerPoint: 'yes',
  codersToolbox: 'yes',
  reportWritingCourse: 'yes',
};

interface Summary {
  people: number;
  sent: number;
  due: number;
  outsideHours: number;
  weeklyCap: number;
  nothingDue: number;
  unreachable: number;
  noChat: number;
  failed: number;
}

/** A bot with a clock the test moves, and the connector stand-in it sends to. */
class World {
  now: Date;
  private constructor(
    readonly bot: RunningBot,
    readonly connector: ConnectorStandIn,
    start: Date,
  ) {
    this.now = start;
  }

  static async start(start: string, env: Record<string, string> = {}): Promise<World> {
    const connector = await new ConnectorStandIn().start();
    const made: { world?: World } = {};
    const bot = await startBot({
      env: { DIGEST_TRIGGER_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '1000', ...env },
      clock: () => made.world?.now ?? new Date(start),
    });
    made.world = new World(bot, connector, new Date(start));
    return made.world;
  }

  at(instant: string): this {
    this.now = new Date(instant);
    return this;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.bot.stop(), this.connector.stop()]);
  }

  private async activity(a: Partial<Activity>, zone?: string) {
    const res = await post(`${this.bot.url}/api/messages`, zone ? { ...a, localTimezone: zone } : a);
    assert.ok(res.status < 300, `HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  /** A message in the person's personal chat; the bot's replies to it. */
  async say(who: Person, text: string, zone?: string): Promise<Posted[]> {
    const before = posted(this.connector).length;
    await this.activity(personalMessage(who, text, this.connector.url), zone);
    return posted(this.connector).slice(before);
  }

  async press(who: Person, verb: string, data: Record<string, unknown>, zone?: string): Promise<ReadCard> {
    return invokeCard(await this.activity(invoke(who, verb, data, this.connector.url), zone));
  }

  /** A self-assessment started and its first card answered: left unfinished from now. */
  async startAssessment(who: Person, zone?: string): Promise<void> {
    const first = await this.press(who, 'assess.start', { level: 'trainee' }, zone);
    const next = first.buttons.find((b) => b.title === 'Next')!;
    const second = await this.press(who, 'assess.step', { ...next.data, ...ratingsFor(first, 0) }, zone);
    assert.match(second.text, /Card 2 of/);
  }

  /** A whole trainee self-assessment, finished now. */
  async finishAssessment(who: Person): Promise<void> {
    let card = await this.press(who, 'assess.start', { level: 'trainee' });
    for (let i = 0; i < 40; i++) {
      const ratings = Object.fromEntries(
        card.inputs.filter((x) => x.id.startsWith('rating:')).map((x) => [x.id, fitAnswer(x, 'competent')]),
      );
      const next = card.buttons.find((b) => b.title === 'Next' || b.title === 'Finish')!;
      card = await this.press(who, 'assess.step', { ...next.data, ...ratings });
      if (next.title === 'Finish') return;
    }
    assert.fail('the assessment did not finish');
  }

  /** CCAP checked with /eligibility and saved now. */
  async checkCcap(who: Person, answers: Record<string, string>): Promise<ReadCard> {
    const result = await this.press(who, 'eligibility.check', {
      programme: 'ccap',
      ...CCAP_MET,
      'ccsrcDate:none': 'false',
      ...answers,
    });
    assert.doesNotMatch(result.text, /Please answer|is in the future|not a real date/);
    return result;
  }

  /** POST /api/reminders with this Authorization header (none when undefined). */
  async pass(authorization: string | undefined): Promise<{ status: number; body: unknown }> {
    return post(`${this.bot.url}/api/reminders`, {}, authorization === undefined ? {} : { authorization });
  }

  async passOk(): Promise<Summary> {
    const res = await this.pass(`Bearer ${SECRET}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as Summary;
  }

  /** The reminders the person received: messages in their personal chat that are reminders. */
  remindersTo(who: Person): Posted[] {
    return posted(this.connector).filter(
      (p) => /A reminder \(at most/.test(p.text) && p.conversationId === `a:personal-${who.aadObjectId}`,
    );
  }

  /** Every reminder sent to anyone, wherever it went. */
  allReminders(): Posted[] {
    return posted(this.connector).filter((p) => /A reminder \(at most/.test(p.text));
  }
}

describe('reminders over HTTP, with a fake clock and the connector stand-in', function () {
  this.timeout(60_000);
  let w: World | undefined;
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  it('an unfinished self-assessment: 7 days after its last step, at 09:00 on a working day in London, once', async () => {
    const alice = person('rem-alice');
    w = await World.start('2026-11-17T15:00:00Z');
    await w.startAssessment(alice);

    assert.equal((await w.at('2026-11-23T10:00:00Z').passOk()).sent, 0, 'six days on: not yet');
    const early = await w.at('2026-11-24T08:59:00Z').passOk();
    assert.equal(early.sent, 0);
    assert.equal(early.outsideHours, 1, '08:59 is before working hours');
    assert.equal((await w.at('2026-11-24T09:00:00Z').passOk()).sent, 1);
    assert.equal((await w.at('2026-11-24T10:00:00Z').passOk()).sent, 0, 'the next pass sends nothing');
    assert.equal((await w.at('2026-11-25T10:00:00Z').passOk()).sent, 0, 'nor the next day');

    const [r, ...more] = w.remindersTo(alice);
    assert.equal(more.length, 0);
    assert.ok(r);
    assert.equal(r.cards[0]!.lines[0], 'Your self-assessment is waiting for you');
    assert.match(
      r.text,
      /You started a self-assessment on 17 November 2026 and last answered on 17 November 2026\. Everything you answered is saved/,
    );
    assert.equal(r.body.summary, 'Your self-assessment is waiting for you', 'what the notification shows');
    assert.deepEqual(
      r.cards[0]!.buttons.map((b) => [b.title, b.data.command]),
      [
        ['Carry on', '/assess'],
        ['Reminder settings', '/reminders'],
      ],
    );
    assert.equal(w.allReminders().length, 1, 'to their personal chat and nowhere else');
  });

  it('in the person’s own zone: 09:00 in New York is 14:00 in London; nothing at the weekend', async () => {
    const bob = person('rem-bob');
    const carol = person('rem-carol');
    const lee = person('rem-lee');
    w = await World.start('2026-11-17T15:00:00Z');
    await w.startAssessment(bob, NEW_YORK);
    // A zone this Node.js does not know is not taken: Lee keeps to the bot's (London).
    await w.startAssessment(lee, 'Mars/Olympus_Mons');
    // Carol's last step is on a Saturday, so hers falls due on the next Saturday.
    await w.at('2026-11-21T11:00:00Z').startAssessment(carol);

    assert.equal((await w.at('2026-11-24T09:00:00Z').passOk()).sent, 1, 'Lee, at 09:00 in London');
    assert.equal(w.remindersTo(lee).length, 1);
    assert.equal((await w.at('2026-11-24T13:59:00Z').passOk()).sent, 0, '08:59 in New York');
    assert.equal(w.remindersTo(bob).length, 0);
    assert.equal((await w.at('2026-11-24T14:00:00Z').passOk()).sent, 1);
    assert.equal(w.remindersTo(bob).length, 1);

    for (const t of ['2026-11-28T10:00:00Z', '2026-11-28T15:00:00Z', '2026-11-29T12:00:00Z'])
      assert.equal((await w.at(t).passOk()).sent, 0, `${t}: the weekend`);
    assert.equal(w.remindersTo(carol).length, 0);
    assert.equal((await w.at('2026-11-30T09:00:00Z').passOk()).sent, 1, 'Monday 09:00');
    assert.equal(w.remindersTo(carol).length, 1);
    assert.equal(w.remindersTo(bob).length, 1, 'still one for Bob');
  });

  it('a new time zone is taken from the next message, even within the hour', async () => {
    const mia = person('rem-mia');
    w = await World.start('2026-11-17T15:00:00Z');
    await w.startAssessment(mia, 'Europe/London');
    await w.at('2026-11-17T15:10:00Z').say(mia, 'what is CC2?', NEW_YORK);
    assert.equal((await w.at('2026-11-24T09:00:00Z').passOk()).sent, 0, '04:00 in New York');
    assert.equal((await w.at('2026-11-24T14:00:00Z').passOk()).sent, 1, '09:00 in New York');
    assert.equal(w.remindersTo(mia).length, 1);
  });

  it('a development plan’s agreed item: 3 days before its target date, and the day after if still open', async () => {
    const erin = person('rem-erin');
    w = await World.start('2026-11-23T10:00:00Z');
    // A self-assessment with gaps (Developing throughout), so the plan has activities to offer.
    let card = await w.press(erin, 'assess.start', { level: 'trainee' });
    for (let i = 0; i < 40; i++) {
      const ratings = Object.fromEntries(
        card.inputs.filter((x) => x.id.startsWith('rating:')).map((x) => [x.id, fitAnswer(x, 'developing')]),
      );
      const next = card.buttons.find((b) => b.title === 'Next' || b.title === 'Finish')!;
      card = await w.press(erin, 'assess.step', { ...next.data, ...ratings });
      if (next.title === 'Finish') break;
    }
    const plan = (await w.say(erin, '/plan'))[0]!.cards[0]!;
    const added = await w.press(erin, 'plan.add', {
      coderKey: erin.aadObjectId,
      activityId: plan.inputs.find((x) => x.id === 'activityId')!.value,
      targetDate: '2026-12-10',
      owner: 'coder',
    });
    assert.match(added.text, /By 10 December 2026 · You do it · agreed/);

    assert.equal((await w.at('2026-12-04T10:00:00Z').passOk()).sent, 0, 'not yet');
    assert.equal((await w.at('2026-12-07T10:00:00Z').passOk()).sent, 1, 'three days before');
    assert.equal((await w.at('2026-12-07T11:00:00Z').passOk()).sent, 0, 'once');
    assert.equal((await w.at('2026-12-10T10:00:00Z').passOk()).sent, 0, 'nothing on the day itself');
    assert.equal((await w.at('2026-12-11T10:00:00Z').passOk()).sent, 1, 'the day after, still open');
    const [due, overdue] = w.remindersTo(erin);
    assert.equal(due?.cards[0]!.lines[0], 'Your development plan: an item is due on 10 December 2026');
    assert.match(
      due.text,
      /" is due on 10 December 2026 \(you do it\)\. When it is done, mark it done in \/plan/,
    );
    assert.equal(overdue?.cards[0]!.lines[0], 'Your development plan: an item was due on 10 December 2026');

    // Done: nothing more about it.
    const mine = (await w.say(erin, '/plan'))[0]!.cards[0]!;
    const noteId = mine.inputs.find((x) => x.id.startsWith('note:'))!.id;
    const itemId = noteId.slice('note:'.length);
    await w.press(erin, 'plan.close', {
      coderKey: erin.aadObjectId,
      itemId,
      as: 'done',
      [noteId]: 'Done it.',
    });
    assert.equal((await w.at('2026-12-14T10:00:00Z').passOk()).sent, 0);
    assert.equal(w.remindersTo(erin).length, 2);
  });

  it('a reassessment: REASSESS_MONTHS after the last completed self-assessment, once', async () => {
    const dave = person('rem-dave');
    w = await World.start('2026-02-20T10:00:00Z', { REASSESS_MONTHS: '9' });
    await w.finishAssessment(dave);
    assert.equal((await w.at('2026-11-19T10:00:00Z').passOk()).sent, 0, 'a day early');
    assert.equal((await w.at('2026-11-20T10:00:00Z').passOk()).sent, 1);
    assert.equal((await w.at('2026-11-20T11:00:00Z').passOk()).sent, 0);
    const [r] = w.remindersTo(dave);
    assert.equal(r?.cards[0]!.lines[0], 'Time for a new self-assessment');
    assert.match(r.text, /You completed your last self-assessment on 20 February 2026, 9 months ago\./);
    assert.equal(w.remindersTo(dave).length, 1);
  });

  it('from saved /eligibility answers: the day ACC has been held over three years, in the engine’s words', async () => {
    const erin = person('rem-erin');
    w = await World.start('2026-11-10T10:00:00Z');
    const result = await w.checkCcap(erin, { accDate: '2023-11-24', ccsrcDate: '2026-01-15' });
    assert.match(result.text, /You can apply from 25 November 2026/);

    assert.equal(
      (await w.at('2026-11-24T10:00:00Z').passOk()).sent,
      0,
      'exactly three years is not over three',
    );
    assert.equal((await w.at('2026-11-25T10:00:00Z').passOk()).sent, 1);
    assert.equal((await w.at('2026-11-26T10:00:00Z').passOk()).sent, 0);
    const [r, ...more] = w.remindersTo(erin);
    assert.equal(more.length, 0);
    assert.equal(r?.cards[0]!.lines[0], 'CCAP: you now meet the time rule');
    assert.match(
      r.text,
      /You gained ACC status on 24 November 2023 and have held it for over three years: you meet this from today\. On your saved answers you can now apply for CCAP\./,
    );
    assert.deepEqual(
      r.cards[0].buttons.map((b) => b.data.command),
      ['/eligibility', '/reminders'],
    );
  });

  it('the refresher course: 90 days before it lapses, then 30 (the Monday after, when that is a Sunday)', async () => {
    const frank = person('rem-frank');
    w = await World.start('2026-11-10T10:00:00Z');
    // Counts up to 22 February 2027; lapses on Tuesday 23 February.
    await w.checkCcap(frank, { accDate: '2019-01-10', ccsrcDate: '2024-02-22' });

    assert.equal((await w.at('2026-11-24T10:00:00Z').passOk()).sent, 0);
    assert.equal((await w.at('2026-11-25T10:00:00Z').passOk()).sent, 1, '90 days before');
    assert.equal((await w.at('2026-11-25T11:00:00Z').passOk()).sent, 0);
    assert.equal((await w.at('2027-01-24T10:00:00Z').passOk()).sent, 0, '30 days before is a Sunday');
    assert.equal((await w.at('2027-01-25T09:00:00Z').passOk()).sent, 1, 'the Monday');
    assert.equal((await w.at('2027-01-26T09:00:00Z').passOk()).sent, 0);

    const [ninety, thirty, ...more] = w.remindersTo(frank);
    assert.equal(more.length, 0);
    assert.equal(ninety?.cards[0]!.lines[0], 'Your refresher course lapses in 90 days');
    assert.match(
      ninety.text,
      /You attended a Clinical Coding Standards Refresher Course \(CCSRC\) on 22 February 2024\. It counts as within the last three years up to and including 22 February 2027\. For CCAP you need one within that time, so book your next course before 23 February 2027\./,
    );
    assert.equal(thirty?.cards[0]!.lines[0], 'Your refresher course lapses in 29 days');
  });

  it('at most REMINDERS_PER_WEEK in a person’s week, one a day; the rest wait for the next week', async () => {
    const gina = person('rem-gina');
    w = await World.start('2026-11-16T10:00:00Z', { REMINDERS_PER_WEEK: '2' });
    // Three due in the week of 23 November: the unfinished assessment (Monday), ACC over three years
    // (Tuesday), the refresher's 90 days (Wednesday).
    await w.startAssessment(gina);
    await w.checkCcap(gina, { accDate: '2023-11-23', ccsrcDate: '2024-02-22' });

    const week: number[] = [];
    for (const day of ['23', '24', '25', '26', '27'])
      for (let hour = 9; hour < 17; hour++) {
        const s = await w.at(`2026-11-${day}T${String(hour).padStart(2, '0')}:00:00Z`).passOk();
        week.push(s.sent);
      }
    assert.equal(
      week.reduce((a, b) => a + b, 0),
      2,
    );
    assert.deepEqual(
      w.remindersTo(gina).map((p) => p.cards[0]!.lines[0]),
      ['Your self-assessment is waiting for you', 'CCAP: you now meet the time rule'],
    );
    assert.equal((await w.at('2026-11-30T09:00:00Z').passOk()).sent, 1, 'the next week');
    assert.equal(w.remindersTo(gina).at(-1)?.cards[0]!.lines[0], 'Your refresher course lapses in 85 days');
  });

  it('/reminders lists what is coming with dates; a kind turned off is not sent, and turned on again it is', async () => {
    const hal = person('rem-hal');
    w = await World.start('2026-11-17T15:00:00Z');
    await w.startAssessment(hal);
    await w.checkCcap(hal, { accDate: '2019-01-10', ccsrcDate: '2024-02-22' });

    const [listed] = await w.at('2026-11-18T10:00:00Z').say(hal, '/reminders');
    const card = listed!.cards[0]!;
    assert.equal(listed!.conversationId, `a:personal-${hal.aadObjectId}`);
    assert.match(card.text, /Unfinished self-assessment\nOn\n/);
    assert.match(card.text, /- 24 November 2026: your self-assessment, last answered on 17 November 2026/);
    assert.match(
      card.text,
      /- 25 November 2026: refresher course: 90 days before it lapses on 23 February 2027/,
    );
    assert.match(
      card.text,
      /- 25 January 2027: refresher course: 30 days before it lapses on 23 February 2027/,
      'due on a Sunday, it is listed for the Monday it can arrive',
    );
    assert.match(card.text, /Time to reassess\nOn\n[^\n]*\nNothing coming up\./);

    const off = card.buttons.find((b) => b.title === 'Turn off: Unfinished self-assessment')!;
    const after = await w.press(hal, off.verb!, off.data);
    assert.match(after.text, /Unfinished self-assessment: off\. None of these will be sent/);
    assert.match(after.text, /Unfinished self-assessment\nOff\n/);

    assert.equal((await w.at('2026-11-24T10:00:00Z').passOk()).sent, 0, 'switched off');
    assert.equal((await w.at('2026-11-25T10:00:00Z').passOk()).sent, 1, 'the refresher is still on');
    assert.deepEqual(
      w.remindersTo(hal).map((p) => p.cards[0]!.lines[0]),
      ['Your refresher course lapses in 90 days'],
    );

    const on = after.buttons.find((b) => b.title === 'Turn on: Unfinished self-assessment')!;
    await w.at('2026-11-26T10:00:00Z').press(hal, on.verb!, on.data);
    assert.equal(
      (await w.at('2026-11-26T11:00:00Z').passOk()).sent,
      1,
      'on again, and still within its days',
    );
    assert.equal(w.remindersTo(hal).at(-1)?.cards[0]!.lines[0], 'Your self-assessment is waiting for you');
  });

  it('/reminders in a channel continues in the personal chat; the channel sees only that it did', async () => {
    const ida = person('rem-ida');
    w = await World.start('2026-11-17T15:00:00Z');
    const before = posted(w.connector).length;
    await post(`${w.bot.url}/api/messages`, channelMessage(ida, '/reminders', w.connector.url));
    const replies = posted(w.connector).slice(before);
    const inChannel = replies.filter((p) => p.conversationId.startsWith('19:'));
    const inPrivate = replies.filter((p) => !p.conversationId.startsWith('19:'));
    assert.equal(inChannel.length, 1);
    assert.match(inChannel[0]!.text, /sent you a private message to continue \/reminders/);
    assert.doesNotMatch(inChannel[0]!.text, /Unfinished self-assessment/);
    assert.equal(inPrivate.length, 1);
    assert.match(inPrivate[0]!.text, /Your reminders/);
  });

  it('someone the connector answers 403 for is dropped from every schedule until they write again', async () => {
    const jo = person('rem-jo');
    w = await World.start('2026-11-17T15:00:00Z');
    await w.startAssessment(jo);
    await w.checkCcap(jo, { accDate: '2019-01-10', ccsrcDate: '2024-02-22' });

    w.connector.failNext(1, 403);
    const gone = await w.at('2026-11-24T10:00:00Z').passOk();
    assert.equal(gone.unreachable, 1);
    assert.equal(gone.sent, 0);
    // The refresher falls due the next day: not sent, nor the assessment, nor anything else.
    for (const t of ['2026-11-25T10:00:00Z', '2026-11-26T10:00:00Z', '2026-11-30T10:00:00Z']) {
      const s = await w.at(t).passOk();
      assert.equal(s.sent, 0, t);
      assert.equal(s.unreachable, 1, t);
    }
    assert.equal(w.remindersTo(jo).length, 0);

    await w.at('2026-12-01T10:00:00Z').say(jo, 'hello again');
    assert.equal((await w.at('2026-12-01T11:00:00Z').passOk()).sent, 1);
    assert.equal(w.remindersTo(jo).length, 1);
  });

  it('POST /api/reminders without the secret is 401 and sends nothing', async () => {
    const kim = person('rem-kim');
    w = await World.start('2026-11-17T15:00:00Z');
    await w.startAssessment(kim);
    w.at('2026-11-24T10:00:00Z');
    for (const header of [
      undefined,
      '',
      'Bearer ',
      'Bearer wrong-secret',
      `Bearer ${SECRET}x`,
      `Basic ${SECRET}`,
    ])
      assert.equal((await w.pass(header)).status, 401, `Authorization: ${JSON.stringify(header)}`);
    assert.equal(w.allReminders().length, 0);
    assert.equal((await w.passOk()).sent, 1, 'with the secret it runs');
  });
});
