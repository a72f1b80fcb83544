import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Request } from 'restify';
import { tabResource } from '../core/tabs/tabApp.js';

/*
 * Who is asking, for the tabs' JSON. Teams hands the tab a token from its single sign-on
 * (authentication.getAuthToken()); the page sends it as `Authorization: Bearer <token>`. Its signature is
 * checked against Microsoft Entra ID's published keys (jose fetches them once and caches them, fetching
 * again only for a key id it has not seen), then the audience (this app), the expiry, the issuer (Entra
 * ID v2 or v1, for the token's own tenant) and, when MicrosoftAppTenantId is set, that the tenant is
 * ours; without it any tenant's people may sign in, as with a multi-tenant bot.
 *
 * Local mode (no app id, so no token can name this app): `Authorization: Dev <aadObjectId>` signs in as
 * that person, only from loopback to a loopback Host, for trying the tabs on one's own machine.
 */

export interface TabIdentity {
  /** The person's Entra object id (the token's `oid`), lower case. */
  oid: string;
  /** The token's `name` claim, when it has one. */
  name?: string;
  devSignIn: boolean;
}

export interface TabAuthOptions {
  /** MicrosoftAppId; absent in local mode. */
  appId?: string;
  /** MicrosoftAppTenantId: when set, only this tenant's tokens. */
  tenantId?: string;
  /** BOT_PUBLIC_URL, whose host names the app's API (api://<host>/<appId>). */
  publicUrl?: string;
  jwksUrl: string;
  localMode: boolean;
  clock: () => Date;
}

const OBJECT_ID = /^[0-9a-z][0-9a-z._:-]{0,127}$/i;
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Clock skew tolerated between Entra ID and this server. */
const CLOCK_TOLERANCE_S = 300;

/** The audiences a tab token for this app may carry: the manifest's webApplicationInfo.resource and the bare id. */
function tabAudiences(appId: string, publicUrl: string | undefined): string[] {
  return [...(publicUrl ? [tabResource(appId, publicUrl)] : []), appId];
}

function hostOf(req: Request): string {
  const host = req.headers.host ?? '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}

/** Whether the request came over loopback to a loopback name, so a page on another site cannot ask. */
function fromLoopback(req: Request): boolean {
  return (
    LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') && LOOPBACK_HOSTS.has(hostOf(req).toLowerCase())
  );
}

/** Builds the sign-in check; it answers who is asking, or undefined for anything it cannot trust. */
export function createTabAuthenticator(
  opts: TabAuthOptions,
): (req: Request) => Promise<TabIdentity | undefined> {
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl));
  const audiences = opts.appId ? tabAudiences(opts.appId, opts.publicUrl) : [];
  const tenant = opts.tenantId?.toLowerCase();

  const verifyBearer = async (token: string): Promise<TabIdentity | undefined> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        audience: audiences,
        algorithms: ['RS256'],
        currentDate: opts.clock(),
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'iss', 'aud'],
      }));
    } catch {
      return undefined;
    }
    const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : undefined;
    const oid = typeof payload.oid === 'string' ? payload.oid.toLowerCase() : undefined;
    if (!tid || !oid || !OBJECT_ID.test(oid)) return undefined;
    if (tenant && tid !== tenant) return undefined;
    const issuers = [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
    if (!issuers.includes(String(payload.iss).toLowerCase())) return undefined;
    const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name.trim() : undefined;
    return { oid, ...(name ? { name } : {}), devSignIn: false };
  };

  return async (req) => {
    const header = req.headers.authorization ?? '';
    const [scheme, value, extra] = header.trim().split(/\s+/);
    if (!scheme || !value || extra !== undefined) return undefined;
    if (scheme.toLowerCase() === 'bearer') return opts.appId ? verifyBearer(value) : undefined;
    if (scheme.toLowerCase() === 'dev' && opts.localMode && fromLoopback(req) && OBJECT_ID.test(value))
      return { oid: value.toLowerCase(), devSignIn: true };
    return undefined;
  };
}
