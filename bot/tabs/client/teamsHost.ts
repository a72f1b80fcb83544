/**
 * The Teams client library's part: whether the page runs inside Teams, the user's theme (and its
 * changes), and a single sign-on token for our own API.
 */

export type Theme = 'default' | 'dark' | 'contrast';

export function asTheme(name: string | null | undefined): Theme | undefined {
  return name === 'default' || name === 'dark' || name === 'contrast' ? name : undefined;
}

export interface TeamsHost {
  theme: Theme | undefined;
  onThemeChange(handler: (theme: Theme) => void): void;
  /** An Entra ID token for this app, from Teams' single sign-on. */
  token(): Promise<string>;
}

/** Teams shows a tab in a frame (web, desktop) or in a phone's web view, which adds nativeInterface. */
function mayBeInTeams(): boolean {
  return window.parent !== window || 'nativeInterface' in window;
}

/**
 * Connects to Teams; undefined outside it. The library is loaded only when the page may be in Teams:
 * on loading it asks Microsoft's CDN for Teams' list of origins, which a page opened on its own
 * (development, the browser test) has no business doing. Inside some other page's frame it would
 * wait for an answer that never comes, hence the time limit.
 */
export async function connectToTeams(timeoutMs: number): Promise<TeamsHost | undefined> {
  if (!mayBeInTeams()) return undefined;
  const { app, authentication } = await import('@microsoft/teams-js');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
  });
  const connected = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    timedOut,
  ]);
  clearTimeout(timer);
  if (!connected) return undefined;
  const context = await app.getContext().catch(() => undefined);
  return {
    theme: asTheme(context?.app.theme),
    onThemeChange: (handler) => {
      app.registerOnThemeChangeHandler((name) => {
        handler(asTheme(name) ?? 'default');
      });
    },
    token: () => authentication.getAuthToken(),
  };
}
