/** The tabs' JSON API on the bot's own server (same origin), with the signed-in person's credentials. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  /** True for the development sign-in (local mode, loopback only), which the page must say. */
  local: boolean;
  headers(): Promise<Record<string, string>>;
}

export async function getJson<T>(session: Session, path: string): Promise<T> {
  const res = await fetch(path, {
    headers: { accept: 'application/json', ...(await session.headers()) },
    cache: 'no-store',
  });
  if (!res.ok) throw new ApiError(res.status, `${path} answered ${res.status}`);
  return (await res.json()) as T;
}
