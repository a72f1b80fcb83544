import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MemoryStorage, type Activity } from 'botbuilder';
import { createApp, REQUIRED_CARDS, type App } from '../../bot/app.js';
import { RATINGS, RATING_LABELS } from '../../bot/core/assessment/assessment.js';
import { matchCommand } from '../../bot/core/commands.js';
import { createLogger } from '../../bot/logger.js';
import { actionProblems, CardRenderer, type CardName, type CardViews } from '../../bot/teams/cards.js';
import { LocalAdapter } from '../../bot/teams/localAdapter.js';
import { unansweredView } from '../../bot/teams/features/questions/questionFeedbackFeature.js';
import { activitiesView } from '../../bot/teams/views.js';
import { channelMessage, invoke, person, personalMessage, type Person } from '../support/activities.js';
import { sharedAssets } from '../support/botServer.js';
import { validateCard } from '../support/cardSchema.js';
import { fitAnswer, readReplies, type Reply } from '../support/conversation.js';

type Card = Record<string, unknown>;
type Node = Record<string, unknown>;

/** One card the bot rendered, with the scripted step that made it and the view it was bound to. */
interface Rendered {
  name: string;
  step: string;
  view: unknown;
  card: Card;
}

const CARDS_DIR = new URL('../../cards/', import.meta.url);
/** Every template on disk, so a new template is checked (and must get a fixture) automatically. */
const TEMPLATES = readdirSync(CARDS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

const MAX_CARD_BYTES = 28 * 1024;
const MAX_VERSION = [1, 5] as const;
const SHORT_TEXT = 40;

// ---------------------------------------------------------------------------------------------------------
// The scripted conversation: a bot whose renderer records every card it renders
// ---------------------------------------------------------------------------------------------------------

async function recordingBot() {
  const assets = await sharedAssets();
  const cards = await CardRenderer.load(fileURLToPath(CARDS_DIR), REQUIRED_CARDS);
  const rendered: Rendered[] = [];
  let step = 'start';
  const render = cards.render.bind(cards);
  cards.render = <K extends CardName>(name: K, view: CardViews[K]) => {
    const r = render(name, view);
    rendered.push({ name, step, view, card: r.card });
    return r;
  };
  let now = new Date('2026-11-16T09:00:00Z');
  const app: App = createApp({
    assets: { ...assets, cards },
    storage: new MemoryStorage(),
    log: createLogger('silent'),
    clock: () => now,
    exportLink: (id) => `https://bot.example.test/api/export?token=${encodeURIComponent(id)}`,
    questionLog: {
      owners: [person('cardfixtures').aadObjectId],
      csvLink: (id) => `https://bot.example.test/api/unanswered.csv?token=${encodeURIComponent(id)}`,
    },
  });
  const adapter = new LocalAdapter();
  const send = async (label: string, activity: Partial<Activity>): Promise<Reply[]> => {
    step = label;
    const result = await adapter.turn(activity, (ctx) => app.bot.run(ctx));
    if (activity.type === 'invoke') assert.equal(result.invokeResponse?.status, 200, label);
    return readReplies(result);
  };
  return {
    app,
    cards,
    rendered,
    send,
    setNow(d: Date) {
      now = d;
    },
  };
}

type RecordingBot = Awaited<ReturnType<typeof recordingBot>>;

function lastCard(replies: Reply[], label: string): Reply {
  const r = replies.at(-1);
  assert.ok(r?.card, `${label}: the bot answered with a card`);
  return r;
}

async function press(
  bot: RecordingBot,
  who: Person,
  card: Reply,
  title: string,
  label: string,
  inputs: Record<string, string> = {},
): Promise<Reply> {
  const b = card.buttons.find((x) => x.title === title);
  assert.ok(b, `${label}: button "${title}" (have: ${card.buttons.map((x) => x.title).join(', ')})`);
  assert.equal(b.kind, 'execute');
  return lastCard(await bot.send(label, invoke(who, b.verb!, { ...b.data, ...inputs })), label);
}

function rate(card: Reply, pick: (index: number) => string): Record<string, string> {
  const out: Record<string, string> = {};
  card.inputs
    .filter((i) => i.id.startsWith('rating:'))
    .forEach((i, n) => (out[i.id] = fitAnswer(i, pick(n))));
  return out;
}

/** Walks a trainee assessment from the given card to its results card, rating with `pick`. */
async function walkToResults(
  bot: RecordingBot,
  who: Person,
  start: Reply,
  name: string,
  pick: (card: Reply, cardIndex: number, statementIndex: number) => string,
): Promise<Reply> {
  let card = start;
  for (let n = 0; n < 60; n += 1) {
    const isLast = card.buttons.some((b) => b.title === 'Finish');
    const label = isLast ? `assessResults: ${name} finished` : `assessStep: ${name}, card ${n + 2}`;
    const inputs = rate(card, (i) => pick(card, n, i));
    if (n === 3) inputs.note = 'Audited 40 day-case episodes with the team lead in October.';
    card = await press(bot, who, card, isLast ? 'Finish' : 'Next', label, inputs);
    // Left unanswered: the card comes back naming them, and the coder carries on anyway.
    const anyway = card.buttons.find((b) => b.title === 'Continue' || b.title === 'Finish anyway');
    if (anyway) card = await press(bot, who, card, anyway.title, `${label}, leaving some for later`);
    if (isLast) return card;
  }
  throw new Error(`${name}: no Finish button after 60 cards`);
}

/** The conversation a coder and a team have with the bot, touching every card the bot can send. */
async function scriptedConversation(): Promise<{ bot: RecordingBot; rendered: Rendered[] }> {
  const bot = await recordingBot();
  const coder = person('cardfixtures');
  const newcomer = person('cardnewcomer');
  const say = (label: string, text: string, who: Person = coder) =>
    bot.send(label, personalMessage(who, text));

  await bot.send('welcome: personal install', {
    ...personalMessage(coder, ''),
    type: 'installationUpdate',
    action: 'add',
    text: undefined,
  });
  await bot.send('notice: installed in a team', {
    ...channelMessage(coder, ''),
    type: 'installationUpdate',
    action: 'add',
    text: undefined,
    entities: [],
  });
  await say('help: /help', '/help');
  await say('help: unknown command', '/frobnicate now');
  await bot.send('help: in a channel', channelMessage(coder, '/help'));
  await say('competency: /areas', '/areas');
  await say('competency: /competency CC2', '/competency CC2');
  await say('competency: /competency CC2d', '/competency CC2d');
  await say('notice: /competency CC9', '/competency CC9');
  await say('activities: /activities CC3', '/activities CC3');
  await say('activities: /activities CC5 trainee', '/activities CC5 trainee');
  await say('activities: /activities with no results yet', '/activities', newcomer);
  await say('answer: what is SPC', 'what is SPC');
  await say('answer: who can apply for CCAP', 'who can apply for CCAP?');
  await say('answer: no answer', 'purple elephants juggling quantum marmalade');
  await bot.send(
    'answer: an answer marked not helpful',
    invoke(coder, 'answer.feedback', { helpful: 'no', q: 'who can apply for CCAP?' }),
  );
  await bot.send(
    'answer: the same answer marked not helpful again',
    invoke(coder, 'answer.feedback', { helpful: 'no', q: 'Who can apply for CCAP' }),
  );
  await bot.send(
    'answer: an answer marked helpful',
    invoke(coder, 'answer.feedback', { helpful: 'yes', q: 'what is SPC' }),
  );
  await say('unanswered: /unanswered for a content owner', '/unanswered');
  await say('notice: /unanswered for someone else', '/unanswered', newcomer);
  await say('notice: /ask with no question', '/ask');
  await say('notice: /results before any assessment', '/results');
  await say('notice: /gaps before any assessment', '/gaps');
  await bot.send('notice: /assess in a channel', channelMessage(coder, '/assess'));

  // Eligibility: pick a programme, a form with errors, a result, answers kept, a rule question, clearing.
  const pick = lastCard(await say('eligibilityResult: /eligibility', '/eligibility'), 'eligibility');
  const ccap = await press(bot, coder, pick, 'CCAP', 'eligibilityForm: CCAP, nothing saved');
  const wrong = await press(bot, coder, ccap, 'Check', 'eligibilityForm: CCAP with a contradiction', {
    hasAcc: 'yes',
    accDate: '2019-01-10',
    ccsrcDate: '2025-06-01',
    'ccsrcDate:none': 'true',
  });
  const verdict = await press(bot, coder, wrong, 'Check', 'eligibilityResult: CCAP checked', {
    hasAcc: 'yes',
    accDate: '2019-01-10',
    ccsrcDate: '2021-03-01',
    'ccsrcDate:none': 'false',
    specialties: 'general-medicine,surgical',
    codingStandardsExpertise: 'yes',
    wordPowerPoint: 'unknown',
    codersToolbox: 'yes',
    reportWritingCourse: 'no',
  });
  await press(bot, coder, verdict, 'Change answers', 'eligibilityForm: CCAP, answers saved');
  const apprenticeship = await press(
    bot,
    coder,
    await press(bot, coder, verdict, 'Another programme', 'eligibilityResult: another programme'),
    'Level 3 apprenticeship',
    'eligibilityForm: apprenticeship',
  );
  await press(bot, coder, apprenticeship, 'Check', 'eligibilityResult: apprenticeship checked', {
    level2English: 'working-towards',
    level2Maths: 'yes',
    ehcPlan: 'no',
    bslPrimaryLanguage: 'no',
  });
  await press(bot, coder, apprenticeship, 'Clear answers', 'eligibilityForm: answers cleared');
  await say('eligibilityResult: a rule question', '/eligibility can I apply for CCTP?');

  // A trainee self-assessment: first card, a middle card with ratings, back, stale, save, resume.
  const choice = lastCard(await say('assessChoice: first /assess', '/assess'), 'first /assess');
  const first = await press(bot, coder, choice, 'Trainee auditor', 'assessStep: first card');
  const second = await press(
    bot,
    coder,
    first,
    'Next',
    'assessStep: card 2',
    rate(first, (i) => RATINGS[i % 4]!),
  );
  const third = await press(
    bot,
    coder,
    second,
    'Next',
    'assessStep: card 3',
    rate(second, (i) => RATINGS[(i + 1) % 4]!),
  );
  const back = await press(bot, coder, third, 'Back', 'assessStep: back to card 2, ratings filled');
  await press(bot, coder, first, 'Next', 'assessStep: stale first card pressed again');
  await press(bot, coder, back, 'Save and finish later', 'notice: step saved', {
    ...rate(back, (i) => RATINGS[(i + 2) % 4]!),
    note: 'Shadowed an approved auditor on two audits.',
  });
  const resume = lastCard(await say('assessChoice: /assess in progress', '/assess'), 'resume');
  const restartAsk = await press(bot, coder, resume, 'Start over', 'assessChoice: start over?');
  const kept = await press(bot, coder, restartAsk, 'Keep my answers', 'assessStep: kept answers');

  // Finish it with a mix of ratings (and some left unanswered), then read results and gaps.
  await walkToResults(bot, coder, kept, 'first assessment', (_card, n, i) =>
    i === 0 && n % 5 === 4 ? '' : RATINGS[(n + i) % 4]!,
  );
  await say('assessResults: /results', '/results');
  await say('activities: /gaps', '/gaps');
  await say('activities: /activities with results', '/activities');

  // A month later a second assessment, so the results show what changed since the first.
  bot.setNow(new Date('2026-12-16T09:00:00Z'));
  const again = lastCard(await say('assessChoice: /assess after a completed one', '/assess'), 'again');
  const start2 = await press(bot, coder, again, 'Trainee auditor', 'assessStep: second assessment, first');
  await walkToResults(bot, coder, start2, 'second assessment', (card, n, i) =>
    /^CC4 /m.test(card.text) ? 'developing' : RATINGS[2 + ((n + i) % 2)]!,
  );
  await say('assessResults: /results after two', '/results');
  // Reminders: a reassessment to come from the completed assessments, eligibility dates from the answers.
  const reminders = lastCard(await say('reminders: /reminders', '/reminders'), 'reminders');
  const off = await press(bot, coder, reminders, 'Turn off: Time to reassess', 'reminders: one kind off');
  await press(bot, coder, off, 'Turn on: Time to reassess', 'reminders: turned on again');
  // Line managers: naming one (picker, then @mention), their consent, the digest, team view, export.
  const manager = {
    id: '29:card-manager',
    name: 'Morgan Lead',
    aadObjectId: '00000000-0000-4000-8000-0000000000aa',
  };
  lastCard(await say('managerPicker: /manager with no link', '/manager'), 'managerPicker');
  const confirm = lastCard(
    await bot.send('choice: confirm sharing', {
      ...personalMessage(coder, `/manager <at>${manager.name}</at>`),
      entities: [
        {
          type: 'mention',
          text: `<at>${manager.name}</at>`,
          mentioned: { id: manager.id, name: manager.name },
        },
      ],
    }),
    'choice: confirm sharing',
  );
  await press(bot, coder, confirm, `Yes, share with ${manager.name}`, 'choice: waiting for the manager');
  const coderKey = coder.aadObjectId;
  await bot.send('notice: manager accepts', invoke(manager, 'manager.respond', { coderKey, accept: true }));
  // A third assessment, now shared: the manager reviews it area by area and the coder sees both sides.
  bot.setNow(new Date('2027-01-20T09:00:00Z'));
  const third3 = lastCard(await say('assessChoice: /assess once shared', '/assess'), 'shared');
  const start3 = await press(bot, coder, third3, 'Trainee auditor', 'assessStep: shared assessment, first');
  await walkToResults(bot, coder, start3, 'shared assessment', (_card, n, i) => RATINGS[1 + ((n + i) % 3)]!);
  const reviewCard = lastCard(
    await bot.send('review: manager /review', personalMessage(manager, '/review')),
    'review',
  );
  const firstSub = reviewCard.inputs.find((x) => x.id.startsWith('verdict:'))!.id;
  const needsComment = await press(
    bot,
    manager,
    reviewCard,
    'Save and next',
    'review: a rating without a comment',
    {
      [firstSub]: 'developing',
    },
  );
  const area2 = await press(bot, manager, needsComment, 'Save and next', 'review: second area', {
    [firstSub]: 'developing',
    [firstSub.replace('verdict:', 'comment:')]: 'Needs more practice with audit sampling.',
  });
  await press(bot, manager, area2, 'Agree to all the rest', 'notice: review done');
  const reviewed = lastCard(await say('assessResults: /results with the review', '/results'), 'reviewed');
  await press(bot, coder, reviewed, 'Show more', 'assessResults: /results with the review, Show more');
  // The development plan: the coder proposes, the manager picks the coder and confirms, done with a note.
  const plan = lastCard(await say('plan: the coder’s /plan', '/plan'), 'plan');
  await press(bot, coder, plan, 'Add to plan', 'plan: proposed', {
    activityId: plan.inputs.find((x) => x.id === 'activityId')!.value!,
    targetDate: '2027-02-15',
    owner: 'coder',
  });
  const whose = lastCard(await bot.send('choice: manager /plan', personalMessage(manager, '/plan')), 'whose');
  const managersView = await press(bot, manager, whose, coder.name, 'plan: the manager’s view');
  const agreed = await press(bot, manager, managersView, 'Confirm', 'plan: agreed');
  const noteId = agreed.inputs.find((x) => x.id.startsWith('note:'))!.id;
  await press(bot, manager, agreed, 'Mark done', 'plan: done', { [noteId]: 'Observed two audits.' });
  await bot.send('digest: manager /digest', personalMessage(manager, '/digest'));
  await bot.send('digest: manager /team', personalMessage(manager, '/team'));
  await bot.send('links: manager /export', personalMessage(manager, '/export'));
  await bot.send('digest: coder previews what the manager sees', invoke(coder, 'manager.preview', {}));
  await bot.send('choice: coder /manager with a link', personalMessage(coder, '/manager'));
  return { bot, rendered: bot.rendered };
}

// ---------------------------------------------------------------------------------------------------------
// Checks on one expanded card; each returns what is wrong, [] when nothing
// ---------------------------------------------------------------------------------------------------------

function* walk(node: unknown, path = ''): Generator<{ path: string; node: Node }> {
  if (Array.isArray(node)) {
    for (const [i, c] of node.entries()) yield* walk(c, `${path}/${i}`);
  } else if (node && typeof node === 'object') {
    yield { path: path || '/', node: node as Node };
    for (const [k, v] of Object.entries(node)) yield* walk(v, `${path}/${k}`);
  }
}

function* strings(node: unknown, path = ''): Generator<{ path: string; value: string }> {
  if (typeof node === 'string') yield { path: path || '/', value: node };
  else if (Array.isArray(node)) for (const [i, c] of node.entries()) yield* strings(c, `${path}/${i}`);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k.includes('${')) yield { path: `${path}/${k}`, value: k };
      yield* strings(v, `${path}/${k}`);
    }
}

const typed = (card: Card, test: (type: string) => boolean) =>
  [...walk(card)].filter((x) => typeof x.node.type === 'string' && test(x.node.type));

interface CheckContext {
  verbs: Set<string>;
}

const CHECKS: { behaviour: string; check: (card: Card, ctx: CheckContext) => string[] }[] = [
  {
    behaviour: 'leaves no ${…} binding unexpanded',
    check: (card) => {
      const left = [...strings(card)].filter((s) => s.value.includes('${'));
      const whole = JSON.stringify(card).includes('${') && left.length === 0 ? ['"${" in the JSON'] : [];
      return [...left.map((s) => `${s.path}: ${JSON.stringify(s.value)}`), ...whole];
    },
  },
  {
    behaviour: 'declares Adaptive Card version 1.5 or lower and a non-empty fallbackText',
    check: (card) => {
      const out: string[] = [];
      if (card.type !== 'AdaptiveCard') out.push(`type is ${String(card.type)}`);
      const m = typeof card.version === 'string' ? /^(\d+)\.(\d+)$/.exec(card.version) : null;
      const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
      if (!m || major > MAX_VERSION[0] || (major === MAX_VERSION[0] && minor > MAX_VERSION[1]))
        out.push(`version ${JSON.stringify(card.version)} is not 1.5 or lower`);
      if (typeof card.fallbackText !== 'string' || !card.fallbackText.trim())
        out.push(`fallbackText is ${JSON.stringify(card.fallbackText)}`);
      return out;
    },
  },
  {
    behaviour: 'validates against the Adaptive Card 1.5 schema',
    check: (card) => validateCard(card).map((e) => `${e.path} (${e.type}): ${e.message}`),
  },
  {
    behaviour: 'gives every input a non-empty label',
    check: (card) =>
      typed(card, (t) => t.startsWith('Input.'))
        .filter(({ node }) => typeof node.label !== 'string' || !node.label.trim())
        .map(({ path, node }) => `${path} ${String(node.type)} "${String(node.id)}" has no label`),
  },
  {
    behaviour: 'only sends Action.Execute verbs the bot handles',
    check: (card, { verbs }) =>
      typed(card, (t) => t === 'Action.Execute')
        .filter(({ node }) => typeof node.verb !== 'string' || !verbs.has(node.verb))
        .map(
          ({ path, node }) =>
            `${path} "${String(node.title)}" sends unhandled verb ${JSON.stringify(node.verb)}`,
        ),
  },
  {
    behaviour: 'only submits commands the command table knows, or verbs the bot handles',
    check: (card, { verbs }) => {
      const out: string[] = [];
      for (const { path, node } of typed(card, (t) => t === 'Action.Submit')) {
        const data = node.data as { command?: unknown; verb?: unknown } | undefined;
        if (typeof data?.verb === 'string') {
          if (!verbs.has(data.verb))
            out.push(`${path} "${String(node.title)}" submits unhandled verb ${data.verb}`);
          continue;
        }
        const command = data?.command;
        const match = typeof command === 'string' ? matchCommand(command) : undefined;
        if (!match || match.name === 'unknown')
          out.push(`${path} "${String(node.title)}" submits ${JSON.stringify(command)}, which is no command`);
      }
      return out;
    },
  },
  {
    behaviour: 'uses only buttons that work in Teams and the Agents Playground (no msteams messageBack)',
    check: (card) => [
      ...actionProblems(card),
      ...[...walk(card)].filter(({ node }) => 'msteams' in node).map(({ path }) => `${path} carries msteams`),
    ],
  },
  {
    behaviour: `stays under ${MAX_CARD_BYTES / 1024} KB of JSON`,
    check: (card) => {
      const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
      return bytes < MAX_CARD_BYTES ? [] : [`${bytes} bytes`];
    },
  },
  {
    behaviour: `wraps every text except bars and figures shorter than ${SHORT_TEXT} characters`,
    check: (card) =>
      typed(card, (t) => t === 'TextBlock')
        .filter(({ node }) => typeof node.text === 'string' && node.text.trim() !== '')
        .filter(({ node }) => node.wrap !== true && String(node.text).length >= SHORT_TEXT)
        .map(({ path, node }) => `${path} does not wrap ${JSON.stringify(node.text)}`),
  },
];

function allProblems(card: Card, ctx: CheckContext): string[] {
  return CHECKS.flatMap((c) => c.check(card, ctx).map((p) => `${c.behaviour}: ${p}`));
}

// ---------------------------------------------------------------------------------------------------------

const textsOf = (card: Card) => typed(card, (t) => t === 'TextBlock').map(({ node }) => String(node.text));
const choiceSets = (card: Card) => typed(card, (t) => t === 'Input.ChoiceSet').map((x) => x.node);
const actionTitles = (card: Card) => ((card.actions as Node[] | undefined) ?? []).map((a) => String(a.title));

describe('card templates', function () {
  let fixtures: Rendered[] = [];
  let ctx: CheckContext;
  let bot: RecordingBot;

  before(async function () {
    this.timeout(120_000);
    const run = await scriptedConversation();
    bot = run.bot;
    fixtures = run.rendered;
    ctx = { verbs: new Set(bot.app.bot.handledVerbs()) };
  });

  const of = (name: string) => fixtures.filter((f) => f.name === name);
  const byStep = (step: string) => {
    const found = fixtures.filter((f) => f.step === step);
    assert.ok(found.length, `the script rendered a card at "${step}"`);
    return found.at(-1)!;
  };

  it('every template in cards/ is rendered by the scripted conversation', () => {
    assert.ok(TEMPLATES.length > 0, 'cards/ has templates');
    const rendered = new Set(fixtures.map((f) => f.name));
    const never = TEMPLATES.filter((t) => !rendered.has(t));
    assert.deepEqual(never, [], `templates with no fixture (add one to the script): ${never.join(', ')}`);
    const unknown = [...rendered].filter((n) => !TEMPLATES.includes(n));
    assert.deepEqual(unknown, [], 'the bot renders only templates that exist in cards/');
  });

  for (const template of TEMPLATES) {
    describe(`${template}.json`, () => {
      for (const { behaviour, check } of CHECKS) {
        it(behaviour, () => {
          const renders = of(template);
          assert.ok(renders.length > 0, `${template} was never rendered by the scripted conversation`);
          const problems = renders.flatMap((r) => check(r.card, ctx).map((p) => `[${r.step}] ${p}`));
          assert.deepEqual(problems, []);
        });
      }
    });
  }

  describe('what the cards show', () => {
    it('welcomes a coder who installs the bot personally, and greets a team with a notice', () => {
      const welcome = byStep('welcome: personal install');
      assert.equal(welcome.name, 'welcome');
      assert.match(textsOf(welcome.card)[0] ?? '', /^Welcome to /);
      assert.equal(byStep('notice: installed in a team').name, 'notice');
    });

    it('answers a known question with a quote and its source, and an unknown one by saying so', () => {
      const answer = byStep('answer: what is SPC');
      assert.equal(answer.name, 'answer');
      assert.ok(textsOf(answer.card).some((t) => /Statistical Process Control/.test(t)));
      assert.ok(textsOf(answer.card).some((t) => t.startsWith('Source: ')));
      const none = byStep('answer: no answer');
      assert.equal(none.name, 'answer');
      assert.match(textsOf(none.card).join('\n'), /won't guess/);
    });

    it('/unanswered shows a content owner the kept questions, a CSV link and how to add an example', () => {
      const card = byStep('unanswered: /unanswered for a content owner');
      assert.equal(card.name, 'unanswered');
      const view = card.view as CardViews['unanswered'];
      assert.deepEqual(
        view.rows.map((r) => r.question),
        // /competency CC9 asked about a CC9 that does not exist; ties are in alphabetical order.
        ['who can apply for CCAP?', 'CC9', 'purple elephants juggling quantum marmalade'],
      );
      const texts = textsOf(card.card);
      for (const r of view.rows) assert.ok(texts.includes(r.question) && texts.includes(r.meta), r.question);
      assert.ok(texts.some((t) => t.includes('data/questionVocabulary.json')));
      const actions = card.card.actions as Node[];
      assert.deepEqual(
        actions.map((a) => [a.type, a.title]),
        [['Action.OpenUrl', 'Download CSV']],
      );
      assert.match(String(actions[0]!.url), /^https:\/\/bot\.example\.test\/api\/unanswered\.csv\?token=/);
      const refused = byStep('notice: /unanswered for someone else');
      assert.equal(refused.name, 'notice');
      assert.match(textsOf(refused.card).join('\n'), /for content owners/);
    });

    it('the step card names its area and sub-area, asks at most four statements with a compact control each, lowest first', () => {
      const steps = of('assessStep');
      assert.ok(steps.length > 30, 'two whole assessments were walked');
      let facts = 0;
      for (const s of steps) {
        const view = s.view as CardViews['assessStep'];
        const texts = textsOf(s.card);
        assert.match(view.areaTitle, /^CC[1-5] .+ · Trainee auditor$/, s.step);
        assert.ok(texts.includes(view.areaTitle), `${s.step}: shows the area`);
        assert.ok(texts.includes(view.title), `${s.step}: shows the sub-area`);
        assert.match(view.title, /^CC[1-5][a-z]? .+/, s.step);
        assert.match(
          view.progress,
          /^Card \d+ of \d+ · \d+ of 70 answered/,
          `${s.step}: progress at the top`,
        );
        assert.ok(texts.includes(view.answered), `${s.step}: progress beside the buttons too`);
        const sets = choiceSets(s.card);
        assert.equal(sets.length, view.statements.length, `${s.step}: one ChoiceSet per statement`);
        assert.ok(sets.length >= 1 && sets.length <= 4, `${s.step}: ${sets.length} statements on a card`);
        for (const [i, set] of sets.entries()) {
          const choices = set.choices as { title: string; value: string }[];
          const fact = choices.some((c) => c.value === 'yes');
          if (fact) {
            facts += 1;
            assert.deepEqual(
              choices.map((c) => c.title),
              ['Yes', 'No', 'Not sure'],
            );
          } else {
            assert.deepEqual(
              choices.map((c) => c.value),
              [...RATINGS],
            );
            assert.deepEqual(
              choices.map((c) => c.title),
              RATINGS.map((r) => RATING_LABELS[r]),
            );
          }
          assert.equal(
            set.style,
            fact ? 'expanded' : 'compact',
            `${s.step}: a compact control per statement`,
          );
          assert.notEqual(set.isMultiSelect, true);
          assert.equal(set.label, view.statements[i]!.label, `${s.step}: the statement is the label`);
          assert.match(set.label, /^\d\. /, 'numbered, so a message can name it');
          assert.equal(set.id, view.statements[i]!.inputId);
        }
      }
      assert.ok(facts >= 2, 'the ACC and refresher course statements are asked Yes / No / Not sure');
    });

    it('Next with statements unanswered names them and offers to continue anyway', () => {
      const held = fixtures.filter(
        (f) => f.name === 'assessStep' && (f.view as CardViews['assessStep']).leaveUnanswered,
      );
      assert.ok(held.length > 0, 'the walk left some statements unanswered');
      for (const h of held) {
        const view = h.view as CardViews['assessStep'];
        assert.match(
          view.message,
          /^\d not answered yet \(numbers? [\d, and]+\): answer (it|them), or press (Continue|Finish anyway) to leave (it|them) for later\.$/,
        );
        assert.ok(view.statements.some((st) => st.flagged));
        assert.ok(textsOf(h.card).includes('Not answered yet'));
        assert.match(view.nextTitle, /^(Continue|Finish anyway)$/);
      }
    });

    it('the first step card has no Back button, a card returned to keeps its ratings, the last offers Finish', () => {
      const first = byStep('assessStep: first card');
      const titles = (c: Card) =>
        typed(c, (t) => t === 'Action.Execute').map(({ node }) => String(node.title));
      assert.deepEqual(titles(first.card), ['Next', 'Skip this card', 'Save and finish later']);
      const back = byStep('assessStep: back to card 2, ratings filled');
      assert.deepEqual(titles(back.card), ['Next', 'Back', 'Skip this card', 'Save and finish later']);
      const values = choiceSets(back.card).map((c) => c.value);
      assert.ok(values.length > 0);
      for (const v of values)
        assert.ok((RATINGS as readonly unknown[]).includes(v), `rating kept: ${String(v)}`);
      const lastSteps = of('assessStep').filter(
        (s) => (s.view as CardViews['assessStep']).nextAction === 'finish',
      );
      assert.ok(lastSteps.length >= 2, 'the last card of each assessment was rendered');
      for (const s of lastSteps) assert.match(titles(s.card)[0]!, /^Finish/);
    });

    it('the step buttons carry the assessment id, revision, sub-area and part the bot checks', () => {
      for (const s of of('assessStep')) {
        const view = s.view as CardViews['assessStep'];
        for (const { node: a } of typed(s.card, (t) => t === 'Action.Execute')) {
          const data = a.data as Record<string, unknown>;
          assert.equal(data.assessmentId, view.assessmentId);
          assert.equal(Number(data.revision), view.revision);
          assert.equal(data.subAreaId, view.subAreaId);
          assert.equal(Number(data.part), view.part);
          assert.match(String(data.action), /^(next|back|skip|save|finish)$/);
        }
      }
    });

    it('a stale step card comes back with the reason shown above the questions', () => {
      const stale = byStep('assessStep: stale first card pressed again');
      assert.equal(stale.name, 'assessStep');
      const first = (stale.card.body as Node[])[0]!;
      assert.equal(first.type, 'TextBlock');
      assert.equal(first.color, 'Attention');
      assert.ok(String(first.text).length > 0);
      const normal = byStep('assessStep: card 3');
      assert.notEqual((normal.card.body as Node[])[0]!.color, 'Attention', 'no message when all is well');
    });

    it('the assessment choice offers trainee or approved, then resume or start over, then a confirmation', () => {
      assert.deepEqual(actionTitles(byStep('assessChoice: first /assess').card), [
        'Trainee auditor',
        'Approved auditor',
      ]);
      assert.deepEqual(actionTitles(byStep('assessChoice: /assess in progress').card), [
        'Resume',
        'Start over',
      ]);
      assert.deepEqual(actionTitles(byStep('assessChoice: start over?').card), [
        'Start over: trainee auditor',
        'Start over: approved auditor',
        'Keep my answers',
      ]);
    });

    it('the results card leads with the three biggest gaps and what to do, then area bars; the rest behind Show more', () => {
      const results = of('assessResults');
      const firstResults = results.find((r) => r.step.startsWith('assessResults: first assessment finished'));
      const secondResults = results.find((r) =>
        r.step.startsWith('assessResults: second assessment finished'),
      );
      assert.ok(firstResults && secondResults, 'both assessments ended on their results card');
      const v1 = firstResults.view as CardViews['assessResults'];
      assert.equal(v1.changes.length, 0);
      assert.equal(v1.focus.length, 3);
      for (const f of v1.focus) {
        assert.match(f.gap, /^Gap: CC\d/, 'a gap says "gap", not only a colour');
        assert.match(f.activity, /^Your manager can: /);
      }
      assert.ok(
        v1.focus.some((f) => /^Read: \[.+\]\(https:\/\//.test(f.resource)),
        'a resource is a link',
      );
      assert.ok(v1.gaps.length > 0, 'the mixed ratings leave gaps');
      assert.match(
        v1.subtitle,
        / · \d+ not answered or not sure$/,
        'statements left unanswered are counted apart',
      );
      assert.equal(v1.areas.length, 5);
      for (const a of v1.areas) {
        assert.match(a.bar, /^[●○]{10}$/);
        assert.match(a.figure, /^\d+% met/, 'the figure says what the colour means');
      }
      assert.equal(v1.expanded, false, 'every gap and the strengths wait behind Show more');
      assert.ok(!textsOf(firstResults.card).some((t) => t.startsWith('Strength: ')));
      const opened = bot.cards.render('assessResults', { ...v1, expanded: true }).card;
      const texts = textsOf(opened);
      assert.ok(v1.gaps.every((g) => g.statements.every((st) => texts.includes(st.text))));
      assert.ok(v1.gaps.every((g) => g.statements.every((st) => st.text.startsWith('Gap: '))));
      assert.ok(v1.strengths.every((st) => st.text.startsWith('Strength: ')));
      assert.equal(actionTitles(firstResults.card)[0], 'Show more');

      const v2 = secondResults.view as CardViews['assessResults'];
      assert.equal(v2.changes.length, 1);
      assert.match(v2.changes[0]!.text, /^Since 16 November 2026: \d+ gaps? closed, \d+ new gaps?/);
      assert.ok(textsOf(secondResults.card).includes(v2.changes[0]!.text));
    });

    it('/gaps leads with the three biggest gaps, the most specific activity each, the full list behind a button', () => {
      const gaps = byStep('activities: /gaps');
      assert.equal(gaps.name, 'activities');
      const view = gaps.view as CardViews['activities'];
      assert.equal(view.title, 'Your gaps and what your line manager can do');
      assert.equal(view.focus.length, 3);
      const activities = view.focus.map((f) => f.activity);
      assert.equal(new Set(activities).size, 3, 'a different activity for each gap');
      assert.ok(
        !activities.some((a) => /Review and consider courses/.test(a)),
        'not the generic one for all areas',
      );
      assert.equal(view.listLabel, 'All activities for my gaps');
      assert.match(view.listHeading, /^All \d+ gaps, by sub-area: /);
      assert.ok(view.activities.length > 0);
      assert.ok(view.activities.every((a) => /for your gaps in /.test(a.meta)));
      assert.ok(
        view.pages.some((p) => p.title === 'More' && p.mine),
        'the rest of the list a page at a time',
      );
    });

    it('the eligibility form shows errors above the questions, keeps saved answers and confirms a clear', () => {
      const wrong = byStep('eligibilityForm: CCAP with a contradiction');
      const top = (wrong.card.body as Node[])[0]!;
      assert.equal(top.color, 'Attention');
      assert.match(String(top.text), /not both/);
      const saved = byStep('eligibilityForm: CCAP, answers saved');
      const hasAcc = typed(saved.card, (t) => t === 'Input.ChoiceSet').find(
        ({ node }) => node.id === 'hasAcc',
      );
      assert.equal(hasAcc?.node.value, 'yes', 'a saved answer is filled in');
      const cleared = byStep('eligibilityForm: answers cleared');
      assert.equal((cleared.card.body as Node[])[0]!.color, 'Accent');
      const result = byStep('eligibilityResult: CCAP checked');
      assert.equal(result.name, 'eligibilityResult');
      const view = result.view as CardViews['eligibilityResult'];
      const statuses = view.rows.map((r) => r.status);
      assert.ok(statuses.includes('Missing') && !statuses.includes('Met'), statuses.join(', '));
      assert.match(view.metLine, /^Met: /, 'what is met, in one line; the rows behind Show all details');
      assert.equal(view.allLabel, 'Show all details');
    });

    it('/reminders lists each kind with what is coming and when, and a switch returns the card with it off', () => {
      const v = byStep('reminders: /reminders').view as CardViews['reminders'];
      assert.deepEqual(
        v.kinds.map((k) => [k.name, k.state]),
        [
          ['Unfinished self-assessment', 'On'],
          ['Time to reassess', 'On'],
          ['Eligibility dates', 'On'],
          ['Refresher course lapsing', 'On'],
          ['Development plan dates', 'On'],
        ],
      );
      const reassess = v.kinds.find((k) => k.kind === 'reassessment')!;
      assert.deepEqual(reassess.items, [
        { text: '16 June 2027: a new self-assessment, 6 months after 16 December 2026' },
      ]);
      assert.match(
        v.intro,
        /at most one a day and 3 a week, Monday to Friday, 09:00 to 17:00 where you are \(Europe\/London\)/,
      );
      const offView = byStep('reminders: one kind off').view as CardViews['reminders'];
      assert.match(offView.message, /Time to reassess: off/);
      const turnedOff = offView.kinds.find((k) => k.kind === 'reassessment')!;
      assert.equal(turnedOff.state, 'Off');
      assert.deepEqual(turnedOff.items, []);
      assert.equal(turnedOff.switchTitle, 'Turn on: Time to reassess');
    });

    it('each card check reports a card built to break it', () => {
      const broken: Card = {
        type: 'AdaptiveCard',
        version: '1.6',
        fallbackText: ' ',
        body: [
          { type: 'TextBlock', text: '${title}', color: 'Red' },
          { type: 'TextBlock', text: 'A sentence long enough that it has to wrap on a phone screen.' },
          { type: 'Input.Text', id: 'note' },
          { type: 'TextBlock', text: 'x'.repeat(MAX_CARD_BYTES), wrap: true },
        ],
        actions: [
          { type: 'Action.Execute', title: 'Go', verb: 'assess.nowhere' },
          { type: 'Action.Submit', title: 'Do', data: { command: '/frobnicate' } },
          {
            type: 'Action.Submit',
            title: 'Help',
            data: { command: '/help', msteams: { type: 'messageBack', text: '/help' } },
          },
        ],
      };
      for (const { behaviour, check } of CHECKS)
        assert.ok(check(broken, ctx).length > 0, `the check "${behaviour}" finds nothing`);
      const schema = validateCard(broken);
      assert.ok(
        schema.some((e) => e.path === '/body/0' && /color/.test(e.message)),
        JSON.stringify(schema),
      );
    });
  });

  describe('charts, with the text bars as their fallback', () => {
    const charts = (card: Card, type: string) => typed(card, (t) => t === type).map(({ node }) => node);
    const fallbackTexts = (chart: Node) => textsOf(chart.fallback as Card);
    type Series = { legend: string; values: { x: string; y: number }[] }[];
    /** A renderer of its own, so that cards drawn here do not join the recorded fixtures. */
    let plain: CardRenderer;
    before(async () => {
      plain = await CardRenderer.load(fileURLToPath(CARDS_DIR));
    });

    it('/results charts each area’s share met; the fallback text bars and the sentence beside it say the same', () => {
      const results = byStep('assessResults: /results');
      const view = results.view as CardViews['assessResults'];
      const [chart, ...more] = charts(results.card, 'Chart.HorizontalBar');
      assert.ok(chart && more.length === 0, 'one bar chart');
      const bars = chart.data as { x: string; y: number }[];
      assert.deepEqual(
        bars.map((b) => b.x.split(' ')[0]),
        ['CC1', 'CC2', 'CC3', 'CC4', 'CC5'],
      );
      const fallback = fallbackTexts(chart);
      for (const [i, b] of bars.entries()) {
        const row = view.areas[i]!;
        assert.ok(fallback.includes(row.label), row.label);
        const figure = fallback.find((t) => t === row.figure);
        assert.ok(figure, `the fallback shows ${row.label}'s figure`);
        assert.equal(Number(/^(\d+)% met/.exec(figure)?.[1]), b.y, `${b.x}: the bar and the figure agree`);
        assert.equal(fallback.filter((t) => /^[●○]{10}$/.test(t))[i], row.bar);
      }
      const lowest = bars.reduce((low, b) => (b.y < low.y ? b : low));
      const summary = textsOf(results.card).find((t) => / is your lowest area at /.test(t));
      assert.ok(summary, 'the chart in words beside it');
      assert.ok(summary.startsWith(`${lowest.x} is your lowest area at ${lowest.y}% met`), summary);
      assert.ok(!textsOf(chart).includes(summary), 'the sentence is outside the chart, for every client');
    });

    it('a coder with three completed assessments gets a line per area with three points in date order, behind Show more', () => {
      const once = byStep('assessResults: /results');
      const onceOpened = plain.render('assessResults', {
        ...(once.view as CardViews['assessResults']),
        expanded: true,
      }).card;
      assert.deepEqual(charts(onceOpened, 'Chart.Line'), [], 'one assessment draws no line');
      const thrice = byStep('assessResults: /results with the review');
      // Two charts would not fit a laptop screen: the line waits behind Show more, with all the gaps.
      assert.deepEqual(charts(thrice.card, 'Chart.Line'), []);
      const opened = byStep('assessResults: /results with the review, Show more').card;
      const [line] = charts(opened, 'Chart.Line');
      assert.ok(line, 'a line chart after the third assessment');
      const series = line.data as Series;
      assert.deepEqual(
        series.map((s) => s.legend),
        ['CC1', 'CC2', 'CC3', 'CC4', 'CC5'],
      );
      for (const s of series)
        assert.deepEqual(
          s.values.map((v) => v.x),
          ['2026-11-16', '2026-12-16', '2027-01-20'],
        );
      const rows = fallbackTexts(line);
      assert.equal(rows.length, 3, 'a row per assessment for clients without charts');
      rows.forEach((row, i) => {
        for (const s of series)
          assert.ok(row.includes(`${s.legend} ${s.values[i]!.y}%`), `${row} has ${s.legend}`);
      });
      assert.match(rows[0]!, /^16 November 2026: /);
      assert.match(rows[2]!, /^20 January 2027: /);
      // The latest point is the bar chart's bar: the same assessment, the same numbers.
      const bars = charts(thrice.card, 'Chart.HorizontalBar')[0]!.data as { x: string; y: number }[];
      assert.deepEqual(
        series.map((s) => s.values.at(-1)!.y),
        bars.map((b) => b.y),
      );
      const summary = textsOf(opened).find((t) => t.startsWith('Over your 3 completed self-assessments'));
      assert.ok(summary, 'the line in words');
    });

    it('behind Show more, a coder whose manager reviewed gets grouped bars of their share met and the manager’s', () => {
      const first = byStep('assessResults: /results with the review');
      assert.deepEqual(charts(first.card, 'Chart.VerticalBar.Grouped'), [], 'not on the first card');
      const opened = byStep('assessResults: /results with the review, Show more');
      const view = opened.view as CardViews['assessResults'];
      const [chart] = charts(opened.card, 'Chart.VerticalBar.Grouped');
      assert.ok(chart, 'grouped bars once the manager has reviewed');
      const [you, manager] = chart.data as Series;
      assert.equal(you?.legend, 'You');
      assert.equal(manager?.legend, 'Morgan Lead');
      assert.deepEqual(
        you.values.map((v) => v.y),
        view.areas.map((a) => a.percent),
        'the coder’s bars are the area bars',
      );
      // The manager rated CC1's first sub-area Developing and agreed with the rest.
      assert.ok(manager.values[0]!.y < you.values[0]!.y, 'CC1 is lower in the manager’s view');
      assert.deepEqual(
        manager.values.slice(1).map((v) => v.y),
        you.values.slice(1).map((v) => v.y),
      );
      const rows = fallbackTexts(chart);
      rows.forEach((row, i) => {
        assert.ok(row.includes(`you ${you.values[i]!.y}% met, Morgan Lead ${manager.values[i]!.y}%`), row);
      });
    });

    for (const step of ['digest: manager /digest', 'digest: manager /team']) {
      it(`${step.replace('digest: manager ', '')}: a bar per area of the team's gaps, the heat map's sums; its "Team" row as fallback`, () => {
        const digest = byStep(step);
        const view = digest.view as CardViews['digest'];
        assert.ok(view.heatMap.length > 0, 'a coder shares with the manager');
        const [chart] = charts(digest.card, 'Chart.HorizontalBar');
        assert.ok(chart, 'a bar chart for the team');
        const bars = chart.data as { x: string; y: number }[];
        assert.deepEqual(
          bars.map((b) => b.x.split(' ')[0]),
          view.areaIds,
        );
        const sums = view.areaIds.map((_, a) =>
          view.heatMap.reduce((n, r) => n + Number(r.cells[a]!.text), 0),
        );
        assert.deepEqual(
          bars.map((b) => b.y),
          sums,
          'each bar is the sum of its heat map column',
        );
        assert.deepEqual(
          fallbackTexts(chart),
          ['Team', ...sums.map(String)],
          'the fallback is the same totals',
        );
        const texts = textsOf(digest.card);
        for (const r of view.heatMap) assert.ok(texts.includes(r.name), `the heat map still names ${r.name}`);
        // The sentence under the chart names the areas with most gaps, with the bars' own totals.
        const named = [...view.teamLine.matchAll(/(CC\d) [^(]+\((\d+) coders?, (\d+) gaps\)/g)];
        assert.ok(named.length > 0, view.teamLine);
        for (const [, area, , gaps] of named)
          assert.equal(Number(gaps), sums[view.areaIds.indexOf(area!)], `${area} in words and in bars`);
        assert.ok(texts.includes(view.teamLine));
      });
    }

    it('the coder’s preview of the digest has no team chart', () => {
      const preview = byStep('digest: coder previews what the manager sees');
      assert.deepEqual(charts(preview.card, 'Chart.HorizontalBar'), []);
    });

    it('the schema check catches a misspelt chart property, a missing fallback, a fallback 1.5 does not know and an unknown chart', () => {
      const card = (chart: Node): Card => ({
        type: 'AdaptiveCard',
        version: '1.5',
        fallbackText: 'x',
        body: [chart],
      });
      const good = {
        type: 'Chart.VerticalBar',
        data: [{ x: 'CC1', y: 40 }],
        showBarValues: true,
        fallback: { type: 'TextBlock', text: 'CC1 40% met', wrap: true },
      };
      assert.deepEqual(validateCard(card(good)), []);
      const problems = (chart: Node) =>
        validateCard(card(chart)).map((e) => `${e.path} ${e.type}: ${e.message}`);
      assert.match(
        problems({ ...good, showBarValue: true }).join('\n'),
        /\/body\/0 Chart\.VerticalBar: .*"showBarValue"/,
      );
      assert.match(
        problems({ ...good, data: [{ x: 'CC1', y: '40%' }] }).join('\n'),
        /Chart\.VerticalBar: \/data\/0\/y must be number/,
      );
      assert.match(problems({ ...good, fallback: undefined }).join('\n'), /has no fallback element/);
      assert.match(
        problems({ ...good, fallback: { type: 'TextBlock', text: 'x', color: 'Green' } }).join('\n'),
        /\/body\/0 TextBlock: .*color/,
      );
      assert.match(problems({ ...good, type: 'Chart.Sparkline' }).join('\n'), /unknown chart type/);
    });
  });

  describe('empty lists', () => {
    const checkAll = (card: Card) => {
      assert.deepEqual(allProblems(card, ctx), []);
    };

    it('an activities card with no recommended resources leaves out the resources and their button', async () => {
      const real = byStep('activities: /activities with no results yet');
      const view = real.view as CardViews['activities'];
      assert.equal(view.resources.length, 0, 'activities for no area come without resources');
      assert.ok(!textsOf(real.card).includes('Recommended resources'));
      assert.ok(!actionTitles(real.card).some((t) => t.startsWith('Recommended resources')));
      checkAll(real.card);

      const lib = (await sharedAssets()).lib;
      const withResources = activitiesView(lib, 'CC3', undefined);
      assert.ok(withResources.resources.length > 0);
      const none = bot.cards.render('activities', { ...withResources, resources: [] }).card;
      assert.ok(!textsOf(none).includes('Recommended resources'));
      checkAll(none);
      assert.ok(
        textsOf(bot.cards.render('activities', withResources).card).includes('Recommended resources'),
      );
    });

    it('an unanswered card with nothing logged and no download says so, with no buttons', () => {
      const card = bot.cards.render('unanswered', unansweredView([], { days: 90 })).card;
      checkAll(card);
      const texts = textsOf(card);
      assert.ok(texts.includes('No questions in the last 90 days.'));
      assert.ok(texts.includes('Nothing to add to the content for now.'));
      assert.ok(texts.some((t) => /BOT_PUBLIC_URL and EXPORT_LINK_SECRET/.test(t)));
      assert.deepEqual(card.actions ?? [], []);
    });

    it('an activities card with no activities and no resources still renders a valid card', () => {
      const view: CardViews['activities'] = {
        summary: 'You have no gaps in your latest self-assessment.',
        title: 'No gaps in your latest self-assessment',
        intro: 'Every statement you answered is Competent or Confident. Keep your CPD going.',
        focus: [],
        listLabel: '',
        listHeading: '',
        activities: [],
        resources: [],
        list: { area: '', level: '', mine: false },
        more: '',
        pages: [],
        source: 'Clinical Coding Auditor Competency Framework',
        buttons: [],
      };
      const card = bot.cards.render('activities', view).card;
      checkAll(card);
      assert.deepEqual(textsOf(card), [view.title, view.intro, `Source: ${view.source}`]);
    });

    it('a results card with no gaps says so and lists no gap groups', () => {
      const real = of('assessResults').at(-1)!;
      const view: CardViews['assessResults'] = {
        ...(real.view as CardViews['assessResults']),
        changes: [],
        focusHeading: 'No gaps: every statement you answered is met.',
        focus: [],
        gapsHeading: 'No gaps',
        gaps: [],
      };
      const card = bot.cards.render('assessResults', view).card;
      checkAll(card);
      const texts = textsOf(card);
      assert.ok(texts.includes(view.focusHeading));
      assert.ok(!texts.some((t) => t.startsWith('Gap: ')), 'no gap statements listed');
      const before = real.view as CardViews['assessResults'];
      assert.ok(before.gaps.length > 0);
      assert.ok(!before.gaps.some((g) => texts.includes(g.label)), 'no sub-area flagged as a gap');

      const bare = bot.cards.render('assessResults', {
        ...view,
        strengthsHeading: '',
        strengths: [],
        unknownHeading: '',
        unknown: [],
      }).card;
      checkAll(bare);
    });
  });
});
