/*
 * Builds the Teams app package: appPackage/build/manifest.json and appPackage/build/appPackage.zip
 * (manifest.json, color.png and outline.png at the zip root, as Teams requires).
 * Run: npm run package   (tsx scripts/package.ts [--out <dir>])
 */
import { createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZipArchive } from 'archiver';
import { ConfigError, readPackagingConfig } from '../bot/config.js';
import { buildManifest, ManifestError, validateManifest } from '../bot/teams/manifest.js';

export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const appPackageDir = path.join(root, 'appPackage');

function outDir(argv: readonly string[]): string {
  const i = argv.indexOf('--out');
  if (i >= 0) {
    const dir = argv[i + 1];
    if (!dir) throw new Error('--out needs a directory');
    return path.resolve(dir);
  }
  return path.join(appPackageDir, 'build');
}

async function zip(zipPath: string, manifestJson: string): Promise<void> {
  const output = createWriteStream(zipPath);
  const archive = new ZipArchive({ zlib: { level: 9 } });
  const closed = new Promise<void>((resolve, reject) => {
    output.on('close', resolve);
    output.on('error', reject);
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  archive.pipe(output);
  archive.append(manifestJson, { name: 'manifest.json' });
  archive.file(path.join(appPackageDir, 'color.png'), { name: 'color.png' });
  archive.file(path.join(appPackageDir, 'outline.png'), { name: 'outline.png' });
  await archive.finalize();
  await closed;
}

async function main(): Promise<number> {
  const config = await readPackagingConfig();
  let appId = config.MicrosoftAppId;
  if (!appId) {
    appId = PLACEHOLDER_APP_ID;
    console.warn(
      `warning: MicrosoftAppId is not set (local mode); using the placeholder ${PLACEHOLDER_APP_ID}. ` +
        'Teams needs the real Microsoft App ID of the bot registration: set MicrosoftAppId and package again.',
    );
  }
  if (!config.BOT_PUBLIC_URL) {
    console.warn(
      'warning: BOT_PUBLIC_URL is not set; developer URLs are placeholders and validDomains is empty.',
    );
  }

  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version?: string;
  };
  const manifest = buildManifest({
    appId,
    botName: config.BOT_NAME,
    publicUrl: config.BOT_PUBLIC_URL,
    version,
  });
  const result = validateManifest(manifest);
  if (!result.valid) {
    console.error(
      `The manifest does not validate against the Teams v1.30 schema (${result.errors.length} errors):`,
    );
    for (const e of result.errors) console.error(`  - ${e}`);
    return 1;
  }

  const dir = outDir(process.argv.slice(2));
  mkdirSync(dir, { recursive: true });
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestPath = path.join(dir, 'manifest.json');
  writeFileSync(manifestPath, manifestJson);
  const zipPath = path.join(dir, 'appPackage.zip');
  await zip(zipPath, manifestJson);

  console.log(`manifest: ${manifestPath}`);
  console.log(`package:  ${zipPath} (${statSync(zipPath).size} bytes: ${PACKAGE_FILES.join(', ')})`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof ManifestError) console.error(err.message);
    else console.error(err);
    process.exitCode = 1;
  },
);
