import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import pngjs from 'pngjs';
import { COMMANDS, type CommandSpec, type Scope } from '../../bot/core/commands.js';
import {
  buildManifest,
  ManifestError,
  MAX_COMMAND_DESCRIPTION,
  MAX_COMMAND_TITLE,
  MAX_COMMANDS_PER_LIST,
  validateManifest,
  type TeamsManifest,
} from '../../bot/teams/manifest.js';

const { PNG } = pngjs;
const run = promisify(execFile);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEST_APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const SCOPES: Scope[] = ['personal', 'team', 'groupChat'];

function build(extra: Partial<Parameters<typeof buildManifest>[0]> = {}): TeamsManifest {
  return buildManifest({ appId: TEST_APP_ID, botName: 'Coding Auditor', ...extra });
}

function bot(m: TeamsManifest) {
  const b = m.bots[0];
  assert.ok(b, 'the manifest has a bot');
  return b;
}

const spec = (name: string, help: string, menu: Scope[]): CommandSpec => ({
  name,
  help,
  menu,
  pattern: new RegExp(`^${name}$`),
  usage: `/${name}`,
  personal: false,
});

describe('Teams app manifest', () => {
  describe('generated from the command table', () => {
    it('validates against the official v1.30 schema, with and without a public URL', () => {
      for (const publicUrl of [undefined, 'https://coding-auditor.example.nhs.uk/']) {
        const m = build({ publicUrl, version: '1.2.3' });
        const { valid, errors } = validateManifest(m);
        assert.deepEqual(errors, [], `publicUrl ${publicUrl}`);
        assert.equal(valid, true);
      }
    });

    it('is the bot the brief describes', () => {
      const m = build({ publicUrl: 'https://coding-auditor.example.nhs.uk/base/' });
      assert.equal(
        m.$schema,
        'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json',
      );
      assert.equal(m.manifestVersion, '1.30');
      assert.equal(m.id, TEST_APP_ID);
      const b = bot(m);
      assert.equal(b.botId, TEST_APP_ID);
      assert.deepEqual(b.scopes, SCOPES);
      assert.equal(b.supportsFiles, false);
      assert.equal(b.isNotificationOnly, false);
      assert.equal(b.supportsTargetedMessages, true);
      assert.equal(m.name.short, 'Coding Auditor');
      assert.equal(m.accentColor, '#005EB8');
      assert.deepEqual(m.icons, { color: 'color.png', outline: 'outline.png' });
      assert.deepEqual(m.validDomains, ['coding-auditor.example.nhs.uk']);
      assert.equal(m.developer.privacyUrl, 'https://coding-auditor.example.nhs.uk/base/privacy');
      assert.ok(m.description.short.length <= 80);
      for (const words of [
        /framework/i,
        /self-assessment/i,
        /gaps/i,
        /line-manager activities/i,
        /eligibility/i,
        /digest/i,
      ]) {
        assert.match(m.description.full, words);
      }
      assert.equal(build().validDomains, undefined, 'no public URL, no validDomains');
    });

    it('declares the three personal tabs beside the chat, and the API their sign-in token is for', () => {
      const m = build({ publicUrl: 'https://coding-auditor.example.nhs.uk/' });
      assert.deepEqual(validateManifest(m).errors, []);
      assert.deepEqual(
        m.staticTabs?.map((t) => [t.entityId, t.name, t.contentUrl]),
        [
          ['conversations', undefined, undefined],
          [
            'progress',
            'My progress',
            'https://coding-auditor.example.nhs.uk/tabs/progress.html?theme={theme}',
          ],
          ['team', 'My team', 'https://coding-auditor.example.nhs.uk/tabs/team.html?theme={theme}'],
          [
            'organisation',
            'Organisation',
            'https://coding-auditor.example.nhs.uk/tabs/organisation.html?theme={theme}',
          ],
        ],
      );
      assert.deepEqual(
        m.staticTabs.map((t) => t.scopes),
        [['personal'], ['personal'], ['personal'], ['personal']],
      );
      assert.deepEqual(m.webApplicationInfo, {
        id: TEST_APP_ID,
        resource: `api://coding-auditor.example.nhs.uk/${TEST_APP_ID}`,
      });
      assert.deepEqual(m.validDomains, ['coding-auditor.example.nhs.uk']);
      const none = build();
      assert.equal(none.staticTabs, undefined, 'no public URL, nowhere to serve the tabs from');
      assert.equal(none.webApplicationInfo, undefined);
    });

    it("each scope's command list is exactly the table's commands for that scope, in table order", () => {
      const lists = bot(build()).commandLists;
      const expectedScopes = SCOPES.filter((s) => COMMANDS.some((c) => c.menu.includes(s)));
      assert.deepEqual(
        lists.map((l) => l.scopes),
        expectedScopes.map((s) => [s]),
      );
      for (const list of lists) {
        const scope = list.scopes[0]!;
        assert.deepEqual(
          list.commands,
          COMMANDS.filter((c) => c.menu.includes(scope)).map((c) => ({ title: c.name, description: c.help })),
          scope,
        );
        assert.deepEqual(list.triggers, ['mention', 'slash']);
      }
      const offered = new Set(lists.flatMap((l) => l.commands.map((c) => c.title)));
      for (const c of COMMANDS) assert.equal(offered.has(c.name), c.menu.length > 0, c.name);
    });

    it("keeps Teams' menu limits", () => {
      for (const list of bot(build()).commandLists) {
        assert.ok(
          list.commands.length <= MAX_COMMANDS_PER_LIST,
          `${list.scopes[0]}: ${list.commands.length}`,
        );
        for (const c of list.commands) {
          assert.ok(c.title.length > 0 && c.title.length <= MAX_COMMAND_TITLE, c.title);
          assert.ok(c.description.length > 0 && c.description.length <= MAX_COMMAND_DESCRIPTION, c.title);
        }
      }
    });
  });

  describe('limits and validation', () => {
    it('throws a clear error for a menu with more than 10 commands', () => {
      const many = Array.from({ length: 11 }, (_, i) => spec(`cmd${i}`, `Command ${i}`, ['team']));
      assert.throws(
        () => build({ commands: many }),
        (e: unknown) => e instanceof ManifestError && /team command menu has 11 commands/.test(e.message),
      );
      assert.equal(bot(build({ commands: many.slice(0, 10) })).commandLists[0]!.commands.length, 10);
    });

    it('throws for a title over 32 or a description over 128 characters', () => {
      assert.throws(
        () => build({ commands: [spec('x'.repeat(33), 'ok', ['personal'])] }),
        /title is 33 characters/,
      );
      assert.throws(
        () => build({ commands: [spec('ok', 'y'.repeat(129), ['personal'])] }),
        /description is 129/,
      );
      assert.doesNotThrow(() => build({ commands: [spec('x'.repeat(32), 'y'.repeat(128), ['personal'])] }));
    });

    it('the schema validator rejects what Teams would reject', () => {
      const m = build({ commands: [spec('help', 'What this bot can do', ['personal'])] });
      assert.deepEqual(validateManifest(m).errors, []);
      const bad = {
        ...m,
        id: 'not-a-guid',
        accentColor: 'blue',
        bots: [{ ...bot(m), unknownProperty: true }],
      };
      const { valid, errors } = validateManifest(bad);
      assert.equal(valid, false);
      assert.ok(
        errors.some((e) => e.startsWith('/id:')),
        errors.join('\n'),
      );
      assert.ok(
        errors.some((e) => e.startsWith('/accentColor:')),
        errors.join('\n'),
      );
      assert.ok(
        errors.some((e) => e.includes('unknownProperty')),
        errors.join('\n'),
      );
    });
  });

  describe('icons', () => {
    const read = (name: string) => PNG.sync.read(readFileSync(path.join(root, 'appPackage', name)));

    it('color.png is 192×192 with an NHS-blue background', () => {
      const png = read('color.png');
      assert.equal(png.width, 192);
      assert.equal(png.height, 192);
      const at = (x: number, y: number) => [...png.data.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
      assert.deepEqual(at(20, 96), [0x00, 0x5e, 0xb8, 255]);
      let white = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        if (
          png.data[i] === 255 &&
          png.data[i + 1] === 255 &&
          png.data[i + 2] === 255 &&
          png.data[i + 3] === 255
        )
          white++;
      }
      assert.ok(white > 500, `a white mark (${white} white pixels)`);
    });

    it('outline.png is 32×32, white on transparent only', () => {
      const png = read('outline.png');
      assert.equal(png.width, 32);
      assert.equal(png.height, 32);
      let transparent = 0;
      let opaque = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
        if (a === 0) transparent++;
        else assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is not white`);
        if (a === 255) opaque++;
      }
      assert.ok(transparent > 100 && opaque > 50, `${transparent} transparent, ${opaque} opaque`);
    });
  });

  describe('npm run package', () => {
    let tmp: string;
    before(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
    });
    after(() => {
      rmSync(tmp, { recursive: true, force: true });
    });

    const packageScript = (env: Record<string, string>, out: string) =>
      run(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'package.ts'), '--out', out], {
        cwd: root,
        env: {
          ...process.env,
          DATA_DIR: path.join(tmp, 'data'),
          BOT_PUBLIC_URL: '',
          BOT_NAME: '',
          MicrosoftAppType: '',
          MicrosoftAppTenantId: '',
          ...env,
        },
      });

    it('zips exactly manifest.json, color.png and outline.png at the root', async () => {
      const out = path.join(tmp, 'build');
      const { stdout } = await packageScript(
        { MicrosoftAppId: TEST_APP_ID, MicrosoftAppPassword: 'test-secret' },
        out,
      );
      assert.match(stdout, /appPackage\.zip \(\d+ bytes/);
      const entries = readZip(readFileSync(path.join(out, 'appPackage.zip')));
      assert.deepEqual([...entries.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as TeamsManifest;
      assert.equal(manifest.id, TEST_APP_ID);
      assert.equal(bot(manifest).botId, TEST_APP_ID);
      assert.deepEqual(manifest, JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
      assert.deepEqual(validateManifest(manifest).errors, []);
      for (const icon of ['color.png', 'outline.png']) {
        assert.ok(entries.get(icon)!.equals(readFileSync(path.join(root, 'appPackage', icon))), icon);
      }
    });

    it('needs the app id and the public address only, never the bot’s secret', async () => {
      const out = path.join(tmp, 'no-secret');
      const { stdout } = await packageScript(
        { MicrosoftAppId: TEST_APP_ID, MicrosoftAppPassword: '', BOT_PUBLIC_URL: 'https://bot.example.org' },
        out,
      );
      assert.match(stdout, /appPackage\.zip \(\d+ bytes/);
      const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as TeamsManifest;
      assert.equal(manifest.id, TEST_APP_ID);
      assert.ok(manifest.validDomains?.includes('bot.example.org'), JSON.stringify(manifest.validDomains));
    });

    it('uses the placeholder app id, with a warning, in local mode', async () => {
      const out = path.join(tmp, 'local');
      const { stderr } = await packageScript({ MicrosoftAppId: '', MicrosoftAppPassword: '' }, out);
      assert.match(stderr, /Teams needs the real Microsoft App ID/);
      const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as TeamsManifest;
      assert.equal(manifest.id, '00000000-0000-0000-0000-000000000000');
    });
  });
});

/** Reads a zip's central directory and inflates each entry: name → contents. */
function readZip(zip: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'end of central directory found');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50, 'central directory header');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    assert.equal(zip.readUInt32LE(local), 0x04034b50, 'local file header');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressedSize);
    assert.ok(method === 0 || method === 8, `${name}: compression method ${method}`);
    entries.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
