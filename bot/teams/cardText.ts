/** A button found on a card, with what pressing it sends. */
export interface CardButton {
  title: string;
  kind: 'submit' | 'execute' | 'openUrl';
  verb?: string;
  data: Record<string, unknown>;
  url?: string;
}

export interface CardInput {
  id: string;
  label: string;
  type: string;
  choices: { title: string; value: string }[];
  value?: string;
  isMultiSelect?: boolean;
}

type Node = Record<string, unknown>;

/** A card is JSON from a template or from the wire: any element or list may be something else. */
const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null;
const listOf = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
/** A text field as a person would read it: '' when it is missing or not text. */
const textOf = (x: unknown): string =>
  typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : '';

/**
 * Flattens an Adaptive Card into readable lines (headings, texts, facts, inputs with their choices,
 * button titles), for the terminal chat and for tests that read what a person would read.
 */
export function cardToText(card: Node): { lines: string[]; buttons: CardButton[]; inputs: CardInput[] } {
  const lines: string[] = [];
  const buttons: CardButton[] = [];
  const inputs: CardInput[] = [];

  const visit = (el: unknown, depth: number): void => {
    if (!isNode(el)) return;
    // Hidden parts ("Show more") are read too: a terminal or a test has no screen to keep short.
    switch (el.type) {
      case 'TextBlock':
        if (typeof el.text === 'string' && el.text.trim()) lines.push(el.text);
        break;
      case 'RichTextBlock':
        lines.push(
          listOf(el.inlines)
            .map((i) => (typeof i === 'string' ? i : isNode(i) ? textOf(i.text) : ''))
            .join(''),
        );
        break;
      case 'FactSet':
        for (const f of listOf(el.facts).filter(isNode)) lines.push(`${String(f.title)}: ${String(f.value)}`);
        break;
      case 'Input.ChoiceSet': {
        const choices = listOf(el.choices)
          .filter(isNode)
          .map((c) => ({
            title: String(c.title),
            value: String(c.value),
          }));
        inputs.push({
          id: String(el.id),
          label: String(el.label ?? el.id),
          type: 'choice',
          choices,
          value: el.value as string | undefined,
          isMultiSelect: el.isMultiSelect === true,
        });
        lines.push(
          `${String(el.label ?? el.id)} [${choices.map((c) => c.title).join(' / ')}]${el.value ? ` = ${choices.find((c) => c.value === el.value)?.title ?? textOf(el.value)}` : ''}`,
        );
        break;
      }
      case 'Input.Text':
      case 'Input.Date':
      case 'Input.Number':
      case 'Input.Toggle':
        inputs.push({
          id: String(el.id),
          label: String(el.label ?? el.title ?? el.id),
          type: el.type,
          choices: [],
          value: el.value as string | undefined,
        });
        lines.push(`${String(el.label ?? el.title ?? el.id)}${el.value ? ` = ${textOf(el.value)}` : ''}`);
        break;
      case 'ActionSet':
        for (const a of listOf(el.actions)) addAction(a);
        break;
      default:
        break;
    }
    for (const key of ['body', 'items', 'columns']) {
      const children = el[key];
      for (const c of listOf(children)) visit(c, depth + 1);
    }
  };

  const addAction = (a: unknown) => {
    if (!isNode(a)) return;
    const data = (a.data ?? {}) as Record<string, unknown>;
    if (a.type === 'Action.Execute')
      buttons.push({ title: String(a.title), kind: 'execute', verb: textOf(a.verb), data });
    else if (a.type === 'Action.Submit') buttons.push({ title: String(a.title), kind: 'submit', data });
    else if (a.type === 'Action.OpenUrl')
      buttons.push({ title: String(a.title), kind: 'openUrl', data, url: String(a.url) });
    else if (a.type === 'Action.ShowCard') {
      const inner = a.card;
      visit(inner, 1);
      if (isNode(inner)) for (const x of listOf(inner.actions)) addAction(x);
    }
  };

  visit(card, 0);
  for (const a of listOf(card.actions)) addAction(a);
  return { lines, buttons, inputs };
}
