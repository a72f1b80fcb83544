/**
 * End to end in a browser: the bot and the Microsoft 365 Agents Playground (scripts/dev.ts), driven by
 * Debian's Chromium through playwright-core, headless, at 1280×800, with every non-loopback request
 * refused. Selectors and flags: ../shared/PLAYGROUND.md (beside the checkout).
 *
 * A new user's way through: welcome → help → a question → a whole assessment with a statement left
 * for later → results → gaps → activities paging → eligibility → /reminders → /mydata, then the
 * manager, /forget, /unanswered and a channel. On the way it presses a button of every kind on every template that has
 * buttons, and every card shown is measured (no taller than MAX_CARD_PX as first shown) and checked
 * with axe-core (no serious or critical finding). Any browser console error fails the test.
 *
 * Screenshots of every card go to test-artifacts/e2e/ (git-ignored); look at them, a card can
 * validate and still render badly. UPDATE_DOCS_SCREENSHOTS=1 also writes the README's pictures in
 * docs/; ordinary runs never touch them.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { freePort, startDevStack, type DevStack } from '../../scripts/dev.js';
import { fitAnswer } from '../support/conversation.js';
import { readCard } from '../support/http.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/e2e');
const DOCS = path.join(ROOT, 'docs');
const CHROMIUM = '/usr/bin/chromium';
const BOT_NAME = 'Coding Auditor';
/** Alex Carter, the Playground's current user (.m365agentsplayground.yml): a content owner here. */
const CURRENT_USER_AAD = '00000000-0000-0000-0000-00000000a001';
const CURRENT_USER_ID = '29:local-user-alex-carter';
const TENANT = '00000000-0000-0000-0000-00000000c0de';
/** A bot round trip is 70–250 ms in the playground; this leaves room for a loaded machine. */
const REPLY_MS = 15_000;
/** A laptop screen: what the issue measures against. */
const VIEWPORT = { width: 1280, height: 800 };
/** No card as first shown may be taller than this in the Playground at VIEWPORT. */
const MAX_CARD_PX = 900;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

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

type Kind = 'submit' | 'execute' | 'openUrl';

/** Every template with buttons and the kinds of button its cards carry (from cards/*.json). */
const KINDS_BY_TEMPLATE: Record<string, Kind[]> = {
  welcome: ['submit'],
  help: ['execute', 'submit'],
  notice: ['submit'],
  answer: ['execute', 'submit'],
  competency: ['execute', 'submit'],
  activities: ['execute', 'submit'],
  assessChoice: ['execute'],
  assessStep: ['execute'],
  assessResults: ['execute', 'submit'],
  eligibilityForm: ['execute'],
  eligibilityResult: ['execute'],
  choice: ['execute'],
  managerPicker: ['execute'],
  review: ['execute'],
  plan: ['execute'],
  digest: ['submit'],
  links: ['openUrl'],
  unanswered: ['openUrl'],
  reminders: ['execute'],
};
/** Templates without buttons as the Playground can show them. */
const WITHOUT_BUTTONS: string[] = [];

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}
interface Axe {
  run(context: Element | { include: Element[]; exclude?: Element[] }, options: object): Promise<AxeResult>;
}
/**
 * The root of a chart drawn by Teams' renderer for a Chart.* element (Fluent UI charts, labelled
 * "Horizontal bar chart", "Line chart", …). Its markup is Microsoft's, not the card's: axe-core finds
 * its focus-trap dummies and its focusable bars inside a focusable group. Those findings are printed,
 * not failed; the rest of every card is held to no serious finding, including the sentence that says
 * each chart in words beside it.
 */
const CHART_ROOT = '[aria-label$=" chart" i]';

describe('e2e: the bot in the Agents Playground (headless Chromium)', function () {
  this.timeout(120_000);

  let stack: DevStack | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dataDir: string | undefined;
  let anyFailed = false;
  const refused = new Set<string>();
  const consoleErrors: string[] = [];
  /** Tallest card per template, as first shown. */
  const heights = new Map<string, { px: number; step: string }>();
  const axeFindings: string[] = [];
  /** What axe-core finds inside the renderer's charts (see CHART_ROOT), reported once each. */
  const chartFindings = new Set<string>();
  const axeChecked = new Map<string, number>();
  const pressed = new Map<string, Set<Kind>>();
  let shots = 0;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}. Install Debian's package: ` +
          '`apt-get update && apt-get install -y chromium` (never let a tool download its own browser).',
      );
    }
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
    // A fresh store, so the bot has never greeted this user and the welcome card is sent.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cab-e2e-'));
    const t0 = Date.now();
    const botPort = await freePort();
    stack = await startDevStack({
      botPort,
      playgroundPort: await freePort(),
      dataDir,
      output: 'capture',
      readyTimeoutMs: 45_000,
      botEnv: {
        BOT_PUBLIC_URL: `http://127.0.0.1:${botPort}`,
        EXPORT_LINK_SECRET: `e2e-${Date.now()}-${Math.random()}`,
        CONTENT_OWNERS: CURRENT_USER_AAD,
        // A whole assessment is about forty turns in a minute or two.
        RATE_LIMIT_PER_MINUTE: '600',
      },
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
    const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    context.setDefaultTimeout(REPLY_MS);
    page = await context.newPage();
    // Fonts and icons from a CDN are not needed; nothing leaves the machine.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (r) => {
      refused.add(new URL(r.request().url()).host);
      return r.abort();
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && !causedByRefusal(m)) consoleErrors.push(m.text().slice(0, 500));
    });
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
    await page.goto(stack.playgroundUrl, { timeout: 30_000 });
    console.log(`      stack ready in ${t1 - t0} ms, browser and page in ${Date.now() - t1} ms`);
  });

  /** A failed load of something we refused (a CDN font or icon) is ours, not the page's. */
  function causedByRefusal(m: ConsoleMessage): boolean {
    const url = m.location().url || /https?:\/\/[^\s)]+/.exec(m.text())?.[0] || '';
    const host = (() => {
      try {
        return new URL(url).hostname;
      } catch {
        return '';
      }
    })();
    return host !== '' && host !== '127.0.0.1' && host !== 'localhost';
  }

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    anyFailed = true;
    const name = (this.currentTest.title || 'step').replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await page.screenshot({ path: path.join(ARTIFACTS, `FAILED-${name}.png`) }).catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    if (anyFailed && stack) console.log(`--- bot and playground output ---\n${stack.logs().slice(-8_000)}`);
    if (refused.size) console.log(`      refused non-loopback requests to: ${[...refused].join(', ')}`);
    if (heights.size) {
      console.log('      tallest card per template (px, first shown, 1280×800):');
      for (const [t, h] of [...heights].sort((a, b) => b[1].px - a[1].px))
        console.log(`        ${t.padEnd(18)} ${String(Math.round(h.px)).padStart(4)}  (${h.step})`);
      console.log(
        `      axe-core: ${[...axeChecked.values()].reduce((a, b) => a + b, 0)} cards checked, ${axeFindings.length} serious or critical findings`,
      );
      for (const f of chartFindings) console.log(`      axe-core inside the renderer's charts: ${f}`);
    }
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  // -------------------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------------------

  /** Newest card containing text, after the action; waits up to REPLY_MS. */
  async function cardWith(text: string | RegExp): Promise<Locator> {
    const card = page.locator(SEL.card).filter({ hasText: text }).last();
    await card.waitFor({ state: 'visible', timeout: REPLY_MS });
    return card;
  }

  /**
   * The checks every card gets as it is first shown: its height, axe-core's serious and critical
   * findings, and a screenshot. `docs` names a picture for the README (written on request).
   */
  async function check(card: Locator, template: string, step: string, docs?: string): Promise<void> {
    await page.waitForTimeout(250); // let the renderer settle (images, wrapping)
    const box = await card.boundingBox();
    assert.ok(box, `${step}: the card is on the page`);
    const tallest = heights.get(template);
    if (!tallest || box.height > tallest.px) heights.set(template, { px: box.height, step });
    assert.ok(
      box.height <= MAX_CARD_PX,
      `${step}: the ${template} card is ${Math.round(box.height)} px tall, more than ${MAX_CARD_PX}`,
    );
    const findings = await axeOn(card);
    axeChecked.set(template, (axeChecked.get(template) ?? 0) + 1);
    axeFindings.push(...findings.map((f) => `${step} (${template}): ${f}`));
    assert.deepEqual(findings, [], `${step}: axe-core found serious or critical problems`);
    shots += 1;
    const file = `${String(shots).padStart(2, '0')}-${step.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`;
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: path.join(ARTIFACTS, `${file}.png`) });
    if (docs && process.env.UPDATE_DOCS_SCREENSHOTS) {
      // Taller for the picture, so the Playground's header never covers part of the card.
      await page.setViewportSize({ width: VIEWPORT.width, height: 1400 });
      await card.evaluate((el) => {
        el.scrollIntoView({ block: 'center' });
      });
      await page.waitForTimeout(300);
      await card.screenshot({ path: path.join(DOCS, `${docs}.png`) });
      await page.setViewportSize(VIEWPORT);
    }
  }

  async function axeOn(card: Locator): Promise<string[]> {
    const loaded = await page.evaluate(() => 'axe' in window);
    if (!loaded) await page.addScriptTag({ content: AXE_SOURCE });
    const handle = await card.elementHandle();
    const run = (scope: 'card' | 'charts') =>
      page.evaluate(
        ([el, selector, only]) => {
          const charts = [...(el as Element).querySelectorAll(selector)];
          if (only === 'charts' && !charts.length) return Promise.resolve({ violations: [] } as AxeResult);
          return (window as unknown as { axe: Axe }).axe.run(
            only === 'charts' ? { include: charts } : { include: [el as Element], exclude: charts },
            {
              runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
              resultTypes: ['violations'],
            },
          );
        },
        [handle, CHART_ROOT, scope] as const,
      );
    const serious = (result: AxeResult) =>
      result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
    for (const f of serious(await run('charts'))) chartFindings.add(f.replace(/ at .*/, ''));
    return serious(await run('card'));
  }

  /** Presses a button on a card and notes its kind against the template. */
  async function press(card: Locator, template: string, kind: Kind, name: string | RegExp): Promise<void> {
    // The renderer gives Action.OpenUrl the role of a link; every other kind is a button.
    const button = card
      .getByRole(kind === 'openUrl' ? 'link' : 'button', { name, exact: typeof name === 'string' })
      .first();
    await button.click();
    let kinds = pressed.get(template);
    if (!kinds) pressed.set(template, (kinds = new Set()));
    kinds.add(kind);
  }

  /** The first new card matching `text` after there were `before` cards (a reply, not an old card). */
  async function newCardWith(before: number, text: string | RegExp): Promise<Locator> {
    await page.waitForFunction(
      ([sel, n]) => document.querySelectorAll(sel).length > n,
      [SEL.card, before] as const,
      { timeout: REPLY_MS },
    );
    return cardWith(text);
  }

  /** Sends a message and waits for the bot's card in reply that contains `reply`. */
  async function ask(text: string, reply: string | RegExp): Promise<Locator> {
    const before = await page.locator(SEL.card).count();
    await sayInChat(text);
    return newCardWith(before, reply);
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

  /**
   * Picks an option of a compact choice set (a Fluent combobox) by typing it and pressing Enter, as a
   * keyboard user would. Clicking in its list is not reliable here: a replaced card's list lingers in
   * the page under the same generated id as the new card's.
   */
  async function pick(box: Locator, option: string): Promise<void> {
    await box.click();
    await page.keyboard.type(option);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      ([el, want]) => (el as HTMLInputElement).value === want,
      [await box.elementHandle(), option] as const,
      { timeout: 5_000 },
    );
  }

  /** Picks an option of a compact choice set, found by its label. */
  async function choose(card: Locator, label: string | RegExp, option: string): Promise<void> {
    await pick(card.getByRole('combobox', { name: label }).first(), option);
  }

  // -------------------------------------------------------------------------------------------------------
  // The way through
  // -------------------------------------------------------------------------------------------------------

  it('personal chat: the welcome card on install; its Help button works', async () => {
    await page.locator(SEL.chats).nth(0).click();
    const card = await cardWith('Welcome to');
    assert.match(await card.innerText(), new RegExp(`Welcome to ${BOT_NAME}`));
    await check(card, 'welcome', 'welcome', 'welcome');
    await press(card, 'welcome', 'submit', 'Help');
    const help = await cardWith('What I can do');
    await check(help, 'help', 'help');
    await press(help, 'help', 'execute', 'All commands');
    await cardWith(/\/mydata/);
    await press(help, 'help', 'submit', 'The five areas');
    const areas = await cardWith('The five competency areas');
    await check(areas, 'competency', 'areas');
  });

  it('a question: "what does CC2 cover?" opens short, a sub-area on demand, then its activities paged in place', async () => {
    const card = await ask('what does CC2 cover?', /CC2 Technical Skills[\s\S]*statements in 7 sub-areas/);
    assert.doesNotMatch(
      await card.innerText(),
      /Evidences they have held/,
      'statements wait behind a button',
    );
    await check(card, 'competency', 'what does CC2 cover', 'competency');
    await press(card, 'competency', 'execute', 'Show all statements');
    await cardWith(/Evidences they have held accredited clinical coder status/);
    await press(card, 'competency', 'submit', 'Manager activities for CC2');
    const acts = await cardWith(/Line-manager activities for CC2/);
    await check(acts, 'activities', 'activities CC2');
    await press(acts, 'activities', 'execute', 'More');
    // Action.Execute: the returned card replaces this one in place.
    const page2 = await cardWith(/Line-manager activities for CC2[\s\S]*Page 2 of/);
    await check(page2, 'activities', 'activities CC2 page 2');
    await press(page2, 'activities', 'execute', 'Previous');
    const page1 = await cardWith(/Line-manager activities for CC2[\s\S]*Page 1 of/);
    assert.match(await page1.innerText(), /Recommended resources/);
  });

  it('a question in words gets an answer card; Show more, Helpful and a follow-up button work', async () => {
    const many = await ask('which resources help with audit?', /Show \d+ more/);
    await check(many, 'answer', 'a question with more quotes');
    await press(many, 'answer', 'execute', /^Show \d+ more$/);
    await page.waitForTimeout(500);
    const card = await ask('what is SPC', 'Statistical Process Control');
    await check(card, 'answer', 'what is SPC');
    await press(card, 'answer', 'execute', 'Helpful');
    await cardWith(/glad it helped/);
    const after = await cardWith('Statistical Process Control');
    await press(after, 'answer', 'submit', 'Start a self-assessment');
    await cardWith('Self-assessment against the auditor competencies');
  });

  it('a whole assessment: compact answers, a statement left for later is named, Back, a note, save and resume', async () => {
    const start = await cardWith('Self-assessment against the auditor competencies');
    await check(start, 'assessChoice', 'assess: choose a level');
    await press(start, 'assessChoice', 'execute', 'Trainee auditor');

    // Card 1: two of three answered, Next names the third; then Continue leaves it for later.
    let card = await cardWith(/Card 1 of \d+/);
    await check(card, 'assessStep', 'assess: card 1', 'assessment');
    await choose(card, /^1\. /, 'Competent');
    await choose(card, /^2\. /, 'Developing');
    await press(card, 'assessStep', 'execute', 'Next');
    card = await cardWith(/1 not answered yet \(number 3\)/);
    await check(card, 'assessStep', 'assess: card 1, one not answered');
    await press(card, 'assessStep', 'execute', 'Continue');
    card = await cardWith(/Card 2 of \d+/);
    // Back to card 1 and forward again keeps what was answered.
    await press(card, 'assessStep', 'execute', 'Back');
    card = await cardWith(/Card 1 of \d+ · 2 of 70 answered/);
    await card
      .getByRole('textbox', { name: /Evidence note/ })
      .fill('Shadowed an approved auditor on two audits.');
    await press(card, 'assessStep', 'execute', 'Next');
    card = await cardWith(/1 not answered yet \(number 3\)/);
    await press(card, 'assessStep', 'execute', 'Continue');

    // Save and finish later, then carry on from the notice and resume.
    card = await cardWith(/Card 2 of \d+/);
    await press(card, 'assessStep', 'execute', 'Save and finish later');
    const saved = await cardWith('Self-assessment saved');
    await check(saved, 'notice', 'assess: saved');
    await press(saved, 'notice', 'submit', 'Carry on now');
    const resume = await cardWith(/assessment in progress: card 2 of/);
    await check(resume, 'assessChoice', 'assess: resume');
    await press(resume, 'assessChoice', 'execute', 'Resume');

    // The rest: every statement answered; the factual ones Yes / No / Not sure; every card measured.
    let n = 2;
    for (;;) {
      card = await cardWith(new RegExp(`Card ${n} of \\d+`));
      const text = await card.innerText();
      const total = Number(/Card \d+ of (\d+)/.exec(text)![1]);
      if (n === 2 || n % 4 === 0 || n === total) await check(card, 'assessStep', `assess: card ${n}`);
      const boxes = card.getByRole('combobox');
      const count = await boxes.count();
      for (let i = 0; i < count; i++)
        await pick(boxes.nth(i), ['Developing', 'Competent', 'Confident', 'Not yet'][(n + i) % 4]!);
      // Questions of fact are three radio buttons each (Yes / No / Not sure).
      const yes = card.getByRole('radio', { name: 'Yes', exact: true });
      const no = card.getByRole('radio', { name: 'No', exact: true });
      for (let i = 0; i < (await yes.count()); i++) await (i % 2 ? no : yes).nth(i).check();
      const last = n === total;
      await press(card, 'assessStep', 'execute', last ? 'Finish' : 'Next');
      if (last) break;
      n += 1;
    }
  });

  it('results lead with the three biggest gaps; Show more; the gaps card pages its activities in place', async () => {
    const results = await cardWith(/Your results: trainee auditor/);
    assert.match(await results.innerText(), /biggest gaps/);
    assert.match(await results.innerText(), /Your manager can: /);
    // The Playground draws Teams' charts: the bar chart, not its fallback text bars.
    assert.equal(await results.locator(CHART_ROOT).count(), 1);
    assert.ok(!/[●○]{10}/.test(await results.innerText()), 'the text bars wait as the fallback');
    assert.match(await results.innerText(), /is your lowest area at \d+% met/);
    await check(results, 'assessResults', 'results', 'results');
    await press(results, 'assessResults', 'execute', 'Show more');
    await cardWith(/Strengths/);
    await press(results, 'assessResults', 'submit', 'All gaps and activities');
    const gaps = await cardWith('Your gaps and what your line manager can do');
    await check(gaps, 'activities', 'gaps', 'gaps');
    await press(gaps, 'activities', 'execute', 'All activities for my gaps');
    const list = await cardWith(/Line-manager activities for your gaps[\s\S]*Page 1 of/);
    await press(list, 'activities', 'execute', 'More');
    await cardWith(/Line-manager activities for your gaps[\s\S]*Page 2 of/);
  });

  it('/activities starts from my gaps and level, says so, and pages in place', async () => {
    const card = await ask('/activities', /For your gaps in .* at your level \(trainee auditor\)/);
    await check(card, 'activities', 'activities for my gaps');
    await press(card, 'activities', 'execute', 'More');
    const next = await cardWith(/For your gaps in[\s\S]*Page 2 of/);
    await press(next, 'activities', 'submit', 'My results');
    await cardWith(/Your results: trainee auditor/);
  });

  it('eligibility: a date typed day first is read back in words; a future course date is questioned', async () => {
    const pick = await ask('/eligibility', 'Check your eligibility');
    await check(pick, 'eligibilityResult', 'eligibility: pick');
    await press(pick, 'eligibilityResult', 'execute', 'CCAP');
    let form = await cardWith(/Can I apply for CCAP\?/);
    await check(form, 'eligibilityForm', 'eligibility: CCAP form', 'eligibility-form');
    await press(form, 'eligibilityForm', 'execute', 'Help');
    form = await cardWith(/The date you gained ACC status\. If you only know the month/);
    await choose(form, /^Are you an Accredited Clinical Coder/, 'Yes');
    await form.getByRole('textbox', { name: 'When did you gain ACC status?' }).fill('14/03/2024');
    await form
      .getByRole('textbox', { name: /last attend a Clinical Coding Standards Refresher/ })
      .fill('01/01/2030');
    await choose(form, /^Can you show good use of Microsoft Word/, 'Not sure');
    await press(form, 'eligibilityForm', 'execute', 'Check');
    form = await cardWith(/1 January 2030, is in the future/);
    await check(form, 'eligibilityForm', 'eligibility: future course date');
    assert.equal(
      await form.getByRole('textbox', { name: 'When did you gain ACC status?' }).inputValue(),
      '14 March 2024',
    );
    await form
      .getByRole('textbox', { name: /last attend a Clinical Coding Standards Refresher/ })
      .fill('10/06/2025');
    await press(form, 'eligibilityForm', 'execute', 'Check');
    const result = await cardWith(/Clinical Coding Auditor Programme \(CCAP\)[\s\S]*Change answers/);
    await check(result, 'eligibilityResult', 'eligibility: CCAP result');
    await press(result, 'eligibilityResult', 'execute', 'Change answers');
    const again = await cardWith(/Can I apply for CCAP\?[\s\S]*14 March 2024|Can I apply for CCAP\?/);
    assert.equal(
      await again.getByRole('textbox', { name: 'When did you gain ACC status?' }).inputValue(),
      '14 March 2024',
    );
    assert.equal(
      await again.getByRole('combobox', { name: /^Can you show good use of Microsoft Word/ }).inputValue(),
      'Not sure',
      'Not sure is kept when answers are changed',
    );

    // The trainer programme: only time stands in the way, so one line gives the earliest date.
    const cctpPick = await ask('/eligibility CCTP', /Can I apply for CCTP\?/);
    await cctpPick.getByRole('textbox', { name: 'When did you gain ACC status?' }).fill('14/03/2025');
    await choose(cctpPick, /^Can you show adequate experience/, 'Yes');
    await press(cctpPick, 'eligibilityForm', 'execute', 'Check');
    const cctp = await cardWith(/You can apply from 14 March 2027\./);
    assert.equal((await cctp.innerText()).match(/apply from/g)?.length, 1, 'the date is said once');
    await check(cctp, 'eligibilityResult', 'eligibility: CCTP result', 'eligibility-result');
    await press(cctp, 'eligibilityResult', 'execute', 'Show all details');
    await cardWith(/Met\s*Adequate experience of clinical coding/);
  });

  it('eligibility in words: a verdict with its date, then the full checker with what was understood filled in', async () => {
    const answer = await ask(
      'Got my accreditation last summer, refresher done in March 2025. When can I go on CCAP?',
      /Eligibility for[\s\S]*you meet this on 2 June 2029/,
    );
    assert.match(await answer.innerText(), /I read "last summer" as 1 June 2026/);
    await check(answer, 'answer', 'eligibility in words');
    const forms = page.locator(SEL.card).filter({ hasText: /Can I apply for CCAP\?/ });
    const before = await forms.count();
    await press(answer, 'answer', 'execute', 'Open the full checker');
    // The answer card turns into the checker in place; an earlier checker further up must not be read.
    await page.waitForFunction(
      ([sel, n]) =>
        [...document.querySelectorAll(sel)].filter((c) => /Can I apply for CCAP\?/.test(c.textContent))
          .length > n,
      [SEL.card, before] as const,
      { timeout: REPLY_MS },
    );
    const form = forms.last();
    assert.equal(
      await form.getByRole('textbox', { name: 'When did you gain ACC status?' }).inputValue(),
      '1 June 2026',
    );
    await check(form, 'eligibilityForm', 'eligibility in words: the checker, filled in');
  });

  it('/reminders: what is coming with dates; a kind turned off in place', async () => {
    const card = await ask('/reminders', /Your reminders[\s\S]*Time to reassess/);
    assert.match(await card.innerText(), /a new self-assessment, 6 months after/);
    await check(card, 'reminders', 'reminders');
    await press(card, 'reminders', 'execute', 'Turn off: Time to reassess');
    const off = await cardWith('Time to reassess: off.');
    assert.match(await off.innerText(), /Turn on: Time to reassess/);
  });

  it('/mydata: a summary to read and the whole record as a JSON download', async () => {
    const card = await ask('/mydata', /Your data[\s\S]*Self-assessments/);
    assert.doesNotMatch(await card.innerText(), /"ratings"/);
    await check(card, 'links', 'mydata', 'mydata');
    const download = page.waitForEvent('download');
    const popup = page.waitForEvent('popup').catch(() => undefined);
    await press(card, 'links', 'openUrl', 'Download my data (JSON)');
    const file = await download;
    assert.match(file.suggestedFilename(), /^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(readFileSync(await file.path(), 'utf8')) as {
      selfAssessments: { history: unknown[] };
    };
    assert.equal(data.selfAssessments.history.length, 1);
    await (await popup)?.close().catch(() => undefined);
  });

  it('team General channel: @mention /competency CC2 is a short answer with Show all', async () => {
    await page.locator(SEL.general).click();
    await postMentioningBot(' /competency CC2');
    const card = await cardWith(/CC2 Technical Skills/);
    assert.doesNotMatch(await card.innerText(), /Evidences they have held/);
    await check(card, 'competency', 'channel: /competency CC2');
    await press(card, 'competency', 'execute', 'Show all');
    await cardWith(/CC2 b\. Approved Clinical Coding Audit/);
  });

  it('team General channel: @mention with /assess says it continues in private', async () => {
    await postMentioningBot(' /assess');
    // "continue /assess" is only in the redirect notice; the channel greeting also says "private".
    const card = await cardWith('continue /assess');
    assert.match(await card.innerText(), /private/i);
    await check(card, 'notice', 'channel: /assess');
    await page.locator(SEL.chats).nth(0).click();
  });

  it('a line manager: pick (from the team the coder shares with the bot), confirm, and the preview of what they see', async () => {
    const picker = await ask('/manager', 'Who is your line manager?');
    await check(picker, 'managerPicker', 'manager picker');
    // A people picker (typeahead): its list opens on a click and the person is chosen from it.
    await picker.getByRole('combobox').first().click();
    await page.getByRole('option', { name: 'Sam Patel (manager)' }).filter({ visible: true }).first().click();
    await press(picker, 'managerPicker', 'execute', 'Continue');
    const confirm = await cardWith(/Share your results with Sam Patel/);
    await check(confirm, 'choice', 'manager: confirm');
    await press(confirm, 'choice', 'execute', /^Yes, share with Sam Patel/);
    const status = await cardWith(/Waiting for Sam Patel/);
    await press(status, 'choice', 'execute', 'Preview what they see');
    const preview = await cardWith('What your line manager sees about you');
    await check(preview, 'digest', 'manager: preview');
  });

  it("a line manager's review: a coder who shares with them completes an assessment, they review it page by page", async () => {
    // Jordan, another person in the tenant, acts over HTTP; the current user (Alex) is their manager.
    const jordan = {
      id: '29:local-user-jordan-reyes',
      name: 'Jordan Reyes (coder)',
      aadObjectId: '00000000-0000-0000-0000-00000000a003',
    };
    const serviceUrl = `http://localhost:${new URL(stack!.playgroundUrl).port}/_connector`;
    let n = 0;
    const asJordan = async (verb: string, data: Record<string, unknown>) => {
      n += 1;
      const res = await fetch(`${stack!.botUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'invoke',
          name: 'adaptiveCard/action',
          id: `jordan-${n}`,
          channelId: 'msteams',
          serviceUrl,
          from: jordan,
          recipient: { id: '28:coding-auditor-local-bot', name: 'Coding Auditor' },
          conversation: { id: 'a:jordan-personal', conversationType: 'personal', tenantId: TENANT },
          channelData: { tenant: { id: TENANT } },
          value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
        }),
      });
      assert.equal(res.status, 200, `${verb}: HTTP ${res.status}`);
      const body = (await res.json()) as { value: Record<string, unknown> };
      return readCard(body.value);
    };
    await asJordan('manager.confirm', { managerTeamsId: CURRENT_USER_ID, managerName: 'Alex Carter' });
    const request = await cardWith('would like to share their results with you');
    await check(request, 'choice', 'review: the request, in the manager’s words');
    await press(request, 'choice', 'execute', 'Accept');
    await cardWith(/results will be in your weekly digest/);

    // Jordan completes a trainee assessment: Developing in CC3, Competent elsewhere.
    let step = await asJordan('assess.start', { level: 'trainee' });
    for (let i = 0; i < 60; i += 1) {
      const next = step.buttons.find((b) => b.title === 'Next' || b.title === 'Finish');
      assert.ok(next, `a Next or Finish button on ${step.text.slice(0, 80)}`);
      const rating = /^CC3 /m.test(step.text) ? 'developing' : 'competent';
      const ratings = Object.fromEntries(
        step.inputs.filter((x) => x.id.startsWith('rating:')).map((x) => [x.id, fitAnswer(x, rating)]),
      );
      step = await asJordan(next.verb ?? '', { ...next.data, ...ratings });
      if (next.title === 'Finish') break;
    }
    assert.match(step.text, /Alex Carter has been asked to review it/);

    const review = await cardWith(/Review: Jordan Reyes coder's trainee auditor self-assessment/);
    await check(review, 'review', 'review: first page');
    // A different rating needs a comment: the card says so and keeps the choice.
    await review.getByRole('combobox').first().click();
    await page.getByRole('option', { name: 'Developing' }).filter({ visible: true }).first().click();
    await press(review, 'review', 'execute', 'Save and next');
    const refused = await cardWith(/Add a comment where you rate differently/);
    await refused.getByRole('textbox').first().fill('Needs to sample more widely before concluding.');
    await press(refused, 'review', 'execute', 'Save and next');
    const second = await cardWith(/\(page 2 of \d+\)/);
    await check(second, 'review', 'review: second page');
    await press(second, 'review', 'execute', 'Agree to all the rest');
    await cardWith(/Review done: you agree on \d+ sub-areas and rated 1 differently/);

    const results = await asJordan('assess.results', {});
    assert.match(results.text, /Alex Carter's review \([^)]*\): differences first/);
    assert.match(
      results.text,
      /Alex Carter: Developing \("Needs to sample more widely before concluding\."\)/,
    );
  });

  it("the manager's digest suggests an activity for their coder; its button adds it to the coder's plan", async () => {
    const digest = await ask('/digest', /For Jordan Reyes coder \(gaps in /);
    assert.equal(await digest.locator(CHART_ROOT).count(), 1, 'the team’s gaps per area as bars');
    await check(digest, 'digest', 'digest: a suggestion to add to a plan');
    await press(digest, 'digest', 'submit', "Add to Jordan Reyes coder's plan");
    const plan = await cardWith(
      /Jordan Reyes coder's development plan[\s\S]*proposed by you, waiting for Jordan Reyes coder to confirm/,
    );
    await check(plan, 'plan', 'plan: added from the digest');
  });

  it('/plan: a manager picks whose plan; an activity for my gaps is added with a date, then dropped with a reason', async () => {
    const whose = await ask('/plan', 'Whose development plan?');
    await press(whose, 'choice', 'execute', 'My own plan');
    const plan = await cardWith('Your development plan');
    await check(plan, 'plan', 'plan: empty, with suggestions');
    await press(plan, 'plan', 'execute', 'Add to plan');
    const added = await cardWith(/You do it · agreed/);
    await check(added, 'plan', 'plan: one item proposed');
    await added
      .getByRole('textbox', { name: /Evidence note \(done\) or reason \(drop\)/ })
      .first()
      .fill('Covered by the audit course instead.');
    await press(added, 'plan', 'execute', 'Drop');
    await cardWith(/Dropped \d+ \w+ \d{4} by you[\s\S]*Reason: Covered by the audit course instead\./);
  });

  it('/forget asks first; Keep my data keeps it', async () => {
    const confirmErase = await ask('/forget', 'Erase everything I hold about you?');
    await check(confirmErase, 'choice', 'forget: ask');
    await press(confirmErase, 'choice', 'execute', 'Keep my data');
    await cardWith('Nothing was erased.');
  });

  it('/unanswered for a content owner, with its CSV download', async () => {
    const card = await ask('/unanswered', /Questions I could not answer|No questions in the last/);
    await check(card, 'unanswered', 'unanswered');
    const download = page.waitForEvent('download');
    const popup = page.waitForEvent('popup').catch(() => undefined);
    await press(card, 'unanswered', 'openUrl', 'Download CSV');
    assert.match((await download).suggestedFilename(), /^unanswered-questions-.*\.csv$/);
    await (await popup)?.close().catch(() => undefined);
  });

  it('pressed a button of every kind on every template with buttons, measured every template, no console errors', () => {
    const missing: string[] = [];
    for (const [template, kinds] of Object.entries(KINDS_BY_TEMPLATE))
      for (const k of kinds) if (!pressed.get(template)?.has(k)) missing.push(`${template}: ${k}`);
    assert.deepEqual(missing, [], 'button kinds never pressed');
    const templates = readdirTemplates();
    const unmeasured = templates.filter((t) => !heights.has(t));
    assert.deepEqual(unmeasured, [], 'templates never measured in the browser');
    assert.deepEqual(
      templates.filter((t) => !(t in KINDS_BY_TEMPLATE) && !WITHOUT_BUTTONS.includes(t)),
      [],
      'every template is listed with its button kinds',
    );
    assert.deepEqual(consoleErrors, [], 'browser console errors');
  });
});

function readdirTemplates(): string[] {
  return readdirSync(path.join(ROOT, 'cards'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5));
}
