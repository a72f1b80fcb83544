/**
 * Bundles the personal tabs' pages (bot/tabs/client/) into dist/tabs/ with esbuild: one script per
 * page with Chart.js and the Teams client library inside (nothing is fetched from a CDN at run time),
 * one stylesheet, and an HTML page each naming its files by content hash, so the server can let
 * browsers keep scripts and styles for good while always asking again for the pages.
 *
 *   npm run build:tabs     (npm run build, npm run dev and the tabs' browser test run it too)
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { TAB_PAGES } from '../bot/core/tabs/tabApp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT = path.join(ROOT, 'bot/tabs/client');
export const TABS_OUT_DIR = path.join(ROOT, 'dist/tabs');

function pageHtml(title: string, script: string, css: string): string {
  return `<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${css}" />
    <script type="module" src="${script}"></script>
  </head>
  <body>
    <div id="banner" role="status"></div>
    <main id="main" aria-busy="true">
      <h1>${title}</h1>
      <p class="loading">Loading…</p>
    </main>
  </body>
</html>
`;
}

/** Builds every tab into outDir (emptied first); returns the files written, by name. */
export async function buildTabs(outDir = TABS_OUT_DIR): Promise<string[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [
      ...TAB_PAGES.map((p) => ({ in: path.join(CLIENT, `${p.entityId}.ts`), out: p.entityId })),
      { in: path.join(CLIENT, 'tabs.css'), out: 'tabs' },
    ],
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    sourcemap: 'linked',
    // Teams runs tabs in Edge WebView2, and in Safari and Chrome web views on phones.
    target: ['chrome111', 'edge111', 'safari16', 'firefox115'],
    entryNames: '[name]-[hash]',
    chunkNames: 'shared-[hash]',
    outdir: outDir,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'linked',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const outputFor = (source: string): string => {
    const rel = path.relative(ROOT, source).split(path.sep).join('/');
    const found = outputs.find(([, o]) => o.entryPoint === rel);
    if (!found) throw new Error(`esbuild wrote nothing for ${rel}`);
    return path.basename(found[0]);
  };
  const css = outputFor(path.join(CLIENT, 'tabs.css'));
  // The manifest's list of tabs: each page it names is built from the script of the same name.
  for (const p of TAB_PAGES) {
    await writeFile(
      path.join(outDir, p.page),
      pageHtml(p.name, outputFor(path.join(CLIENT, `${p.entityId}.ts`)), css),
    );
  }
  return [...outputs.map(([file]) => path.basename(file)), ...TAB_PAGES.map((p) => p.page)];
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const t0 = Date.now();
  buildTabs()
    .then((files) => {
      console.log(`Tabs built into dist/tabs/ in ${Date.now() - t0} ms (${files.length} files)`);
    })
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
