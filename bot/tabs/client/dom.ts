/** Building the pages' elements without innerHTML, so nothing from the server is ever read as markup. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
  return el;
}

let lastId = 0;
/** An id unique on the page, for aria-describedby and label links. */
export function uniqueId(prefix: string): string {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

/** Text that screen readers read and the eye does not see (a unit, a full name behind a code). */
export function hidden(text: string): HTMLSpanElement {
  return h('span', { class: 'visually-hidden' }, text);
}

/**
 * A table in its own scrolling box, so a wide table scrolls sideways inside the page instead of
 * the page itself; the box takes keyboard focus so it can be scrolled without a mouse.
 */
export function scrollingTable(caption: string, table: HTMLTableElement): HTMLDivElement {
  table.prepend(h('caption', {}, caption));
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': caption }, table);
}

/** A simple table: headers across the top, the first cell of each row a row header. */
export function dataTable(caption: string, headers: string[], rows: Child[][]): HTMLDivElement {
  const head = h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)));
  const body = rows.map((cells) =>
    h('tr', {}, ...cells.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))),
  );
  return scrollingTable(caption, h('table', {}, h('thead', {}, head), h('tbody', {}, ...body)));
}

export function section(title: string, ...children: Child[]): HTMLElement {
  const id = uniqueId('section');
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}
