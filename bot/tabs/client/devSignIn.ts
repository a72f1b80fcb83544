/**
 * The development sign-in: in local mode (no app id) the server, on loopback only, accepts
 * `Authorization: Dev <Entra object id>` instead of a Teams token. The page signs in as the person
 * in the address's `?as=`, so one browser can open the tabs as a coder, a manager or an
 * organisation viewer (`npm run dev` prints addresses for the Playground's user).
 */
import type { WhoAmIView } from '../../core/tabs/tabViews.js';
import type { Session } from './api.js';

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A development session when the server accepts it (local mode, loopback); undefined otherwise. */
export async function devSession(): Promise<Session | undefined> {
  const as = new URLSearchParams(location.search).get('as') ?? '';
  if (!OBJECT_ID.test(as)) return undefined;
  const named = { authorization: `Dev ${as}` };
  const res = await fetch('/api/tabs/whoami', { headers: named, cache: 'no-store' }).catch(() => undefined);
  if (!res?.ok) return undefined;
  const who = (await res.json()) as WhoAmIView;
  return who.devSignIn ? { local: true, headers: () => Promise.resolve(named) } : undefined;
}
