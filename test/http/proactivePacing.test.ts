import assert from 'node:assert/strict';
import { createAdapter } from '../../bot/app.js';
import { parseConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { ProactiveMessenger } from '../../bot/teams/proactive.js';
import { noticeView } from '../../bot/teams/views.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { sharedAssets } from '../support/botServer.js';

/** The most requests that arrived within any `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('proactive sends keep to Teams’ rate limit per tenant', function () {
  this.timeout(30_000);

  it('25 digests to one tenant at 10 requests/s arrive at most 10 in any second; another tenant is not held up', async () => {
    const connector = await new ConnectorStandIn().start();
    try {
      const log = createLogger('silent');
      const assets = await sharedAssets();
      const adapter = createAdapter(parseConfig({ PORT: '0' }), log, assets.cards);
      const messenger = new ProactiveMessenger(
        adapter,
        '',
        log,
        { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
        10,
      );
      const card = assets.cards.render('notice', noticeView('Your weekly digest'));
      const address = (tenantId: string, i: number) => ({
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: {
            id: `a:${tenantId}-${i}`,
            tenantId,
            conversationType: 'personal',
            isGroup: false,
            name: '',
          },
          user: { id: `29:${tenantId}-${i}`, name: '' },
          bot: { id: '28:bot', name: 'Coding Auditor' },
        },
      });
      const started = Date.now();
      const outcomes = await Promise.all([
        ...Array.from({ length: 25 }, (_, i) => messenger.sendCard(address('tenant-a', i), card)),
        ...Array.from({ length: 5 }, (_, i) => messenger.sendCard(address('tenant-b', i), card)),
      ]);
      assert.ok(
        outcomes.every((o) => o.ok),
        'every digest delivered',
      );

      const arrivals = (tenant: string) =>
        connector.received
          .filter((r) => decodeURIComponent(r.path).includes(`a:${tenant}-`))
          .map((r) => r.at);
      const a = arrivals('tenant-a');
      const b = arrivals('tenant-b');
      assert.equal(a.length, 25);
      assert.equal(b.length, 5);
      // A few ms of loopback jitter aside, no second holds more than the limit.
      assert.ok(busiestWindow(a, 950) <= 10, `busiest second for tenant A: ${busiestWindow(a, 950)}`);
      // 25 requests at 10 a second cannot all be sent within two seconds of the first.
      assert.ok(Math.max(...a) - started >= 1900, `tenant A finished after ${Math.max(...a) - started} ms`);
      assert.ok(Math.max(...b) - started < 900, `tenant B finished after ${Math.max(...b) - started} ms`);
    } finally {
      await connector.stop();
    }
  });
});
