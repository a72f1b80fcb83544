import assert from 'node:assert/strict';
import { Cron } from 'croner';
import { parseConfig } from '../../bot/config.js';
import { personalMessage } from '../support/activities.js';
import { invokeCard, posted } from '../support/http.js';
import {
  MONDAY,
  SECRET,
  alice,
  assess,
  bob,
  digestsTo,
  nameManager,
  sam,
  samInvoke,
  send,
  trigger,
  world,
  type World,
} from '../support/managerFlows.js';

const DAY = 24 * 60 * 60 * 1000;

async function shareWithSam(w: World, who: typeof alice, gaps: string[]) {
  await assess(w, who, gaps);
  await nameManager(w, who);
  const ask = posted(w.connector)
    .filter((p) => /would like to share/.test(p.text))
    .at(-1)!;
  invokeCard(
    await send(
      w,
      samInvoke(w, 'manager.respond', ask.cards[0]!.buttons.find((b) => b.title === 'Accept')!.data),
    ),
  );
}

describe('the weekly digest run', function () {
  this.timeout(60_000);
  let now: Date;
  let w: World;
  beforeEach(async () => {
    now = MONDAY;
    w = await world(undefined, undefined, () => now);
  });
  afterEach(async () => {
    await w.bot.stop();
    await w.connector.stop();
  });

  it('a week with nothing new gets a short "nothing changed" card, not silence; a new gap is news', async () => {
    await shareWithSam(w, alice, ['CC3']);
    assert.equal(((await trigger(w, SECRET)).body as { sent: number }).sent, 1);
    assert.match(digestsTo(w)[0]!.text, /New in your digest/);

    now = new Date(MONDAY.getTime() + 7 * DAY);
    assert.equal(((await trigger(w, SECRET)).body as { sent: number }).sent, 1);
    const second = digestsTo(w)[1]!;
    assert.match(second.text, /Nothing changed this week/);
    assert.doesNotMatch(second.text, /Test alice/, 'the short card names nobody');

    now = new Date(MONDAY.getTime() + 14 * DAY);
    await assess(w, alice, ['CC3', 'CC4']);
    await trigger(w, SECRET);
    const third = digestsTo(w)[2]!;
    assert.match(third.text, /New gap: /);
    assert.match(third.text, /CC4 Knowledge/);
  });

  it('a run that crashed after claiming a manager is taken over after the lease, and sends once', async () => {
    await shareWithSam(w, alice, ['CC2']);
    // The state a crashed run leaves: the week claimed, nothing sent.
    await w.bot.app.managers.updateManager(sam.id, (m) =>
      m
        ? {
            ...m,
            digest: {
              week: '2026-W48',
              status: 'claimed',
              claimId: 'crashed-run',
              claimedAt: MONDAY.toISOString(),
            },
          }
        : undefined,
    );
    now = new Date(MONDAY.getTime() + 60 * 1000);
    assert.equal(
      ((await trigger(w, SECRET)).body as { skipped: number }).skipped,
      1,
      'still within the lease',
    );
    assert.equal(digestsTo(w).length, 0);
    now = new Date(MONDAY.getTime() + 11 * 60 * 1000);
    assert.equal(((await trigger(w, SECRET)).body as { sent: number }).sent, 1);
    assert.equal(((await trigger(w, SECRET)).body as { sent: number }).sent, 0);
    assert.equal(digestsTo(w).length, 1);
  });

  it('a manager who removed the bot (403) is recorded and skipped next time', async () => {
    await shareWithSam(w, alice, ['CC2']);
    w.connector.failNext(1, 403);
    const first = (await trigger(w, SECRET)).body as { unreachable: number; sent: number };
    assert.equal(first.unreachable, 1);
    assert.equal(first.sent, 0);
    now = new Date(MONDAY.getTime() + 7 * DAY);
    const next = (await trigger(w, SECRET)).body as { skipped: number; sent: number };
    assert.equal(next.sent, 0);
    assert.equal(next.skipped, 1);
  });

  it('/export gives the manager signed CSV and Excel links with only consenting coders; a tampered or expired link is refused', async () => {
    await shareWithSam(w, alice, ['CC3']);
    await assess(w, bob, ['CC1']);
    const before = posted(w.connector).length;
    await send(
      w,
      personalMessage({ id: sam.id, name: sam.name, aadObjectId: sam.aadObjectId }, '/export', w.url),
    );
    const card = posted(w.connector).slice(before)[0]!.cards[0]!;
    const csvUrl = card.buttons.find((b) => b.title === 'Download CSV')!.url!;
    const xlsxUrl = card.buttons.find((b) => b.title === 'Download Excel')!.url!;
    const raw = Buffer.from(await (await fetch(csvUrl)).arrayBuffer());
    assert.deepEqual(
      [...raw.subarray(0, 3)],
      [0xef, 0xbb, 0xbf],
      'a UTF-8 BOM, so Excel reads accented names',
    );
    const csv = raw.subarray(3).toString('utf8');
    assert.match(csv, /^Coder,Assessment date,/);
    assert.match(csv, /Test alice,/);
    assert.doesNotMatch(csv, /Test bob/);
    assert.equal(csv.split('\r\n').filter((l) => l.startsWith('Test alice')).length, 70);
    const xlsx = await fetch(xlsxUrl);
    assert.equal(xlsx.status, 200);
    assert.match(xlsx.headers.get('content-type') ?? '', /spreadsheetml/);
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');

    const tampered = csvUrl.replace(/token=([^.]+)\./, 'token=$1x.');
    assert.equal((await fetch(tampered)).status, 403);
    now = new Date(MONDAY.getTime() + 16 * 60 * 1000);
    assert.equal((await fetch(csvUrl)).status, 403);
  });
});

describe('the digest schedule', () => {
  it('defaults to Mondays at 08:00 in Europe/London, through the clock change', () => {
    const config = parseConfig({});
    const cron = new Cron(config.DIGEST_CRON, { timezone: config.timeZone, paused: true });
    assert.equal(cron.nextRun(new Date('2026-11-18T12:00:00Z'))?.toISOString(), '2026-11-23T08:00:00.000Z');
    assert.equal(cron.nextRun(new Date('2026-06-10T12:00:00Z'))?.toISOString(), '2026-06-15T07:00:00.000Z');
    cron.stop();
  });

  it('runs in TIME_ZONE, or in DIGEST_TZ (its older name) when that is all that is set', () => {
    assert.equal(parseConfig({}).timeZone, 'Europe/London');
    assert.equal(parseConfig({ DIGEST_TZ: 'Europe/Dublin' }).timeZone, 'Europe/Dublin');
    assert.equal(parseConfig({ TIME_ZONE: 'UTC', DIGEST_TZ: 'Europe/Dublin' }).timeZone, 'UTC');
    assert.throws(
      () => parseConfig({ TIME_ZONE: 'Europe/Atlantis' }),
      /TIME_ZONE: must be an IANA time zone/,
    );
  });
});
