import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { App } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { EligibilityRules } from '../core/eligibility/eligibilitySchema.js';
import type { Library } from '../core/library.js';
import { summarizeAssessment } from '../core/assessment/gaps.js';
import type { ManagerDoc } from '../core/managers/consent.js';
import { buildOrgView, quarterOf, type OrgPerson } from '../core/tabs/orgView.js';
import { buildProgressView } from '../core/tabs/progressView.js';
import { completedInOrder } from '../core/assessment/assessment.js';
import { buildTeamView } from '../core/tabs/teamView.js';
import type { ReviewDoc } from '../core/review/review.js';
import type { MyProgressView, MyTeamView, OrgView, SignedInView, WhoAmIView } from '../core/tabs/tabViews.js';
import { createTabAuthenticator, type TabAuthOptions, type TabIdentity } from './tabAuth.js';

export interface TabRouteDeps {
  app: App;
  lib: Library;
  rules: EligibilityRules;
  log: Logger;
  clock: () => Date;
  auth: Omit<TabAuthOptions, 'clock'>;
  /** Entra object ids allowed the organisation view (ORG_VIEWERS), lower case. */
  orgViewers: readonly string[];
  /**
   * Keys the opaque coder keys of the team view; a random one per process when absent, so the keys
   * hold until a restart (several instances need the same secret: EXPORT_LINK_SECRET).
   */
  secret?: string;
}

/** The tabs' settings from the configuration: sign-in, organisation viewers, the key secret. */
export function tabSettings(config: Config): Pick<TabRouteDeps, 'auth' | 'orgViewers' | 'secret'> {
  return {
    auth: {
      appId: config.MicrosoftAppId,
      tenantId: config.MicrosoftAppTenantId,
      publicUrl: config.BOT_PUBLIC_URL,
      jwksUrl: config.TAB_JWKS_URL,
      localMode: config.localMode,
    },
    orgViewers: config.ORG_VIEWERS,
    secret: config.EXPORT_LINK_SECRET,
  };
}

const LEVELS = ['trainee', 'approved', 'all'] as const;

/** What the tabs know of the person asking: their own key, and their manager's side where they have one. */
interface Person {
  userKey: string;
  displayName: string;
  managerDoc?: ManagerDoc;
}

function refuse(res: Response, status: 401 | 403 | 404 | 400): void {
  const error = {
    400: 'bad request',
    401: 'sign-in required',
    403: 'not allowed',
    404: 'not found',
  }[status];
  res.header('cache-control', 'no-store');
  res.send(status, { error });
}

function answer(res: Response, body: SignedInView<MyProgressView | MyTeamView | OrgView> | WhoAmIView): void {
  res.header('cache-control', 'no-store');
  res.send(200, body);
}

/**
 * GET /api/tabs/whoami, /api/tabs/me, /api/tabs/team, /api/tabs/team/:coderKey, /api/tabs/org: the JSON
 * the three personal tabs draw (bot/core/tabs/tabViews.ts). Each person sees their own data; a manager
 * only the coders whose accepted link names them; an organisation viewer only counts of 5 or more.
 */
export function addTabRoutes(server: Server, deps: TabRouteDeps): void {
  const { app, lib, rules, log, clock } = deps;
  const authenticate = createTabAuthenticator({ ...deps.auth, clock });
  const orgViewers = new Set(deps.orgViewers.map((id) => id.toLowerCase()));
  const secret = deps.secret ?? randomBytes(32).toString('hex');

  /** This manager's key for a coder: the same coder has another key for another manager. */
  const coderKeyFor = (managerTeamsId: string, coderUserKey: string) =>
    createHmac('sha256', `tabs-coder-key\n${secret}`)
      .update(`${managerTeamsId}\n${coderUserKey}`)
      .digest('base64url')
      .slice(0, 22);

  const clockView = (now: Date) => ({
    now,
    today: app.calendar.today(now),
    localDate: (iso: string) => app.calendar.localDate(new Date(Date.parse(iso))),
  });

  /** The person behind a signed-in Entra object id: stored under it as the bot keys people (userKey). */
  const personOf = async (who: TabIdentity): Promise<Person> => {
    const userKey = who.oid;
    const refs = await app.refs.forUser(userKey);
    // Managers are keyed by their Teams id, which the bot learnt from their chats with it.
    const teamsIds = [refs?.personal?.reference, ...Object.values(refs?.shared ?? {}).map((s) => s.reference)]
      .map((r) => (r?.user as { id?: unknown } | undefined)?.id)
      .filter((id): id is string => typeof id === 'string' && id !== '');
    let managerDoc: ManagerDoc | undefined;
    for (const id of new Set(teamsIds)) {
      managerDoc = await app.managers.manager(id);
      if (managerDoc) break;
    }
    const link = await app.managers.link(userKey);
    const displayName = who.name ?? link?.coderName ?? managerDoc?.managerName ?? '';
    return { userKey, displayName, ...(managerDoc ? { managerDoc } : {}) };
  };

  /** The coders who share with this manager now: listed as accepted, and their own link names this manager. */
  const sharingCoders = async (doc: ManagerDoc) => {
    const out: { userKey: string; name: string }[] = [];
    for (const [userKey, c] of Object.entries(doc.coders)) {
      if (c.status !== 'accepted') continue;
      const link = await app.managers.link(userKey);
      if (link?.status === 'accepted' && link.managerTeamsId === doc.managerTeamsId)
        out.push({ userKey, name: c.name });
    }
    return out;
  };

  const progressOf = async (
    userKey: string,
    displayName: string,
    opts: { reviews: (doc: ReviewDoc | undefined) => ReviewDoc | undefined; eligibility: boolean },
    now: Date,
  ): Promise<MyProgressView> => {
    const [assessments, reviews, plan, eligibility] = await Promise.all([
      app.assessments.get(userKey),
      app.reviews.get(userKey),
      app.plans.get(userKey),
      opts.eligibility ? app.eligibility.get(userKey) : undefined,
    ]);
    return buildProgressView(
      lib,
      rules,
      { displayName, assessments, reviews: opts.reviews(reviews), plan, eligibility: eligibility?.answers },
      clockView(now),
    );
  };

  /**
   * Every consenting coder, as the weekly digest counts them: listed as accepted by a manager whose
   * own link names that manager; each counted once, with nothing that names them.
   */
  const orgPeople = async (now: Date): Promise<OrgPerson[]> => {
    const seen = new Set<string>();
    const people: OrgPerson[] = [];
    const view = clockView(now);
    for (const managerId of await app.managers.managerIds()) {
      const doc = await app.managers.manager(managerId);
      if (!doc) continue;
      for (const c of await sharingCoders(doc)) {
        if (seen.has(c.userKey)) continue;
        seen.add(c.userKey);
        const history = completedInOrder(await app.assessments.get(c.userKey));
        const latest = history.at(-1);
        if (!latest) continue;
        const lastOfQuarter = new Map(history.map((a) => [quarterOf(view.localDate(a.completedAt)), a]));
        people.push({
          latest: {
            level: latest.level,
            gapSubAreas: summarizeAssessment(lib, latest).gaps.map((g) => g.subAreaId),
          },
          quarters: [...lastOfQuarter].map(([quarter, a]) => ({
            quarter,
            level: a.level,
            hasGap: summarizeAssessment(lib, a).gaps.length > 0,
          })),
        });
      }
    }
    return people;
  };

  /** Signs the request in, or answers 401; nothing about the person is logged. */
  const signedIn = async (req: Request, res: Response): Promise<TabIdentity | undefined> => {
    const who = await authenticate(req);
    if (!who) {
      log.info({ event: 'tabs.refused', status: 401 }, 'tab request without a valid sign-in');
      refuse(res, 401);
    }
    return who;
  };

  server.get('/api/tabs/whoami', async (req: Request, res: Response) => {
    const who = await signedIn(req, res);
    if (!who) return;
    const person = await personOf(who);
    const [assessments, link] = await Promise.all([
      app.assessments.get(person.userKey),
      app.managers.link(person.userKey),
    ]);
    answer(res, {
      displayName: person.displayName,
      roles: {
        coder: !!assessments || !!link,
        manager: person.managerDoc ? (await sharingCoders(person.managerDoc)).length > 0 : false,
        orgViewer: orgViewers.has(who.oid),
      },
      devSignIn: who.devSignIn,
    });
  });

  server.get('/api/tabs/me', async (req: Request, res: Response) => {
    const who = await signedIn(req, res);
    if (!who) return;
    const person = await personOf(who);
    answer(res, {
      ...(await progressOf(
        person.userKey,
        person.displayName,
        { reviews: (d) => d, eligibility: true },
        clock(),
      )),
      devSignIn: who.devSignIn,
    });
  });

  server.get('/api/tabs/team', async (req: Request, res: Response) => {
    const who = await signedIn(req, res);
    if (!who) return;
    const { managerDoc } = await personOf(who);
    const now = clock();
    if (!managerDoc) {
      answer(res, { ...buildTeamView(lib, [], '', clockView(now)), devSignIn: who.devSignIn });
      return;
    }
    const coders = await Promise.all(
      (await sharingCoders(managerDoc)).map(async (c) => {
        const [assessments, reviews, plan] = await Promise.all([
          app.assessments.get(c.userKey),
          app.reviews.get(c.userKey),
          app.plans.get(c.userKey),
        ]);
        return {
          coderKey: coderKeyFor(managerDoc.managerTeamsId, c.userKey),
          displayName: c.name,
          assessments,
          reviews,
          plan,
        };
      }),
    );
    answer(res, {
      ...buildTeamView(lib, coders, managerDoc.managerTeamsId, clockView(now)),
      devSignIn: who.devSignIn,
    });
  });

  server.get('/api/tabs/team/:coderKey', async (req: Request, res: Response) => {
    const who = await signedIn(req, res);
    if (!who) return;
    const param: unknown = (req.params as Record<string, unknown>).coderKey;
    const given = typeof param === 'string' ? param : '';
    const { managerDoc } = await personOf(who);
    const coder = managerDoc
      ? (await sharingCoders(managerDoc)).find((c) =>
          sameKey(given, coderKeyFor(managerDoc.managerTeamsId, c.userKey)),
        )
      : undefined;
    if (!managerDoc || !coder) {
      log.info({ event: 'tabs.refused', status: 403 }, 'team member not sharing with this manager');
      refuse(res, 403);
      return;
    }
    // Only what the coder shares with this manager: their results, this manager's own reviews and the
    // plan; their eligibility answers are theirs alone.
    const view = await progressOf(
      coder.userKey,
      coder.name,
      {
        reviews: (d) =>
          d ? { reviews: d.reviews.filter((r) => r.managerTeamsId === managerDoc.managerTeamsId) } : d,
        eligibility: false,
      },
      clock(),
    );
    answer(res, { ...view, devSignIn: who.devSignIn });
  });

  server.get('/api/tabs/org', async (req: Request, res: Response) => {
    const who = await signedIn(req, res);
    if (!who) return;
    if (!orgViewers.has(who.oid)) {
      log.info({ event: 'tabs.refused', status: 403 }, 'organisation view for someone not in ORG_VIEWERS');
      refuse(res, 403);
      return;
    }
    const asked = new URL(req.url ?? '', 'http://localhost').searchParams.get('level') ?? 'all';
    const level = LEVELS.find((l) => l === asked);
    if (!level) {
      refuse(res, 400);
      return;
    }
    const now = clock();
    answer(res, {
      ...buildOrgView(lib, await orgPeople(now), level, app.calendar.today(now)),
      devSignIn: who.devSignIn,
    });
  });
}

/** Compares keys in constant time. */
function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
