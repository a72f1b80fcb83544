import type { AssessmentRepo } from '../assessment/assessment.js';
import type { Calendar } from '../calendar.js';
import {
  buildCoderDigest,
  buildWeeklyDigest,
  exportRows,
  type CoderDigest,
  type CoderSnapshotInput,
  type ExportRow,
  type WeeklyDigest,
} from './digest.js';
import type { EligibilityRepo } from '../eligibility/answers.js';
import type { Library } from '../library.js';
import { reviewStatus, type ReviewRepo } from '../review/review.js';
import { planExportRows, planStatus, type PlanExportRow, type PlanRepo } from '../plan/plan.js';
import type { ManagerDoc, ManagerRepo } from '../managers/consent.js';

/*
 * The weekly digest as use cases over the repositories: reading a manager's consenting coders into the
 * pure builders of digest.ts, and the claim that gives each manager exactly one digest a week even
 * with several instances or triggers. Sending is the glue's part.
 */

/** A claim older than this is taken to belong to a run that crashed, and is taken over. */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;

export interface DigestDeps {
  lib: Library;
  managers: ManagerRepo;
  assessments: AssessmentRepo;
  eligibility: EligibilityRepo;
  /** Managers' reviews, for what waits and where a review differed; absent, the digest leaves them out. */
  reviews?: ReviewRepo;
  /** Development plans, for their status and so this week's suggestion is not one already planned. */
  plans?: PlanRepo;
  calendar: Calendar;
}

const acceptedCoders = (doc: ManagerDoc) =>
  Object.entries(doc.coders).filter(([, c]) => c.status === 'accepted');

/** Whether a manager has anyone sharing with them: only then is there a digest, /team or /export. */
export function hasTeam(doc: ManagerDoc | undefined): doc is ManagerDoc {
  return !!doc && acceptedCoders(doc).length > 0;
}

/** Reads a manager's consenting coders and builds the digest; the core's builders do the thinking. */
export class DigestBuilder {
  constructor(private readonly deps: DigestDeps) {}

  private async refresherDate(coderKey: string): Promise<string | undefined> {
    const ccsrc = (await this.deps.eligibility.get(coderKey))?.answers.ccsrcDate;
    return typeof ccsrc === 'string' ? ccsrc : undefined;
  }

  async forManager(doc: ManagerDoc, now: Date): Promise<WeeklyDigest> {
    const previous = new Map(
      doc.snapshots.map((s) => [String(s.coderKey), s as unknown as CoderSnapshotInput]),
    );
    const coders = await Promise.all(
      acceptedCoders(doc).map(async ([coderKey, c]) => {
        const [assessments, ccsrcDate, reviews, plan] = await Promise.all([
          this.deps.assessments.get(coderKey),
          this.refresherDate(coderKey),
          this.deps.reviews?.get(coderKey),
          this.deps.plans?.get(coderKey),
        ]);
        return {
          coderKey,
          coderName: c.name,
          assessments,
          eligibility: { ccsrcDate },
          previous: previous.get(coderKey),
          review: reviewStatus(this.deps.lib, reviews, assessments?.history ?? [], doc.managerTeamsId, now),
          plan: planStatus(plan, this.deps.calendar.today(now)),
        };
      }),
    );
    return buildWeeklyDigest(
      this.deps.lib,
      { managerName: doc.managerName, week: this.deps.calendar.weekOf(now), coders },
      now,
      this.deps.calendar.timeZone,
    );
  }

  /** What a manager sees about one coder, shown to that coder so they know what is shared. */
  async forCoder(coderKey: string, coderName: string, now: Date): Promise<CoderDigest> {
    const [assessments, ccsrcDate] = await Promise.all([
      this.deps.assessments.get(coderKey),
      this.refresherDate(coderKey),
    ]);
    return buildCoderDigest(
      this.deps.lib,
      { coderKey, coderName, assessments, eligibility: { ccsrcDate } },
      now,
      this.deps.calendar.timeZone,
    );
  }

  async exportFor(doc: ManagerDoc): Promise<ExportRow[]> {
    const coders = await Promise.all(
      acceptedCoders(doc).map(async ([coderKey, c]) => ({
        coderName: c.name,
        assessments: await this.deps.assessments.get(coderKey),
        // Only this manager's own reviews: a review by an earlier manager is not theirs to export.
        reviews: ((await this.deps.reviews?.get(coderKey))?.reviews ?? []).filter(
          (r) => r.managerTeamsId === doc.managerTeamsId,
        ),
      })),
    );
    return exportRows(this.deps.lib, coders, this.deps.calendar.timeZone);
  }

  /** The development plans of the manager's consenting coders, for the export. */
  async planExportFor(doc: ManagerDoc): Promise<PlanExportRow[]> {
    const coders = await Promise.all(
      acceptedCoders(doc).map(async ([coderKey, c]) => ({
        coderName: c.name,
        plan: await this.deps.plans?.get(coderKey),
      })),
    );
    return planExportRows(coders.sort((a, b) => a.coderName.localeCompare(b.coderName)));
  }
}

/**
 * Claims the manager's digest week, so that one run sends it: there is none to claim for a manager who
 * is unreachable or has no consenting coder, or whose week is sent, or claimed by a run within the
 * lease. Returns the claimed document, or undefined when another run has it.
 */
export async function claimDigestWeek(
  repo: ManagerRepo,
  claim: { managerId: string; week: string; now: Date; claimId: string },
): Promise<ManagerDoc | undefined> {
  const { managerId, week, now, claimId } = claim;
  const claimed = await repo.updateManager(managerId, (m) => {
    if (!m || m.unreachable || !hasTeam(m)) return undefined;
    const d = m.digest;
    if (
      d &&
      d.week === week &&
      (d.status === 'sent' || now.getTime() - Date.parse(d.claimedAt) < CLAIM_LEASE_MS)
    )
      return undefined;
    return { ...m, digest: { week, status: 'claimed', claimId, claimedAt: now.toISOString() } };
  });
  return claimed?.digest?.claimId === claimId ? claimed : undefined;
}

/** The week sent under this claim: what the manager was shown is kept for next week's changes. */
export async function markDigestSent(
  repo: ManagerRepo,
  sent: {
    managerId: string;
    claimId: string;
    now: Date;
    digest: WeeklyDigest;
    /** The manager's chat, if the send had to open it. */
    reference?: Record<string, unknown>;
  },
): Promise<void> {
  await repo.updateManager(sent.managerId, (m) =>
    m && m.digest?.claimId === sent.claimId
      ? {
          ...m,
          reference: m.reference ?? sent.reference,
          digest: { ...m.digest, status: 'sent', sentAt: sent.now.toISOString() },
          snapshots: sent.digest.snapshots as unknown as Record<string, unknown>[],
        }
      : undefined,
  );
}

/** Not delivered: the week is given back so the next trigger tries again (or stopped, if the bot is gone). */
export async function releaseDigestWeek(
  repo: ManagerRepo,
  released: { managerId: string; claimId: string; gone: boolean },
): Promise<void> {
  await repo.updateManager(released.managerId, (m) =>
    m && m.digest?.claimId === released.claimId
      ? { ...m, digest: undefined, unreachable: released.gone }
      : undefined,
  );
}
