import type { SubArea } from '../core/frameworkSchema.js';
import { describeLevels, findSource, findSubArea, subAreaLabel, type Library } from '../core/library.js';
import type { Hit } from '../core/questionAnswering.js';
import type { Reply } from '../core/questions/answerQuestion.js';
import { type AnswerItem, type Button, type CardViews } from './cards.js';
import { sourceLine, truncate } from './views.js';

/** Quotes shown at first; the rest wait behind "Show more", so the card stays short on a laptop. */
const SHOWN_FIRST = 2;
/** Characters of quote and note past which one item fills a first look. */
const LONG_ITEM = 600;
/** A list's items are one line or two each, so more of them fit. */
const LIST_SHOWN_FIRST = 4;
const ASSESS: Button = { title: 'Start a self-assessment', command: '/assess' };

export type FeedbackState = 'ask' | 'given-helpful' | 'given-not-helpful' | 'none';

type AnswerReply = Extract<Reply, { kind: 'answer' }>;
type EligibilityReply = Extract<Reply, { kind: 'eligibility' }>;

/** A sub-area a hit names: hits come from the library's own index, so one missing from it is a bug. */
function subAreaOf(lib: Library, id: string): SubArea {
  const found = findSubArea(lib, id);
  if (!found) throw new Error(`A hit names sub-area ${id}, which is not in the framework`);
  return found.subArea;
}

/** What the sources say as the card shows it: our heading and notes apart from the source's words. */
function hitItem(lib: Library, h: Hit): AnswerItem {
  const fw = `Source: ${sourceLine(lib, lib.framework.source)}`;
  switch (h.kind) {
    case 'statement':
      return {
        heading: subAreaLabel(h.subArea),
        note: '',
        quote: h.statement.text,
        levels: `Applies to: ${describeLevels(h.statement.levels)}`,
        source: fw,
      };
    case 'subArea': {
      const sub = subAreaOf(lib, h.subAreaId);
      return {
        heading: subAreaLabel(sub),
        note: '',
        quote: sub.statements
          .map((s) => `• ${s.text} (${describeLevels(s.levels).toLowerCase()})`)
          .join('\n\n'),
        levels: '',
        source: fw,
      };
    }
    case 'area':
      return {
        heading: `${h.area.id} ${h.area.title}`,
        note: '',
        quote: h.area.subAreas.map((s) => `• ${subAreaLabel(s)}`).join('\n\n'),
        levels: '',
        source: fw,
      };
    case 'activity':
      return {
        heading: '',
        note: '',
        quote: h.activity.text,
        levels: `${describeLevels(h.activity.levels)} · supports ${h.activity.supports.join(', ')}`,
        source: fw,
      };
    case 'resource':
      return {
        heading: h.resource.category,
        note: '',
        quote: [
          h.resource.url ? `[${h.resource.title}](${h.resource.url})` : h.resource.title,
          h.resource.detail,
        ]
          .filter(Boolean)
          .join(' — '),
        levels: '',
        source: fw,
      };
    case 'passage': {
      const src = findSource(lib, h.passage.source);
      const historical = src !== undefined && src.status !== 'current';
      const also = h.passage.also
        ? `\n\n"${h.passage.also.quote}" (${sourceLine(lib, h.passage.also.source)})`
        : '';
      const notes = [
        h.supersededBy ? `History: the rule for the ${src?.date ?? 'earlier years'}.` : '',
        // Beside the rule that replaces it, that rule's own note already says why the two are ordered.
        h.passage.ourNote && !h.supersededBy
          ? `Our note: ${h.passage.ourNote}`
          : h.supersededBy
            ? "Our reading: we show the framework's rule above as the one that applies now."
            : '',
      ].filter(Boolean);
      return {
        heading: historical && !h.supersededBy ? `${h.passage.title} (historical)` : h.passage.title,
        note: notes.join(' '),
        quote: `"${h.passage.quote}"${also}`,
        levels: '',
        source: `Source: ${sourceLine(lib, h.passage.source)}, ${h.passage.location}`,
      };
    }
    case 'glossary':
      return {
        heading: h.term.term,
        note: h.term.explanation ? `Our explanation: ${h.term.explanation}` : '',
        quote: h.term.quote ? `"${h.term.quote}"` : '',
        levels: '',
        source: h.term.source
          ? `Source: ${sourceLine(lib, h.term.source)}${h.term.location ? `, ${h.term.location}` : ''}`
          : 'Our explanation, not a quotation',
      };
  }
}

function feedbackFields(question: string, feedback: FeedbackState) {
  return {
    feedback:
      feedback === 'ask' ? ('ask' as const) : feedback === 'none' ? ('none' as const) : ('given' as const),
    feedbackText:
      feedback === 'given-helpful'
        ? 'Thanks: glad it helped.'
        : feedback === 'given-not-helpful'
          ? 'Thanks for telling us. The question is kept, without your name, for the people who look after the answers.'
          : '',
    question: truncate(question, 500),
  };
}

/** 'I read "march 2024" as …': the words as the person typed them, not as normalised. */
function inOwnWords(text: string, question: string): string {
  return text.replace(/"([^"]+)"/g, (whole, said: string) => {
    const at = question.toLowerCase().indexOf(said.toLowerCase());
    return at >= 0 ? `"${question.slice(at, at + said.length)}"` : whole;
  });
}

/** An answer: our direct answer first, then the quotes (grouped where it is a list), then next steps. */
export function answerCard(
  lib: Library,
  reply: AnswerReply,
  question: string,
  feedback: FeedbackState,
): CardViews['answer'] {
  const groups = reply.groups ?? [{ heading: '', hits: reply.hits }];
  const list = reply.groups !== undefined;
  // A long first quote (an entry rule with our note) is enough for a first look on its own.
  const lead = reply.hits[0] ? hitItem(lib, reply.hits[0]) : undefined;
  const history = reply.hits[1]?.kind === 'passage' && reply.hits[1].supersededBy !== undefined;
  // …unless the next is the older rule it replaces, which belongs beside it.
  const long = lead !== undefined && lead.quote.length + lead.note.length > LONG_ITEM && !history;
  let budget = list ? LIST_SHOWN_FIRST : long ? 1 : SHOWN_FIRST;
  const shown: CardViews['answer']['groups'] = [];
  const more: AnswerItem[] = [];
  // A list's items all come from the framework: its source is said once, under the card.
  const listItem = (h: Hit): AnswerItem => {
    const item = hitItem(lib, h);
    return {
      ...item,
      source: '',
      levels: h.kind === 'activity' ? `Supports ${h.activity.supports.join(', ')}` : '',
    };
  };
  for (const g of groups) {
    const items = g.hits.map((h) => (list ? listItem(h) : hitItem(lib, h)));
    const now = items.slice(0, Math.max(budget, 0));
    budget -= now.length;
    if (now.length) shown.push({ heading: g.heading, items: now });
    more.push(...items.slice(now.length).map((i) => ({ ...i, heading: i.heading || g.heading })));
  }
  const buttons: Button[] = [];
  const first = reply.hits[0];
  if (first?.kind === 'statement')
    buttons.push({ title: `All of ${first.subArea.id}`, command: `/competency ${first.subArea.id}` });
  const area = reply.areaIds[0];
  if (area && first?.kind !== 'activity')
    buttons.push({ title: `Manager activities for ${area}`, command: `/activities ${area}` });
  if (reply.aboutEligibility) buttons.push({ title: 'Check my eligibility', command: '/eligibility' });
  buttons.push(ASSESS);
  const title = titleFor(lib, reply);
  const firstItem = shown[0]?.items[0];
  if (firstItem?.heading === title) firstItem.heading = '';
  // Our explanation already leads the card; the first item need not say it again.
  if (firstItem && reply.lead && firstItem.note.endsWith(reply.lead)) firstItem.note = '';
  const firstQuote = firstItem;
  return {
    summary: truncate(`${reply.lead || title}${firstQuote ? ` "${firstQuote.quote}"` : ''}`, 240),
    title,
    lead: reply.lead,
    notes: [],
    groups: shown,
    more,
    moreLabel: `Show ${more.length} more`,
    didYouMean: reply.didYouMean.map((d) => ({ title: truncate(d.title, 40), command: d.ask })),
    footer: list ? `Source: ${sourceLine(lib, lib.framework.source)}` : '',
    ...feedbackFields(question, feedback),
    verbButtons: [],
    buttons: buttons.slice(0, 3),
  };
}

function titleFor(lib: Library, reply: AnswerReply): string {
  const top = reply.hits[0];
  if (!top) return 'Answer';
  if (reply.groups && top.kind === 'activity') return 'What a line manager can do';
  if (reply.levels) return 'Which level';
  switch (top.kind) {
    case 'passage':
      return top.passage.title;
    case 'glossary':
      return top.term.term;
    case 'resource':
      return 'Recommended resources';
    case 'statement':
      return subAreaLabel(top.subArea);
    case 'subArea':
      return subAreaLabel(subAreaOf(lib, top.subAreaId));
    case 'area':
      return `${top.area.id} ${top.area.title}`;
    case 'activity':
      return 'What a line manager can do';
  }
}

/** Eligibility from the person's own words: the verdict and dates, what was read and assumed, the rules' sources once each. */
export function eligibilityAnswerCard(
  lib: Library,
  reply: EligibilityReply,
  question: string,
  feedback: FeedbackState,
): CardViews['answer'] {
  const r = reply.result;
  const understood = reply.facts.facts.map((f) => f.understood);
  const notes = [
    { text: `What I understood: ${understood.join('; ')}.` },
    ...reply.assumptions.map((a) => ({ text: `${inOwnWords(a, question)}.` })),
    { text: 'Nothing has been saved: open the checker to review these answers, add the rest and save them.' },
  ];
  const seen = new Set<string>();
  const items: AnswerItem[] = [];
  for (const c of r.criteria) {
    if (c.phase !== 'entry' || c.status === 'unknown' || c.status === 'info') continue;
    if (seen.has(c.source.id + c.source.quote)) continue;
    seen.add(c.source.id + c.source.quote);
    items.push({
      heading: `${c.label}: ${c.status === 'met' ? 'met' : 'not met yet'}`,
      note: '',
      quote: `"${c.source.quote}"`,
      levels: '',
      source: `Source: ${sourceLine(lib, c.source.id)}`,
    });
  }
  return {
    summary: truncate(reply.lead, 240),
    title: `Eligibility for ${r.programme.name}`,
    lead: reply.lead,
    notes,
    footer: '',
    groups: items.length ? [{ heading: '', items: items.slice(0, SHOWN_FIRST) }] : [],
    more: items.slice(SHOWN_FIRST),
    moreLabel: `Show ${Math.max(items.length - SHOWN_FIRST, 0)} more`,
    didYouMean: [],
    ...feedbackFields(question, feedback),
    verbButtons: [
      {
        title: 'Open the full checker',
        verb: 'eligibility.form',
        programme: r.programme.id,
        prefill: JSON.stringify(reply.facts.answers),
      },
    ],
    buttons: [],
  };
}

/** What the sources do not cover, said plainly, with who does where a source names it. */
export function declineCard(
  lib: Library,
  reply: Extract<Reply, { kind: 'decline' }>,
  question: string,
  feedback: FeedbackState,
): CardViews['answer'] {
  const lead = reply.topic
    ? `My sources don't cover ${reply.topic}, so I won't guess.`
    : "I couldn't find a good answer to that in the framework, the programme pages or the apprenticeship pages, so I won't guess.";
  const near = reply.near.map((h) => hitItem(lib, h));
  return {
    summary: lead,
    title: 'Not in my sources',
    lead,
    notes: [
      ...(reply.pointer ? [{ text: reply.pointer }] : []),
      ...(reply.topic ? [] : [{ text: 'Try other words, name an area (CC1 to CC5), or type /help.' }]),
    ],
    footer: '',
    groups: near.length ? [{ heading: 'What the sources do say', items: near }] : [],
    more: [],
    moreLabel: '',
    didYouMean: reply.didYouMean.map((d) => ({ title: truncate(d.title, 40), command: d.ask })),
    ...feedbackFields(question, feedback === 'ask' ? 'none' : feedback),
    verbButtons: [],
    buttons: [
      { title: 'The five areas', command: '/areas' },
      { title: 'Help', command: '/help' },
    ],
  };
}
