/** A coder, their line manager and the weekly digest, driven over HTTP as Teams would. */
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { invoke, person, personalMessage, type Person } from './activities.js';
import { post, startBot, type RunningBot } from './botServer.js';
import { ConnectorStandIn } from './connectorStandIn.js';
import { fitAnswer } from './conversation.js';
import { invokeCard, posted, type ReadCard } from './http.js';

export const SECRET = 'digest-test-secret-0123456789';
export const MONDAY = new Date('2026-11-23T08:00:00Z');

export const alice = person('alice');
export const bob = person('bob');
export const carol = person('carol');
export const dave = person('dave');
export const sam = {
  id: '29:sam-manager',
  name: 'Sam Manager',
  aadObjectId: '00000000-0000-4000-8000-00000000005a',
};

export interface World {
  bot: RunningBot;
  connector: ConnectorStandIn;
  url: string;
}

export async function world(
  dataDir?: string,
  connector?: ConnectorStandIn,
  clock: () => Date = () => MONDAY,
): Promise<World> {
  const c = connector ?? (await new ConnectorStandIn().start());
  const bot = await startBot({
    dataDir,
    // Whole assessments (33 turns each) at a fixed clock would otherwise meet the per-minute limit.
    env: {
      DIGEST_TRIGGER_SECRET: SECRET,
      EXPORT_LINK_SECRET: 'export-secret',
      RATE_LIMIT_PER_MINUTE: '1000',
    },
    clock,
  });
  return { bot, connector: c, url: c.url };
}

export async function send(w: World, a: Partial<Activity>) {
  const res = await post(`${w.bot.url}/api/messages`, a);
  assert.ok(res.status < 300, `HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

/** A whole trainee assessment; statements in `gapAreas` are rated Developing, the rest Competent. */
export async function assess(w: World, who: Person, gapAreas: string[]): Promise<void> {
  let card = invokeCard(await send(w, invoke(who, 'assess.start', { level: 'trainee' }, w.url)));
  for (let i = 0; i < 40; i++) {
    const area = /^(CC\d)/.exec(card.lines[0] ?? '')?.[1] ?? '';
    const ratings: Record<string, string> = {};
    for (const input of card.inputs.filter((x) => x.id.startsWith('rating:'))) {
      ratings[input.id] = fitAnswer(input, gapAreas.includes(area) ? 'developing' : 'competent');
    }
    const next = card.buttons.find((b) => b.title === 'Next' || b.title === 'Finish')!;
    card = invokeCard(await send(w, invoke(who, 'assess.step', { ...next.data, ...ratings }, w.url)));
    if (next.title === 'Finish') return;
  }
  assert.fail('assessment did not finish');
}

export async function nameManager(w: World, who: Person): Promise<ReadCard> {
  const before = posted(w.connector).length;
  await send(w, {
    ...personalMessage(who, `/manager <at>${sam.name}</at>`, w.url),
    entities: [{ type: 'mention', text: `<at>${sam.name}</at>`, mentioned: { id: sam.id, name: sam.name } }],
  });
  const confirm = posted(w.connector).slice(before)[0]!.cards[0]!;
  assert.match(confirm.text, /Share your results with Sam Manager\?/);
  assert.match(confirm.text, /your gaps/);
  assert.match(confirm.text, /your ratings and evidence notes, which they can agree with/);
  assert.match(confirm.text, /Never shared: your other eligibility answers/);
  const yes = confirm.buttons.find((b) => b.title === 'Yes, share with Sam Manager')!;
  return invokeCard(await send(w, invoke(who, 'manager.confirm', yes.data, w.url)));
}

/** Sam's personal chat with the bot, as created when the bot first asked them. */
export const samChat = {
  id: 'a:created-sam',
  conversationType: 'personal',
  tenantId: 'tenant-1',
} as Activity['conversation'];

/** Alice names Sam, and Sam accepts from the request card the bot sent them. */
export async function shareAliceWithSam(w: World): Promise<void> {
  await nameManager(w, alice);
  const ask = posted(w.connector).find((p) => /would like to share their results with you/.test(p.text));
  const accept = ask?.cards[0]?.buttons.find((b) => b.title === 'Accept');
  assert.ok(accept);
  invokeCard(await send(w, samInvoke(w, 'manager.respond', accept.data)));
}

/** Sam presses an Action.Submit button in their personal chat: a message carrying its data. */
export function samSubmit(w: World, data: unknown): Partial<Activity> {
  return { ...personalMessage(sam, '', w.url), text: undefined, value: data, conversation: samChat };
}

export function samInvoke(w: World, verb: string, data: Record<string, unknown>): Partial<Activity> {
  return {
    ...invoke({ id: sam.id, name: sam.name, aadObjectId: sam.aadObjectId }, verb, data, w.url),
    conversation: {
      id: 'a:created-sam',
      conversationType: 'personal',
      tenantId: 'tenant-1',
    } as Activity['conversation'],
  };
}

export function digestsTo(w: World): ReturnType<typeof posted> {
  return posted(w.connector).filter((p) => /week of \d+ \w+|Nothing changed this week/.test(p.text));
}

export async function trigger(w: World, secret?: string) {
  return post(
    `${w.bot.url}/api/digest`,
    {},
    secret === undefined ? {} : { authorization: `Bearer ${secret}` },
  );
}

/** A button pressed as Teams sends it: every input of the card as it stands, the button's data, and what the person changed. */
export function pressed(card: ReadCard, title: string, inputs: Record<string, string> = {}) {
  const b = card.buttons.find((x) => x.title === title);
  assert.ok(b, `button ${title} (have ${card.buttons.map((x) => x.title).join(', ')})`);
  const values = Object.fromEntries(card.inputs.map((i) => [i.id, i.value ?? '']));
  return { verb: b.verb ?? '', data: { ...values, ...b.data, ...inputs } };
}
