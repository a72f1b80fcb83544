/** People, assessments and sharing put straight into the bot's stores, for the tabs' API tests. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { App } from '../../bot/app.js';
import type { Assessment } from '../../bot/core/assessment/assessment.js';
import type { Level } from '../../bot/core/frameworkSchema.js';
import type { Library } from '../../bot/core/library.js';
import { requestLink, respondToLink } from '../../bot/core/managers/consent.js';
import { personalMessage, type Person } from './activities.js';

/** A completed assessment: statements of `gapAreas` rated Developing, the rest Competent. */
export function completedAssessment(
  lib: Library,
  opts: { id: string; level: Level; completedAt: string; gapAreas: readonly string[] },
): Assessment & { completedAt: string } {
  const ratings: Assessment['ratings'] = {};
  for (const area of lib.framework.areas)
    for (const sub of area.subAreas)
      for (const s of sub.statements)
        if (s.levels.includes(opts.level))
          ratings[s.id] = opts.gapAreas.includes(area.id) ? 'developing' : 'competent';
  return {
    id: opts.id,
    level: opts.level,
    startedAt: opts.completedAt,
    updatedAt: opts.completedAt,
    completedAt: opts.completedAt,
    revision: 1,
    position: 0,
    ratings,
    notes: {},
    skipped: [],
  };
}

export async function giveAssessments(
  app: App,
  who: Person,
  assessments: (Assessment & { completedAt: string })[],
): Promise<void> {
  await app.assessments.update(who.aadObjectId, () => ({
    schemaVersion: 1,
    userId: who.aadObjectId,
    history: assessments,
  }));
}

/** The person has written to the bot in personal chat, so it knows their Teams id. */
export async function hasChatted(app: App, who: Person): Promise<void> {
  await app.refs.remember(personalMessage(who, 'hello'));
}

/** The coder names the manager and the manager accepts. */
export async function shares(app: App, coder: Person, manager: Person, now: Date): Promise<void> {
  await requestLink(app.managers, {
    coderKey: coder.aadObjectId,
    coderName: coder.name,
    coderTeamsId: coder.id,
    managerTeamsId: manager.id,
    managerName: manager.name,
    status: 'pending',
    requestedAt: now.toISOString(),
    serviceUrl: 'http://127.0.0.1:1/',
    terms: 2,
  });
  await respondToLink(app.managers, {
    coderKey: coder.aadObjectId,
    managerTeamsId: manager.id,
    accept: true,
    now,
  });
}

/** A stand-in for Microsoft Entra ID: its published keys on loopback, and tokens signed as it signs them. */
export class EntraStandIn {
  private server?: Server;
  url = '';
  private constructor(
    private readonly key: CryptoKey,
    private readonly jwk: Record<string, unknown>,
  ) {}

  static async start(): Promise<EntraStandIn> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
    const entra = new EntraStandIn(privateKey, jwk);
    entra.server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [entra.jwk] }));
    });
    await new Promise<void>((r) => entra.server?.listen(0, '127.0.0.1', r));
    entra.url = `http://127.0.0.1:${(entra.server.address() as AddressInfo).port}/discovery/v2.0/keys`;
    return entra;
  }

  /** A token as Teams' single sign-on gives a tab; `claims` override the defaults. */
  async token(
    claims: JWTPayload & { oid?: string; tid?: string; name?: string },
    opts: { key?: CryptoKey; now?: Date; lifetimeSeconds?: number } = {},
  ): Promise<string> {
    const now = Math.floor((opts.now ?? new Date(Date.now())).getTime() / 1000);
    const tid = claims.tid ?? TENANT;
    return new SignJWT({ ver: '2.0', tid, iss: `https://login.microsoftonline.com/${tid}/v2.0`, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1', typ: 'JWT' })
      .setIssuedAt(now)
      .setNotBefore(now - 60)
      .setExpirationTime(now + (opts.lifetimeSeconds ?? 3600))
      .sign(opts.key ?? this.key);
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      if (this.server)
        this.server.close(() => {
          r();
        });
      else r();
    });
  }
}

export const TENANT = '72f988bf-0000-4000-8000-00000000000a';
export const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
export const PUBLIC_URL = 'https://coding-auditor.example.nhs.uk';
export const TAB_AUDIENCE = `api://coding-auditor.example.nhs.uk/${APP_ID}`;
