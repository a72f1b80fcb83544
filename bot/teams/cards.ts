import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';
import { z } from 'zod';

export interface Button {
  title: string;
  command: string;
}

/** One quoted passage in an answer: our heading and notes, the source's words, where they come from. */
export interface AnswerItem {
  heading: string;
  note: string;
  quote: string;
  levels: string;
  source: string;
}

/** One of the biggest gaps as a card shows it: what, what the manager can do, and where to read up. */
export interface GapFocusView {
  gap: string;
  statements: string;
  activity: string;
  /** Markdown: a link where the resource has an address. */
  resource: string;
}

/** One view-model type per template in cards/; the renderer is typed by it. */
export interface CardViews {
  welcome: {
    summary: string;
    title: string;
    intro: string;
    points: { text: string }[];
    note: string;
    buttons: Button[];
  };
  help: {
    summary: string;
    title: string;
    intro: string;
    commands: { usage: string; help: string }[];
    /** The rest of the commands, behind "All commands" (an Action.Execute that returns them shown). */
    more: { usage: string; help: string }[];
    expanded: boolean;
    note: string;
    buttons: Button[];
  };
  notice: { summary: string; title: string; text: string; detail: string; buttons: Button[] };
  answer: {
    summary: string;
    /** Our heading for the answer (never the question echoed). */
    title: string;
    /** Our direct answer, apart from the quotes. */
    lead: string;
    /** Our notes: what was understood, what was assumed, what is still unknown. */
    notes: { text: string }[];
    groups: { heading: string; items: AnswerItem[] }[];
    /** The source of a list whose items share it, said once under them. */
    footer: string;
    /** Further quotes behind "Show more". */
    more: AnswerItem[];
    moreLabel: string;
    /** The card returned by "Show more" (answer.more) shows them. */
    showMore?: boolean;
    didYouMean: Button[];
    /** 'ask' shows Helpful / Not helpful; 'given' shows feedbackText; 'none' neither. */
    feedback: 'ask' | 'given' | 'none';
    feedbackText: string;
    /** The question, carried by the feedback buttons so a press can be logged and the card redrawn. */
    question: string;
    verbButtons: { title: string; verb: string; programme: string; prefill: string }[];
    buttons: Button[];
  };
  competency: {
    summary: string;
    title: string;
    intro: string;
    /** In channels and group chats the whole list waits behind "Show all". */
    collapsed: boolean;
    /** The button that returns this card with every statement shown; '' when they are all shown. */
    showLabel: string;
    /** What that button asks for: an area ('' for all five) and a sub-area ('' for the whole area). */
    showArea: string;
    showSub: string;
    subAreas: {
      label: string;
      count: string;
      /** Shown with its statements at once (a single sub-area); otherwise a line, statements on demand. */
      open: boolean;
      statements: { text: string; levels: string }[];
    }[];
    footer: string;
    buttons: Button[];
  };
  activities: {
    summary: string;
    title: string;
    intro: string;
    /** /gaps: the three biggest gaps first, each with its activity and resource. */
    focus: GapFocusView[];
    /** '' shows the list; otherwise a button with this title returns the list (activities.page, page 1). */
    listLabel: string;
    list: { area: string; level: string; mine: boolean };
    listHeading: string;
    activities: { text: string; meta: string }[];
    /** Markdown links where the resource has an address, titles only. */
    resources: { text: string }[];
    more: string;
    /** Previous / More: the same list, another page, in place. */
    pages: { title: string; area: string; level: string; page: number; mine: boolean }[];
    source: string;
    buttons: Button[];
  };
  digest: {
    summary: string;
    title: string;
    areaIds: string[];
    heatMap: { name: string; cells: { text: string; color: string }[] }[];
    /** The team's gap statements per area: the bars' heights, and the heat map's "Team" row beneath it. */
    teamTotals: { areaId: string; label: string; gaps: number }[];
    /** The areas with the most gaps in words, under the chart: the chart in a sentence for screen readers. */
    teamLine: string;
    /** This week's suggestion per coder, with a button adding it to that coder's plan ('' in a preview). */
    activities: {
      text: string;
      addTitle: string;
      coderKey: string;
      activityId: string;
      targetDate: string;
    }[];
    coders: {
      name: string;
      latest: string;
      areas: string;
      gaps: { text: string }[];
      changes: { text: string }[];
      overdue: { text: string }[];
      /** A review waiting (and for how long) and where the last one differed most. */
      reviews: { text: string }[];
      /** The development plan in counts: agreed, overdue, waiting for whom. */
      plan: { text: string }[];
    }[];
    footer: string;
    buttons: Button[];
  };
  links: {
    summary: string;
    title: string;
    text: string;
    /** A readable summary above the downloads (/mydata); none for /export. */
    facts: { title: string; value: string }[];
    note: string;
    links: { title: string; url: string }[];
  };
  unanswered: {
    summary: string;
    title: string;
    intro: string;
    rows: { question: string; meta: string }[];
    /** Said instead of the rows when there are none; '' otherwise. */
    empty: string;
    note: string;
    links: { title: string; url: string }[];
  };
  choice: {
    summary: string;
    message: string;
    title: string;
    text: string;
    lines: { text: string }[];
    detail: string;
    buttons: { title: string; verb: string; data: Record<string, unknown> }[];
  };
  managerPicker: {
    summary: string;
    message: string;
    text: string;
    people: { name: string; aadObjectId: string }[];
  };
  assessChoice: {
    summary: string;
    title: string;
    text: string;
    detail: string;
    choices: { title: string; verb: string; level: string; assessmentId: string }[];
  };
  assessStep: {
    summary: string;
    message: string;
    areaTitle: string;
    title: string;
    progress: string;
    bar: string;
    /** What the card asks, above its statements. */
    ask: string;
    statements: {
      inputId: string;
      label: string;
      placeholder: string;
      value: string;
      choices: { title: string; value: string }[];
      /** A question of fact: its three answers shown at once (Yes / No / Not sure), not a dropdown. */
      fact: boolean;
      /** Named as not answered after Next. */
      flagged: boolean;
    }[];
    /** The sub-area's evidence note is asked on its last card; shown open when there is one. */
    noteAsked: boolean;
    noteShown: boolean;
    noteLabel: string;
    note: string;
    /** "12 of 70 answered", beside the buttons. */
    answered: string;
    nextTitle: string;
    nextAction: string;
    leaveUnanswered: boolean;
    assessmentId: string;
    revision: number;
    subAreaId: string;
    part: number;
    isFirst: boolean;
  };
  plan: {
    summary: string;
    message: string;
    title: string;
    intro: string;
    items: {
      id: string;
      activity: string;
      status: string;
      note: string;
      canClose: boolean;
      actions: { title: string; verb: string; data: Record<string, unknown> }[];
    }[];
    addHeading: string;
    suggestions: { id: string; title: string }[];
    suggestedId: string;
    defaultDate: string;
    defaultOwner: 'coder' | 'manager';
    /** Who can do an item: the coder, and their line manager once there is one to agree with. */
    owners: { title: string; value: 'coder' | 'manager' }[];
    buttons: { title: string; verb: string; data: Record<string, unknown> }[];
  };
  review: {
    summary: string;
    message: string;
    title: string;
    subtitle: string;
    intro: string;
    subAreas: {
      subAreaId: string;
      code: string;
      label: string;
      statements: { rating: string; text: string }[];
      note: string;
      choice: string;
      comment: string;
    }[];
    buttons: { title: string; verb: string; data: Record<string, unknown> }[];
  };
  assessResults: {
    summary: string;
    title: string;
    subtitle: string;
    focusHeading: string;
    focus: GapFocusView[];
    /** Per area: the chart's bar (areaId, percent) and the same figure as a text bar, its fallback. */
    areas: { areaId: string; percent: number; label: string; bar: string; color: string; figure: string }[];
    /** The bar chart in a sentence, beside it, for screen readers. */
    areaSummary: string;
    changes: { text: string }[];
    /** Each area's share met over the completed assessments (a line each); '' and [] with fewer than two. */
    trendSummary: string;
    trend: { legend: string; values: { x: string; y: number }[] }[];
    /** The same figures a row per assessment: the line chart's fallback. */
    trendRows: { text: string }[];
    /** Behind "Show more" (the card returned with them): every gap, the unknowns and the strengths. */
    moreLabel: string;
    expanded: boolean;
    gapsHeading: string;
    gaps: { label: string; statements: { text: string }[] }[];
    unknownHeading: string;
    unknown: { text: string }[];
    strengthsHeading: string;
    strengths: { text: string }[];
    /** Behind "Show more": the coder's record, newest first ([] when folded). */
    history: { text: string }[];
    /** The manager's review beside the coder's own ratings, differences first; '' and [] when none. */
    reviewHeading: string;
    review: { label: string; text: string }[];
    /** Behind "Show more": the coder's and the manager's share met per area, grouped bars; [] with no review. */
    reviewChart: { legend: string; values: { x: string; y: number }[] }[];
    /** The same figures an area a line: the grouped bars' fallback. */
    reviewRows: { text: string }[];
    buttons: Button[];
  };
  reminders: {
    summary: string;
    /** What the last button did ("Reminders of this kind are off."); '' for none. */
    message: string;
    title: string;
    intro: string;
    kinds: {
      kind: string;
      name: string;
      about: string;
      /** "On" or "Off", in `color`. */
      state: string;
      color: string;
      /** What is coming, a line each, with its date. */
      items: { text: string }[];
      /** Said when there are no items; '' otherwise. */
      empty: string;
      /** The button that switches the kind the other way, and to what ('on' or 'off'). */
      switchTitle: string;
      switchTo: 'on' | 'off';
    }[];
    note: string;
  };
  eligibilityForm: {
    summary: string;
    /** Validation messages, shown in red at the top; '' for none. */
    errors: string;
    confirmation: string;
    title: string;
    intro: string;
    programme: string;
    /** Each question's help shown under it (the card returned by "Help"). */
    showHelp: boolean;
    questions: {
      id: string;
      label: string;
      help: string;
      kind: 'date' | 'choice' | 'multi';
      /** For dates: what to type ("day/month/year"). */
      placeholder: string;
      value: string;
      choices: { title: string; value: string }[];
      /** A "none" toggle for date questions that allow it ('' when there is none). */
      noneId: string;
      noneLabel: string;
      noneValue: string;
    }[];
  };
  eligibilityResult: {
    summary: string;
    title: string;
    titleColor: string;
    subtitle: string;
    /** One line with the earliest date to apply ("You can apply from 14 March 2027."); '' for none. */
    applyLine: string;
    text: string;
    note: string;
    rows: {
      status: string;
      color: string;
      label: string;
      /** Our words: what the check found, or the rule in plain English. */
      detail: string;
      /** The source's own words, verbatim, shown in a box labelled with the source ('' for none). */
      quote: string;
      /** "Title, publisher, date" of the quote's source ('' for none). */
      source: string;
      /** The bot's reading behind the rule, shown as "Our reading: …" ('' for none). */
      reading: string;
      /** A related rule (the 2012/13 rule as history): our words, then its quote and source. */
      extra: { text: string; quote: string; source: string }[];
    }[];
    /** Requirements met, in one line, when their rows wait behind "Show all details"; '' otherwise. */
    metLine: string;
    /** Requirements that need more answers, in one line, likewise. */
    unknownLine: string;
    /** Each source once, below the rows. */
    sources: { text: string }[];
    /** Whether each row shows the source's words and our reading (with every row, after "Show all details"). */
    showWhy: boolean;
    /** Returns the result with every row (eligibility.result); '' when all are shown. */
    allLabel: string;
    buttons: { title: string; verb: string; programme: string }[];
    /** The programme the result is for ('' for the pick and rule cards). */
    programme: string;
  };
}

export type CardName = keyof CardViews;

export interface RenderedCard {
  attachment: Attachment;
  summary: string;
  card: Record<string, unknown>;
}

/**
 * Binds the JSON templates in cards/ with adaptivecards-templating. Templates are read once at
 * start-up; a missing or broken file fails the boot, not a conversation.
 */
export class CardRenderer {
  /** Parsed once per template: parsing the `${...}` expressions costs more than expanding them. */
  private readonly compiled = new Map<string, ACData.Template>();

  private constructor(private readonly templates: Map<string, object>) {}

  static async load(dir: string, required: readonly string[] = []): Promise<CardRenderer> {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    const templates = new Map<string, object>();
    for (const f of files) {
      const file = path.join(dir, f);
      try {
        templates.set(f.slice(0, -5), JSON.parse(await readFile(file, 'utf8')) as object);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new Error(`Card template ${file} is not valid JSON: ${reason}`, { cause: e });
      }
    }
    const missing = required.filter((r) => !templates.has(r));
    if (missing.length) throw new Error(`Card templates missing from ${dir}: ${missing.join(', ')}`);
    const problems = [...templates].flatMap(([name, t]) => actionProblems(t).map((p) => `${name}.json ${p}`));
    if (problems.length)
      throw new Error(`Card templates with buttons that would not work:\n${problems.join('\n')}`);
    return new CardRenderer(templates);
  }

  names(): string[] {
    return [...this.templates.keys()];
  }

  render<K extends CardName>(name: K, view: CardViews[K]): RenderedCard {
    let compiled = this.compiled.get(name);
    if (!compiled) {
      const template = this.templates.get(name);
      if (!template) throw new Error(`No card template named "${name}"`);
      compiled = new ACData.Template(template);
      this.compiled.set(name, compiled);
    }
    const card = compiled.expand({ $root: view }) as Record<string, unknown>;
    return { attachment: CardFactory.adaptiveCard(card), summary: view.summary, card };
  }
}

/**
 * The button kinds that work both in Teams and in the Agents Playground, and nothing else:
 * Action.Execute for whatever changes or continues a card (the bot answers with the next card),
 * Action.Submit carrying only `{ command }` where a message is wanted (the bot routes
 * `value.command` like typed text) or `{ verb, …data }` where a card's action should answer with a
 * new message and leave that card as it is (a digest's "Add to plan"), and the client-side kinds. An `msteams` messageBack payload is
 * refused: the Playground throws on it ("Cannot add property msTeams") and the button does nothing.
 * Action.ToggleVisibility is refused too: Teams' renderer leaves a hidden element out of the page, so
 * the button's aria-controls names nothing (axe-core: critical); "Show more" is an Action.ShowCard.
 */
const CardActionSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('Action.Execute'), title: z.string().min(1), verb: z.string().min(1) }),
  z.looseObject({
    type: z.literal('Action.Submit'),
    title: z.string().min(1),
    data: z.union([
      z.strictObject({ command: z.string().min(1) }),
      z.looseObject({ verb: z.string().min(1) }),
    ]),
  }),
  z.looseObject({ type: z.literal('Action.OpenUrl'), title: z.string().min(1), url: z.string().min(1) }),
  z.looseObject({ type: z.literal('Action.ShowCard'), title: z.string().min(1), card: z.object({}).loose() }),
]);

/** Every action in a template (card actions, ActionSets, selectActions, ShowCard cards), checked. */
export function actionProblems(template: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => {
        visit(n, `${path}/${i}`);
      });
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Action.')) {
      const r = CardActionSchema.safeParse(o);
      if (!r.success)
        out.push(
          `${path} ${o.type} "${String(o.title)}": ${r.error.issues.map((i) => `${i.path.join('.') || i.code} ${i.message}`).join('; ')}`,
        );
    }
    for (const [k, v] of Object.entries(o)) visit(v, `${path}/${k}`);
  };
  visit(template, '');
  return out;
}

/** Control characters, tab, line feed and carriage return aside. */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Text from people (questions echoed back, names, notes) is shown as text. Adaptive Card TextBlocks
 * read a subset of Markdown, so anything that could become markup is defused without changing how
 * it reads: control characters dropped, angle brackets swapped for look-alikes, and link syntax
 * "[text](url)" broken apart so it cannot render as a link.
 */
export function asPlainText(text: string): string {
  return text
    .replace(CONTROL_CHARACTERS, '')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\]\s*\(/g, '] (')
    .replace(/!\[/g, '! [');
}
