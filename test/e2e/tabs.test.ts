/**
 * The three personal tabs in a browser: the real server (local mode, lowdb files in a temp
 * directory) with made-up people seeded through the bot's own stores (tabsSeed.ts), the pages as
 * `npm run build` bundles them, opened in Debian's Chromium (playwright-core, headless) with the
 * development sign-in, in Teams' default, dark and high-contrast themes and at a phone's 320 px.
 * Every non-loopback request is refused and counted; any console error, failed request or serious
 * or critical axe-core finding fails the test.
 *
 * Screenshots go to test-artifacts/tabs/; UPDATE_DOCS_SCREENSHOTS=1 also writes the README's
 * pictures in docs/ (tab-*.png). Ordinary runs never touch docs/.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { MyTeamView, OrgView } from '../../bot/core/tabs/tabViews.js';
import { addTabFiles } from '../../bot/tabs/tabFiles.js';
import { buildTabs, TABS_OUT_DIR } from '../../scripts/buildTabs.js';
import { sharedAssets, startBot, type RunningBot } from '../support/botServer.js';
import { manager, NOW, orgViewer, priya, robin, seedTabs } from './tabsSeed.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/tabs');
const DOCS = path.join(ROOT, 'docs');
const CHROMIUM = '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const THEMES = ['default', 'dark', 'contrast'] as const;
type Theme = (typeof THEMES)[number];
/** The page background each theme gives: the theme really applied, not just named. */
const BACKGROUND: Record<Theme, string> = {
  default: 'rgb(255, 255, 255)',
  dark: 'rgb(31, 31, 31)',
  contrast: 'rgb(0, 0, 0)',
};

interface Axe {
  run(
    context: Document,
    options: object,
  ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
}

describe('e2e: the personal tabs (headless Chromium)', function () {
  this.timeout(60_000);

  let bot: RunningBot;
  let browser: Browser;
  let context: BrowserContext;
  const refused = new Set<string>();
  const problems: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium`,
      );
    }
    const t0 = Date.now();
    await buildTabs();
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
    bot = await startBot({ clock: () => NOW, env: { ORG_VIEWERS: orgViewer.aadObjectId } });
    addTabFiles(bot.server, TABS_OUT_DIR);
    await seedTabs(bot.app, (await sharedAssets()).lib);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'],
    });
    context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => {
      refused.add(new URL(r.request().url()).host);
      return r.abort();
    });
    console.log(`      built, seeded and started in ${Date.now() - t0} ms`);
  });

  after(async function () {
    // Either may be missing when before() failed half-way.
    const started = { browser: browser as Browser | undefined, bot: bot as RunningBot | undefined };
    await started.browser?.close().catch(() => undefined);
    await started.bot?.stop();
    if (started.bot) await rm(started.bot.dataDir, { recursive: true, force: true });
  });

  afterEach(function () {
    assert.deepEqual([...refused], [], 'requests that left the machine');
  });

  /** Opens a tab as someone and waits for its content; the page's own problems are collected. */
  async function open(
    tab: 'progress' | 'team' | 'organisation',
    as: string | undefined,
    opts: { theme?: Theme; width?: number; query?: string } = {},
  ): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width: opts.width ?? 1024, height: 800 });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`${tab}: console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${tab}: page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`${tab}: request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${tab}: ${r.status()} for ${r.url()}`);
    });
    const query = new URLSearchParams(opts.query ?? '');
    if (opts.theme) query.set('theme', opts.theme);
    if (as) query.set('as', as);
    await page.goto(`${bot.url}/tabs/${tab}.html?${query.toString()}`);
    await page.locator('main:not([aria-busy])').waitFor();
    return page;
  }

  async function axeFindings(page: Page): Promise<string[]> {
    // Evaluated through the browser's debugging protocol: the page's CSP rightly refuses inline scripts.
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(() =>
      (window as unknown as { axe: Axe }).axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        resultTypes: ['violations'],
      }),
    );
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  /** How many canvases on the page have something drawn on them. */
  function drawnCharts(page: Page): Promise<number> {
    return page.evaluate(
      () =>
        [...document.querySelectorAll('canvas')].filter((c) => {
          const ctx = c.getContext('2d');
          if (!ctx || !c.width || !c.height) return false;
          const data = ctx.getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
          return false;
        }).length,
    );
  }

  /** What a person expects of every tab in every theme and width. */
  async function checkPage(
    page: Page,
    what: string,
    theme: Theme,
    width: number,
    shot?: string,
  ): Promise<void> {
    assert.equal(await page.locator('html').getAttribute('lang'), 'en-GB');
    assert.equal(await page.locator('html').getAttribute('data-theme'), theme, `${what}: theme`);
    assert.equal(
      await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor),
      BACKGROUND[theme],
      `${what}: ${theme} background`,
    );
    assert.equal(await page.locator('#banner').innerText(), 'Development sign-in — local only');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `${what}: the page scrolls sideways (${scrollWidth} px at ${width} px)`);
    assert.deepEqual(await axeFindings(page), [], `${what}: axe-core found serious or critical problems`);
    assert.deepEqual(problems, [], `${what}: console errors or failed requests`);
    const file = `${what.replace(/[^a-z0-9]+/gi, '-')}.png`;
    // What fits the window, from the top: the part a person sees first, and a small file.
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await page.screenshot({ path: path.join(ARTIFACTS, file) });
    if (shot && process.env.UPDATE_DOCS_SCREENSHOTS)
      await page.screenshot({ path: path.join(DOCS, `${shot}.png`) });
  }

  async function apiAs(who: string, route: string): Promise<unknown> {
    const res = await fetch(`${bot.url}${route}`, { headers: { authorization: `Dev ${who}` } });
    assert.equal(res.status, 200, route);
    return res.json();
  }

  for (const theme of THEMES) {
    it(`My progress (${theme}): each area over time, both ratings, gaps, the plan with what is overdue, eligibility`, async () => {
      const page = await open('progress', robin.aadObjectId, { theme });
      await page.getByRole('heading', { level: 1, name: 'My progress' }).waitFor();
      for (const h2 of [
        'Each area over time',
        'Self-assessment and manager’s review',
        'Current gaps',
        'Development plan',
        'Eligibility timeline',
      ])
        assert.ok(await page.getByRole('heading', { level: 2, name: h2 }).isVisible(), h2);
      assert.equal(await drawnCharts(page), 2, 'both charts drawn');
      // Each chart is described by a one-line summary and has its figures in a table.
      const described = page.locator('canvas[role="img"][aria-describedby]');
      assert.equal(await described.count(), 2);
      assert.match(
        (await page.locator('figcaption').first().innerText()) || '',
        /over 3 assessments, 10 March 2026 to 2 November 2026/,
      );
      for (const summary of await page.locator('details > summary').all()) await summary.click();
      const overTime = page.getByRole('table', { name: 'Statements met per area, by assessment' });
      assert.equal(await overTime.locator('tbody tr').count(), 3);
      assert.match(await overTime.locator('tbody tr').first().innerText(), /10 March 2026\tTrainee\t0%/);
      const ratings = page.getByRole('table', { name: /self-assessment and manager’s review/i });
      assert.match(await ratings.innerText(), /CC3 Interpersonal Skills\t\d+%\t\d+%/);
      const plan = page.getByRole('table', { name: 'Development plan' });
      assert.match(await plan.innerText(), /13 November 2026\tAgreed, overdue/);
      assert.match(await plan.innerText(), /15 January 2027\tProposed/);
      assert.match(await page.locator('.timeline').innerText(), /CCAP/);
      await checkPage(
        page,
        `progress-${theme}`,
        theme,
        1024,
        theme === 'default' ? 'tab-progress' : theme === 'dark' ? 'tab-progress-dark' : undefined,
      );
      await page.close();
    });
  }

  for (const theme of THEMES) {
    it(`My team (${theme}): the heat map with figures in every cell, reviews and plans, and a coder's progress on request`, async () => {
      const view = (await apiAs(manager.aadObjectId, '/api/tabs/team')) as MyTeamView;
      const page = await open('team', manager.aadObjectId, { theme });
      await page.getByRole('heading', { level: 1, name: 'My team' }).waitFor();
      const heat = page.getByRole('table', { name: 'Share of statements met, coder by sub-area' });
      assert.equal(await heat.locator('tbody tr').count(), 3);
      // Colour is never the only signal: each cell carries its figure, exactly the API's.
      const robinsRow = view.coders.find((c) => c.displayName === robin.name)!;
      const cells = await heat.locator('tbody tr', { hasText: robin.name }).locator('td').allInnerTexts();
      assert.deepEqual(
        cells.map((t) => t.replace('not rated', '').trim()),
        view.subAreas.map((s) => {
          const v = robinsRow.subAreas[s.id];
          return v === null || v === undefined ? '–' : `${Math.round(v)}%`;
        }),
      );
      const status = page.getByRole('table', { name: 'Reviews, plans and change, by coder' });
      const waiting = view.coders.find((c) => c.displayName === priya.name)!.reviewWaitingDays;
      assert.match(
        await status.locator('tr', { hasText: priya.name }).innerText(),
        new RegExp(`Waiting ${waiting} days`),
      );
      assert.match(
        await status.locator('tr', { hasText: robin.name }).innerText(),
        /Reviewed\t1 agreed, 1 proposed, 1 done, 1 overdue/,
      );
      await page.getByRole('button', { name: robin.name }).click();
      await page.getByRole('heading', { level: 2, name: `Progress: ${robin.name}` }).waitFor();
      await page.getByRole('heading', { level: 3, name: 'Each area over time' }).waitFor();
      assert.equal(await drawnCharts(page), 2, "the coder's charts drawn");
      await checkPage(page, `team-${theme}`, theme, 1024, theme === 'default' ? 'tab-team' : undefined);
      await page.close();
    });
  }

  for (const theme of THEMES) {
    it(`Organisation (${theme}): gaps by area, sub-area and quarter; a hidden cell says so and shows no number`, async () => {
      const view = (await apiAs(orgViewer.aadObjectId, '/api/tabs/org?level=all')) as OrgView;
      const page = await open('organisation', orgViewer.aadObjectId, { theme });
      await page.getByRole('heading', { level: 1, name: 'Organisation' }).waitFor();
      assert.equal(await drawnCharts(page), 2, 'by area and over time drawn');
      const subAreas = page.getByRole('table', { name: 'Coders with a gap, by sub-area' });
      const rows = await subAreas.locator('tbody tr').allInnerTexts();
      assert.equal(rows.length, view.bySubArea.length);
      const hidden = view.bySubArea.filter((c) => c.suppressed);
      assert.ok(
        hidden.length > 0 && hidden.length < view.bySubArea.length,
        'some sub-areas hidden, some shown',
      );
      for (const [i, cell] of view.bySubArea.entries()) {
        const cellsText = rows[i]!.split('\t').slice(1);
        if (cell.suppressed) assert.deepEqual(cellsText, ['hidden', 'hidden', 'hidden'], cell.label);
        else
          assert.deepEqual(cellsText.slice(0, 2), [String(cell.people), String(cell.gapPeople)], cell.label);
      }
      assert.match(await page.locator('.note').innerText(), /fewer than 5 people/);
      await page.getByText('Show the figures: Share of coders with a gap, by area').click();
      const byArea = await page.getByRole('table', { name: 'Coders with a gap, by area' }).innerText();
      assert.match(byArea, /CC5 Digital Literacy\thidden\thidden\thidden/);
      assert.doesNotMatch(byArea, /CC5 Digital Literacy\t\d/);
      await checkPage(
        page,
        `organisation-${theme}`,
        theme,
        1024,
        theme === 'default' ? 'tab-organisation' : undefined,
      );
      // Another level: the trainees' view replaces the figures.
      await page.getByRole('radio', { name: 'Trainee' }).check();
      const trainees = (await apiAs(orgViewer.aadObjectId, '/api/tabs/org?level=trainee')) as OrgView;
      await page.getByText(`${trainees.total.people} coders with a completed assessment`).waitFor();
      assert.equal(await drawnCharts(page), 2, 'redrawn for trainees');
      assert.equal(new URL(page.url()).searchParams.get('level'), 'trainee');
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  it('every tab fits a phone 320 px wide: no sideways page scroll, tables scroll in their own box', async () => {
    for (const [tab, as] of [
      ['progress', robin.aadObjectId],
      ['team', manager.aadObjectId],
      ['organisation', orgViewer.aadObjectId],
    ] as const) {
      const page = await open(tab, as, { theme: 'default', width: 320 });
      assert.ok((await drawnCharts(page)) >= (tab === 'team' ? 0 : 2), `${tab}: charts drawn at 320 px`);
      const overflowing = await page.evaluate(
        () =>
          [...document.querySelectorAll('table')].filter(
            (t) => t.scrollWidth > 320 && !t.closest('.table-scroll'),
          ).length,
      );
      assert.equal(overflowing, 0, `${tab}: a wide table outside a scrolling box`);
      await checkPage(
        page,
        `${tab}-320px`,
        'default',
        320,
        tab === 'progress' ? 'tab-progress-mobile' : undefined,
      );
      await page.close();
    }
  });

  it('says plainly who a tab is for when the person is not, and asks for Teams when nobody is signed in', async () => {
    const coderOnTeam = await open('team', robin.aadObjectId);
    assert.match(
      await coderOnTeam.locator('main').innerText(),
      /This tab is for line managers with coders who share/,
    );
    assert.deepEqual(await axeFindings(coderOnTeam), []);
    await coderOnTeam.close();
    const managerOnOrg = await open('organisation', manager.aadObjectId);
    assert.match(
      await managerOnOrg.locator('main').innerText(),
      /people who look after coding across the organisation/,
    );
    await managerOnOrg.close();
    // The API's 403 is expected here; nothing else went wrong.
    assert.deepEqual(
      problems
        .splice(0)
        .filter(
          (p) =>
            !/^organisation: 403 for .*\/api\/tabs\/org/.test(p) &&
            !/Failed to load resource: the server responded with a status of 403/.test(p),
        ),
      [],
    );
    const nobody = await open('progress', undefined);
    assert.match(await nobody.getByRole('alert').innerText(), /Open this tab in Microsoft Teams/);
    assert.equal(await nobody.locator('#banner').innerText(), '');
    await nobody.close();
    assert.deepEqual(problems.splice(0), []);
  });
});
