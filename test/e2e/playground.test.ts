/**
 * End to end in a browser: the bot and the Microsoft 365 Agents Playground (scripts/dev.ts), driven by
 * Debian's Chromium through playwright-core, headless and with every non-loopback request refused.
 * Selectors and flags: ../shared/PLAYGROUND.md (beside the checkout). Screenshots of every step go to
 * test-artifacts/e2e/ (git-ignored); look at them, a card can validate and still render badly.
 *
 * UPDATE_DOCS_SCREENSHOT=1 also rewrites docs/playground.png (committed, for the README); ordinary
 * runs never touch it.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { freePort, startDevStack, type DevStack } from '../../scripts/dev.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/e2e');
const CHROMIUM = '/usr/bin/chromium';
const BOT_NAME = 'Coding Auditor';
/** A bot round trip is 70–250 ms in the playground; this leaves room for a loaded machine. */
const REPLY_MS = 15_000;
/** Tall, so a long card fits on screen and its element screenshot is whole. */
const VIEWPORT = { width: 1366, height: 1900 };

const SEL = {
  messageBox: 'div[role="textbox"][contenteditable="true"][data-lexical-editor="true"]',
  chats: '[aria-labelledby="conversation-window-personal-and-group-chat"] button[role="treeitem"]',
  general:
    '[aria-labelledby="conversation-window-teams-channel"] button[role="treeitem"][aria-label$=" - General"]',
  newPostBox: 'div[role="group"]:has(button:text-is("Post")) div[role="textbox"]',
  postButton: 'button:text-is("Post")',
  typeahead: '#typeahead-menu [role="menuitem"]',
  card: '.ac-adaptiveCard',
};

describe('e2e: the bot in the Agents Playground (headless Chromium)', function () {
  this.timeout(120_000);

  let stack: DevStack | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dataDir: string | undefined;
  let anyFailed = false;
  const refused = new Set<string>();

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}. Install Debian's package: ` +
          '`apt-get update && apt-get install -y chromium` (never let a tool download its own browser).',
      );
    }
    await mkdir(ARTIFACTS, { recursive: true });
    // A fresh store, so the bot has never greeted this user and the welcome card is sent.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-e2e-'));
    const t0 = Date.now();
    stack = await startDevStack({
      botPort: await freePort(),
      playgroundPort: await freePort(),
      dataDir,
      output: 'capture',
      readyTimeoutMs: 45_000,
    });
    const t1 = Date.now();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(REPLY_MS);
    page = await context.newPage();
    // Fonts and icons from a CDN are not needed; nothing leaves the machine.
    await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (r) => {
      refused.add(new URL(r.request().url()).host);
      return r.abort();
    });
    await page.goto(stack.playgroundUrl, { timeout: 30_000 });
    console.log(`      stack ready in ${t1 - t0} ms, browser and page in ${Date.now() - t1} ms`);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    anyFailed = true;
    const name = (this.currentTest.title || 'step').replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await page?.screenshot({ path: path.join(ARTIFACTS, `FAILED-${name}.png`) }).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    if (anyFailed && stack) console.log(`--- bot and playground output ---\n${stack.logs().slice(-8_000)}`);
    if (refused.size) console.log(`      refused non-loopback requests to: ${[...refused].join(', ')}`);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Newest card containing text, after the action; waits up to REPLY_MS. */
  async function cardWith(text: string | RegExp): Promise<Locator> {
    const card = page.locator(SEL.card).filter({ hasText: text }).last();
    await card.waitFor({ state: 'visible', timeout: REPLY_MS });
    return card;
  }

  async function shot(name: string, card?: Locator): Promise<void> {
    await page.waitForTimeout(300); // let the renderer settle (images, wrapping)
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
    if (card) {
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(ARTIFACTS, `${name}-card.png`) });
    }
  }

  async function sayInChat(text: string): Promise<void> {
    const box = page.locator(SEL.messageBox).last();
    await box.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  /** A new channel post: @ + the start of the bot's name, pick it from the typeahead, then the text. */
  async function postMentioningBot(text: string): Promise<void> {
    await page.locator(SEL.newPostBox).first().click();
    await page.keyboard.type(`@${BOT_NAME.slice(0, 4)}`);
    await page.locator(SEL.typeahead).filter({ hasText: BOT_NAME }).first().click();
    await page.keyboard.type(text);
    await page.locator(SEL.postButton).first().click();
  }

  it('personal chat: the welcome card on install', async () => {
    await page.locator(SEL.chats).nth(0).click();
    const card = await cardWith('Welcome to');
    assert.match(await card.innerText(), new RegExp(`Welcome to ${BOT_NAME}`));
    await shot('01-personal-welcome', card);
  });

  it('personal chat: /competency CC2 shows the area card', async () => {
    await sayInChat('/competency CC2');
    const card = await cardWith('CC2 Technical Skills');
    await shot('02-personal-competency-cc2', card);
  });

  it('personal chat: /assess, choose a level, answer a card with radio choices, Next', async () => {
    await sayInChat('/assess');
    const start = await cardWith('Trainee auditor');
    await shot('03-personal-assess-level', start);
    await start.getByRole('button', { name: 'Trainee auditor' }).click();

    // Action.Execute: the returned card replaces this one in place.
    const question = await cardWith(/Sub-area 1 of/);
    for (const choice of ['Not yet', 'Developing', 'Competent', 'Confident']) {
      assert.ok((await question.getByRole('radio', { name: choice }).count()) > 0, `no "${choice}" choice`);
    }
    const competent = question.getByRole('radio', { name: 'Competent' });
    const statements = await competent.count();
    for (let i = 0; i < statements; i++) await competent.nth(i).check();
    await shot('04-personal-assess-answered', question);
    if (process.env.UPDATE_DOCS_SCREENSHOT) {
      // The committed README picture: a normal window, the answered question card whole.
      await page.setViewportSize({ width: 1280, height: 1120 });
      await question.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(ROOT, 'docs/playground.png') });
      await page.setViewportSize(VIEWPORT);
    }

    await question.getByRole('button', { name: 'Next' }).click();
    const next = await cardWith(/Sub-area 2 of/);
    assert.doesNotMatch(await next.innerText(), /\b0% of statements answered/);
    await shot('05-personal-assess-next', next);
  });

  it('team General channel: @mention with a question gets an answer', async () => {
    await page.locator(SEL.general).click();
    await postMentioningBot(' what is SPC');
    const card = await cardWith('Statistical Process Control');
    await shot('06-channel-question', card);
  });

  it('team General channel: @mention with /assess says it continues in private', async () => {
    await postMentioningBot(' /assess');
    // "continue /assess" is only in the redirect notice; the channel greeting also says "private".
    const card = await cardWith('continue /assess');
    assert.match(await card.innerText(), /private/i);
    await shot('07-channel-assess-private', card);
  });
});
