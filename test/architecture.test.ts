import assert from 'node:assert/strict';
import { ConfigShape } from '../bot/config.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = new URL('../', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe('architecture', () => {
  it('keeps bot/core free of botbuilder, restify, lowdb, templating and file-system code', () => {
    const forbidden =
      /from\s+['"](botbuilder[^'"]*|restify|lowdb[^'"]*|adaptivecards-templating|node:fs[^'"]*|fs|fs\/promises|node:http|proper-lockfile)['"]/;
    const offenders = filesUnder(path.join(root, 'bot/core')).filter((f) =>
      forbidden.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('reads process.env only in the config module', () => {
    const offenders = filesUnder(path.join(root, 'bot')).filter(
      (f) => !f.endsWith('bot/config.ts') && /process\.env/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('writes the time zone only in the calendar, and asks for the time only in the clock', () => {
    const files = filesUnder(path.join(root, 'bot'));
    const zones = files.filter(
      (f) => !f.endsWith('bot/core/calendar.ts') && /['"]Europe\/London['"]/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(zones, [], 'a time zone written outside core/calendar.ts');
    const clocks = files.filter(
      (f) => !f.endsWith('bot/clock.ts') && /new Date\(\s*\)/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(clocks, [], 'new Date() outside bot/clock.ts');
  });

  it('continues and creates conversations only in the proactive messenger', () => {
    const offenders = filesUnder(path.join(root, 'bot')).filter(
      (f) =>
        !f.endsWith('bot/teams/proactive.ts') &&
        /(createConversationAsync|continueConversationAsync)\(/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('leaves reading data files to the composition root: features read nothing from disk', () => {
    const offenders = filesUnder(path.join(root, 'bot/teams/features')).filter((f) =>
      /from\s+['"](node:fs[^'"]*|fs|fs\/promises)['"]/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('keeps features apart: none imports another, or storage; what they share is in the core', () => {
    const featuresDir = path.join(root, 'bot/teams/features');
    const offenders = filesUnder(featuresDir).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)]
        .map((m) => path.resolve(path.dirname(f), m[1]!))
        .filter(
          (target) =>
            (target.startsWith(featuresDir + path.sep) &&
              path.relative(featuresDir, target).split(path.sep)[0] !==
                path.relative(featuresDir, f).split(path.sep)[0]) ||
            target.startsWith(path.join(root, 'bot/storage') + path.sep),
        )
        .map((target) => `${path.relative(root, f)} imports ${path.relative(root, target)}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('gives each feature a folder of its own under bot/teams/features', () => {
    const loose = readdirSync(path.join(root, 'bot/teams/features'), { withFileTypes: true })
      .filter((e) => !e.isDirectory())
      .map((e) => e.name);
    assert.deepEqual(loose, []);
  });

  it('keeps features free of botbuilder: the turn offers what they need', () => {
    const offenders = filesUnder(path.join(root, 'bot/teams/features')).filter((f) =>
      /from\s+['"]botbuilder[^'"]*['"]/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('documents every configuration key in .env.example', () => {
    // The keys come from the schema itself, so a key written on one line or many is never missed.
    const keys = Object.keys(ConfigShape.shape);
    assert.ok(keys.length > 10);
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    for (const k of keys) assert.match(example, new RegExp(`^${k}=`, 'm'), `${k} in .env.example`);
  });

  it('documents every configuration key in the README, and no key that does not exist', () => {
    const keys = Object.keys(ConfigShape.shape);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Running it for real'));
    const documented = [...table.matchAll(/^\| `([A-Za-z_]+)`/gm)].map((m) => m[1]!);
    // The proxy variables are read by undici, not by the config schema.
    const proxies = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];
    assert.deepEqual(documented.filter((k) => !proxies.includes(k)).sort(), [...keys].sort());
  });
});
