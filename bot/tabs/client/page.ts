/**
 * What every tab does around its own content: the theme (from the address, then from Teams and its
 * changes), signing in (Teams single sign-on, or the development sign-in in local mode, said in a
 * banner), the loading state, and errors in words: 401 is a failed sign-in, 403 the tab's own
 * message about who it is for.
 */
import { ApiError, type Session } from './api.js';
import { drawPendingCharts, redrawCharts } from './charts.js';
import { devSession } from './devSignIn.js';
import { h } from './dom.js';
import { asTheme, connectToTeams, type Theme } from './teamsHost.js';

export interface TabPage {
  title: string;
  /** Shown instead of the content when the server answers 403: who the tab is for. */
  forbidden: string;
  /** Builds the tab's content; throws ApiError for the shell to put into words. */
  render(session: Session): Promise<Node[]>;
}

/** Teams answers at once when it hosts the page; this only bounds a frame that never answers. */
const TEAMS_TIMEOUT_MS = 4_000;

function applyTheme(theme: Theme): void {
  if (document.documentElement.dataset.theme === theme) return;
  document.documentElement.dataset.theme = theme;
  redrawCharts();
}

function main(): HTMLElement {
  const el = document.getElementById('main');
  if (!el) throw new Error('the page has no <main id="main">');
  return el;
}

/** Replaces the content under the tab's heading; the heading stays, for screen readers' bearings. */
function show(title: string, ...nodes: Node[]): void {
  const m = main();
  m.replaceChildren(h('h1', {}, title), ...nodes);
  m.removeAttribute('aria-busy');
  drawPendingCharts();
}

export function loading(what = 'Loading…'): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, what);
}

/** A message for an error, in words a person can act on. */
export function problem(e: unknown, forbidden: string, retry?: () => void): HTMLElement {
  const status = e instanceof ApiError ? e.status : 0;
  if (status === 403) return h('p', { class: 'notice', role: 'status' }, forbidden);
  const text =
    status === 401
      ? 'Sign-in failed. Close this tab and open it again; if that does not help, sign out of Teams and back in.'
      : status === 0
        ? 'This tab could not reach the bot. Check your connection and try again.'
        : `Something went wrong on the bot's side (error ${status}). Try again in a moment.`;
  const box = h('div', { class: 'error', role: 'alert' }, h('p', {}, text));
  if (retry && status !== 401) {
    const button = h('button', { type: 'button' }, 'Try again');
    button.addEventListener('click', retry);
    box.append(button);
  }
  return box;
}

async function signIn(): Promise<Session | string> {
  const teams = await connectToTeams(TEAMS_TIMEOUT_MS);
  if (teams) {
    if (teams.theme) applyTheme(teams.theme);
    teams.onThemeChange(applyTheme);
    const token = () =>
      teams.token().catch(() => {
        throw new ApiError(401, 'Teams gave no sign-in token');
      });
    return { local: false, headers: async () => ({ authorization: `Bearer ${await token()}` }) };
  }
  return (
    (await devSession()) ??
    'Open this tab in Microsoft Teams. (Outside Teams it opens only in local mode, on the bot’s own computer, with ?as= and an Entra object id in the address.)'
  );
}

/** Runs a tab: theme, sign-in, banner, then its content, with loading and error states. */
export function runTab(page: TabPage): void {
  applyTheme(asTheme(new URLSearchParams(location.search).get('theme')) ?? 'default');
  const load = async (session: Session) => {
    main().setAttribute('aria-busy', 'true');
    show(page.title, loading());
    main().setAttribute('aria-busy', 'true');
    try {
      show(page.title, ...(await page.render(session)));
    } catch (e) {
      show(
        page.title,
        problem(e, page.forbidden, () => void load(session)),
      );
    }
  };
  void (async () => {
    const session = await signIn().catch(() => 'Sign-in failed. Close this tab and open it again.');
    if (typeof session === 'string') {
      show(page.title, h('div', { class: 'error', role: 'alert' }, h('p', {}, session)));
      return;
    }
    if (session.local) {
      document
        .getElementById('banner')
        ?.replaceChildren(h('p', { class: 'dev-banner' }, 'Development sign-in — local only'));
    }
    await load(session);
  })();
}
