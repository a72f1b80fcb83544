import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ChildBot } from './childBot.js';

describe('trust: what a newcomer sees when the bot starts', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-start-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('starts without any Node deprecation warning, and logs JSON lines when not in a terminal', async () => {
    const bot = await ChildBot.start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    await new Promise((r) => setTimeout(r, 300));
    await bot.kill('SIGTERM');
    const out = bot.output.join('');
    assert.doesNotMatch(out, /DeprecationWarning/);
    const lines = out.split('\n').filter((l) => l.trim());
    assert.ok(lines.length > 0);
    for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), l);
  });
});
