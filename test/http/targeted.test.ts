import assert from 'node:assert/strict';
import { channelMessage, person } from '../support/activities.js';
import { post, startBot, type RunningBot } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';

describe('Teams slash commands (targeted messages) in a channel', () => {
  let bot: RunningBot;
  let connector: ConnectorStandIn;
  beforeEach(async () => {
    connector = await new ConnectorStandIn().start();
    bot = await startBot();
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  const coder = person('slash');

  it('answers a command picked from the "/" menu with a targeted reply, visible only to the asker', async () => {
    const a = channelMessage(coder, '/competency CC2d', connector.url);
    const targeted = {
      ...a,
      text: '/competency CC2d',
      entities: [],
      recipient: { ...a.recipient!, isTargeted: true },
    };
    const res = await post(`${bot.url}/api/messages`, targeted);
    assert.equal(res.status, 200);
    await connector.waitFor(1);
    const sent = connector.received[0]!;
    assert.match(
      sent.path,
      /\/v3\/conversations\/19%3Achannel-1%40thread\.tacv2%3Bmessageid%3D\d+\/activities\?isTargetedActivity=true$/,
    );
    assert.equal((sent.body.recipient as { id: string }).id, coder.id);
    assert.match(JSON.stringify(sent.body.attachments), /CC2 d\. Statistics/);
  });

  it('keeps the @mention path: an ordinary threaded reply', async () => {
    const res = await post(
      `${bot.url}/api/messages`,
      channelMessage(coder, '/competency CC2d', connector.url),
    );
    assert.equal(res.status, 200);
    await connector.waitFor(1);
    const sent = connector.received[0]!;
    assert.doesNotMatch(sent.path, /isTargetedActivity/);
    assert.match(sent.path, /messageid/);
  });

  it('falls back to an ordinary reply when the connector refuses the targeted one', async () => {
    connector.failNext(1, 400);
    const a = channelMessage(coder, 'what is SPC', connector.url);
    const res = await post(`${bot.url}/api/messages`, {
      ...a,
      recipient: { ...a.recipient!, isTargeted: true },
    });
    assert.equal(res.status, 200);
    await connector.waitFor(1);
    assert.doesNotMatch(connector.received[0]!.path, /isTargetedActivity/);
    assert.match(JSON.stringify(connector.received[0]!.body), /Statistical Process Control/);
  });
});
