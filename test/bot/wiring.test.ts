import assert from 'node:assert/strict';
import { COMMANDS } from '../../bot/core/commands.js';
import { WiringError, wireFeatures } from '../../bot/teams/bot.js';
import { NoData, verb, type AnyFeature, type CommandHandler } from '../../bot/teams/feature.js';
import { invoke, person } from '../support/activities.js';
import { testBot } from '../support/conversation.js';

const handler: CommandHandler = async () => {};
const every = (except: string[] = []): AnyFeature => ({
  commands: Object.fromEntries(
    COMMANDS.filter((c) => !except.includes(c.name)).map((c) => [c.name, handler]),
  ),
});

describe('wiring commands and verbs', () => {
  it('the bot handles every command of the table, each once, and nothing else', async () => {
    const { app } = await testBot();
    assert.deepEqual(app.bot.handledCommands().sort(), COMMANDS.map((c) => c.name).sort());
  });

  it('answers a verb’s data that does not parse with the verb’s own error, before its handler runs', async () => {
    const { app, send } = await testBot();
    assert.ok(app.bot.handledVerbs().length > 20);
    const { result } = await send(invoke(person('wiring'), 'answer.feedback', { helpful: 'maybe' }));
    const body = result.invokeResponse?.body as { type?: string; value?: { message?: string } };
    assert.equal(body.type, 'application/vnd.microsoft.error');
    assert.match(body.value?.message ?? '', /feedback button is out of date/);
  });

  it('refuses to start with a command that has no handler, two handlers, or is not in the table', () => {
    assert.doesNotThrow(() => wireFeatures([every()]));
    assert.throws(
      () => wireFeatures([every(['gaps'])]),
      (e: unknown) => e instanceof WiringError && e.problems.join() === '/gaps has no handler',
    );
    assert.throws(
      () => wireFeatures([every(), { commands: { gaps: handler } }]),
      (e: unknown) => e instanceof WiringError && e.problems.join() === '/gaps has more than one handler',
    );
    assert.throws(
      () => wireFeatures([every(), { commands: { nope: handler } as AnyFeature['commands'] }]),
      (e: unknown) =>
        e instanceof WiringError &&
        e.problems.join() === '/nope has a handler but is not in the command table',
    );
  });

  it('refuses to start with a verb handled twice', () => {
    const v: AnyFeature = { verbs: { 'x.y': verb(NoData, () => Promise.resolve({ status: 200 })) } };
    assert.throws(
      () => wireFeatures([every(), v, v]),
      (e: unknown) =>
        e instanceof WiringError && e.problems.join() === 'the verb x.y has more than one handler',
    );
  });
});
