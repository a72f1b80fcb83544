import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { BOT, invoke, personalMessage, type Person } from '../support/activities.js';
import { invokeCard, posted } from '../support/http.js';
import { alice, nameManager, sam, samInvoke, send, world, type World } from '../support/managerFlows.js';

/** A manager who shares no team with the coder or the bot; the app is installed for her personally. */
const dana: Person = {
  id: '29:dana-manager',
  name: 'Dana Whitfield',
  aadObjectId: '3f2a9c4e-7b1d-4e8a-9c0f-5d6e7f8a9b0c',
};

function fromDana(w: World, verb: string, data: Record<string, unknown>): Partial<Activity> {
  return {
    ...invoke(dana, verb, data, w.url),
    conversation: {
      id: 'a:created-dana',
      conversationType: 'personal',
      tenantId: 'tenant-1',
    } as Activity['conversation'],
  };
}

describe('naming a line manager from personal chat, over the Teams protocol', function () {
  this.timeout(30_000);
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.bot.stop();
    await w.connector.stop();
  });

  it('finds a person picked by Entra object id in the tenant, with no team shared, and asks them in their own words', async () => {
    w.connector.installedFor(dana);
    const confirm = invokeCard(
      await send(w, invoke(alice, 'manager.pick', { managerAadId: dana.aadObjectId }, w.url)),
    );
    assert.match(confirm.text, /Share your results with Dana Whitfield\?/);
    const opened = w.connector.received.find((r) => r.path.endsWith('/v3/conversations'));
    assert.deepEqual(
      (opened?.body.members as { id: string }[]).map((m) => m.id),
      [dana.aadObjectId],
      'the chat was opened with the object id the picker gave',
    );
    assert.equal(posted(w.connector).length, 0, 'finding her sends her nothing');

    const yes = confirm.buttons.find((b) => b.title === 'Yes, share with Dana Whitfield');
    assert.ok(yes);
    const status = invokeCard(await send(w, invoke(alice, 'manager.confirm', yes.data, w.url)));
    assert.match(status.text, /Waiting for Dana Whitfield to accept/);

    const request = posted(w.connector).find((p) =>
      /would like to share their results with you/.test(p.text),
    );
    assert.ok(request, 'Dana was asked');
    assert.match(request.text, /Test alice named you as their line manager/);
    assert.match(request.text, /their gaps: the statements they rated Not yet or Developing/);
    assert.match(request.text, /Never shared with you: their other eligibility answers/);
    assert.doesNotMatch(request.text, /\byour gaps\b|\byou rated\b|your evidence notes/);

    const accept = request.cards[0]?.buttons.find((b) => b.title === 'Accept');
    assert.ok(accept);
    const thanks = invokeCard(await send(w, fromDana(w, 'manager.respond', accept.data)));
    assert.match(thanks.text, /Test alice's results will be in your weekly digest/);
    const after = invokeCard(await send(w, invoke(alice, 'manager.revoke', {}, w.url)));
    assert.match(after.text, /Dana Whitfield no longer sees your results/);
  });

  it('says plainly what to ask for when the app is not installed for the person picked, and stores nothing', async () => {
    const picker = invokeCard(
      await send(w, invoke(alice, 'manager.pick', { managerAadId: dana.aadObjectId }, w.url)),
    );
    assert.match(picker.text, /Who is your line manager\?/);
    assert.match(
      picker.text,
      /does not have Coding Auditor in Teams yet[\s\S]*add Coding Auditor from Apps in Teams[\s\S]*Teams administrator/,
    );
    assert.equal(posted(w.connector).length, 0);
    const before = posted(w.connector).length;
    await send(w, personalMessage(alice, '/manager', w.url));
    const status = posted(w.connector).slice(before)[0];
    assert.match(status?.text ?? '', /Who is your line manager\?/, 'no link was made');
  });

  it('does not let a coder pick themselves', async () => {
    const picker = invokeCard(
      await send(w, invoke(alice, 'manager.pick', { managerAadId: alice.aadObjectId }, w.url)),
    );
    assert.match(picker.text, /You cannot name yourself as your line manager/);
    assert.equal(w.connector.received.length, 0, 'nobody was looked up');
  });

  it('shows a manager the requests waiting for them in /help, /team and on install, with Accept and Decline', async () => {
    await nameManager(w, alice);
    const samSays = async (text: string) => {
      const before = posted(w.connector).length;
      await send(w, {
        ...personalMessage(sam, text, w.url),
        conversation: {
          id: 'a:created-sam',
          conversationType: 'personal',
          tenantId: 'tenant-1',
        } as Activity['conversation'],
      });
      return posted(w.connector).slice(before);
    };
    const waiting = /Test alice would like to share their results with you/;

    const help = await samSays('/help');
    assert.equal(help.length, 2, 'the help card, then the request');
    assert.match(help[1]?.text ?? '', waiting);

    const team = await samSays('/team');
    assert.equal(team.length, 1, 'the request, and no "no coders share with you" beside it');
    assert.match(team[0]?.text ?? '', waiting);
    assert.deepEqual(
      team[0]?.cards[0]?.buttons.map((b) => b.title),
      ['Accept', 'Decline'],
    );

    const before = posted(w.connector).length;
    await send(w, {
      type: 'installationUpdate',
      action: 'add',
      id: 'install-sam',
      channelId: 'msteams',
      serviceUrl: w.url,
      from: sam,
      recipient: BOT,
      conversation: {
        id: 'a:installed-sam',
        conversationType: 'personal',
        tenantId: 'tenant-1',
      } as Activity['conversation'],
      channelData: { tenant: { id: 'tenant-1' } },
    });
    const install = posted(w.connector).slice(before);
    assert.match(install[0]?.text ?? '', /Welcome to Coding Auditor[\s\S]*Line managers:/);
    assert.match(install[1]?.text ?? '', waiting);

    const accept = team[0].cards[0].buttons.find((b) => b.title === 'Accept');
    assert.ok(accept);
    invokeCard(await send(w, samInvoke(w, 'manager.respond', accept.data)));
    const later = await samSays('/help');
    assert.equal(later.length, 1, 'nothing waits once answered');
    const overview = await samSays('/team');
    assert.match(overview[0]?.text ?? '', /Team overview/);
  });
});
