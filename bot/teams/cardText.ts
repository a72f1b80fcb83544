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

/**
 * Flattens an Adaptive Card into readable lines (headings, texts, facts, inputs with their choices,
 * button titles), for the terminal chat and for tests that read what a person would read.
 */
export function cardToText(card: Node): { lines: string[]; buttons: CardButton[]; inputs: CardInput[] } {
  const lines: string[] = [];
  const buttons: CardButton[] = [];
  const inputs: CardInput[] = [];

  const visit = (el: Node, depth: number): void => {
    if (!el || typeof el !== 'object') return;
    // Hidden parts ("Show more") are read too: a terminal or a test has no screen to keep short.
    switch (el.type) {
      case 'TextBlock':
        if (typeof el.text === 'string' && el.text.trim()) lines.push(el.text);
        break;
      case 'RichTextBlock':
        lines.push(
          ((el.inlines as Node[]) ?? [])
            .map((i) => (typeof i === 'string' ? i : String(i.text ?? '')))
            .join(''),
        );
        break;
      case 'FactSet':
        for (const f of (el.facts as Node[]) ?? []) lines.push(`${String(f.title)}: ${String(f.value)}`);
        break;
      case 'Input.ChoiceSet': {
        const choices = ((el.choices as Node[]) ?? []).map((c) => ({
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
          `${String(el.label ?? el.id)} [${choices.map((c) => c.title).join(' / ')}]${el.value ? ` = ${choices.find((c) => c.value === el.value)?.title ?? String(el.value)}` : ''}`,
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
          type: String(el.type),
          choices: [],
          value: el.value as string | undefined,
        });
        lines.push(`${String(el.label ?? el.title ?? el.id)}${el.value ? ` = ${String(el.value)}` : ''}`);
        break;
      case 'ActionSet':
        for (const a of (el.actions as Node[]) ?? []) addAction(a);
        break;
      default:
        break;
    }
    for (const key of ['body', 'items', 'columns']) {
      const children = el[key];
      if (Array.isArray(children)) for (const c of children as Node[]) visit(c, depth + 1);
    }
  };

  const addAction = (a: Node) => {
    const data = (a.data ?? {}) as Record<string, unknown>;
    if (a.type === 'Action.Execute')
      buttons.push({ title: String(a.title), kind: 'execute', verb: String(a.verb ?? ''), data });
    else if (a.type === 'Action.Submit') buttons.push({ title: String(a.title), kind: 'submit', data });
    else if (a.type === 'Action.OpenUrl')
      buttons.push({ title: String(a.title), kind: 'openUrl', data, url: String(a.url) });
    else if (a.type === 'Action.ShowCard') {
      const inner = a.card as Node | undefined;
      if (inner) visit(inner, 1);
      for (const x of (inner?.actions as Node[]) ?? []) addAction(x);
    }
  };

  visit(card, 0);
  for (const a of (card.actions as Node[]) ?? []) addAction(a);
  return { lines, buttons, inputs };
}
