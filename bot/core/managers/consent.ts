import { z } from 'zod';
import { withoutKeys } from '../records.js';

/*
 * A coder naming their line manager, with consent on both sides: the coder asks (pending), the manager
 * accepts or declines, and either the coder revokes or a new request replaces the link, which stops
 * sharing with the earlier manager at once. The link (one per coder) and the manager's document (their
 * consenting coders, their chat, their digest week) change together; the rules for both are here, the
 * storage of them behind ManagerRepo.
 */

const ReferenceSchema = z.record(z.string(), z.unknown());

export const LinkSchema = z.object({
  coderKey: z.string(),
  coderName: z.string(),
  coderTeamsId: z.string(),
  managerTeamsId: z.string(),
  managerName: z.string(),
  status: z.enum(['pending', 'accepted', 'declined']),
  requestedAt: z.string(),
  respondedAt: z.string().optional(),
  tenantId: z.string().optional(),
  serviceUrl: z.string(),
  /**
   * What the coder agreed to share: 1, the weekly digest; 2, also each completed self-assessment
   * with its evidence notes, for the manager to review. Links made before reviews are 1.
   */
  terms: z.number().int().min(1).optional(),
});
export type Link = z.infer<typeof LinkSchema>;

export const ManagerDocSchema = z.object({
  managerTeamsId: z.string(),
  managerName: z.string(),
  /** The manager's personal chat with the bot, for the weekly digest. */
  reference: ReferenceSchema.optional(),
  tenantId: z.string().optional(),
  serviceUrl: z.string().optional(),
  coders: z
    .record(z.string(), z.object({ name: z.string(), status: z.enum(['pending', 'accepted']) }))
    .default({}),
  /** The connector said the manager removed or blocked the bot; skipped until they return. */
  unreachable: z.boolean().default(false),
  digest: z
    .object({
      week: z.string(),
      status: z.enum(['claimed', 'sent']),
      claimId: z.string(),
      claimedAt: z.string(),
      sentAt: z.string().optional(),
    })
    .optional(),
  snapshots: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type ManagerDoc = z.infer<typeof ManagerDocSchema>;

/** Coder → manager links and each manager's document, as the consent rules need them stored. */
export interface ManagerRepo {
  link(coderKey: string): Promise<Link | undefined>;
  putLink(link: Link): Promise<void>;
  removeLink(coderKey: string): Promise<void>;
  manager(teamsId: string): Promise<ManagerDoc | undefined>;
  updateManager(
    teamsId: string,
    change: (doc: ManagerDoc | undefined) => ManagerDoc | undefined,
  ): Promise<ManagerDoc | undefined>;
  removeManagerDoc(teamsId: string): Promise<void>;
  /** Managers with at least one consenting coder, for the weekly run. */
  managerIds(): Promise<string[]>;
  addManagerId(teamsId: string): Promise<void>;
  removeManagerId(teamsId: string): Promise<void>;
}

/** A manager's document with the coder added as pending (a new document for a manager named first). */
function withPendingCoder(m: ManagerDoc | undefined, link: Link): ManagerDoc {
  return {
    ...(m ?? {
      managerTeamsId: link.managerTeamsId,
      managerName: link.managerName,
      coders: {},
      unreachable: false,
      snapshots: [],
    }),
    managerName: link.managerName,
    tenantId: m?.tenantId ?? link.tenantId,
    serviceUrl: m?.serviceUrl ?? link.serviceUrl,
    coders: { ...(m?.coders ?? {}), [link.coderKey]: { name: link.coderName, status: 'pending' } },
  };
}

/** The manager's document without the coder, and without what the digest last showed of them. */
function withoutCoder(m: ManagerDoc | undefined, coderKey: string): ManagerDoc | undefined {
  if (!m || !m.coders[coderKey]) return undefined;
  const coders = withoutKeys(m.coders, [coderKey]);
  return { ...m, coders, snapshots: m.snapshots.filter((s) => s.coderKey !== coderKey) };
}

/**
 * Records a request; replaces any earlier link, which stops sharing with the earlier manager at once.
 */
export async function requestLink(repo: ManagerRepo, link: Link): Promise<void> {
  const previous = await repo.link(link.coderKey);
  if (previous && previous.managerTeamsId !== link.managerTeamsId)
    await repo.updateManager(previous.managerTeamsId, (m) => withoutCoder(m, previous.coderKey));
  await repo.putLink(link);
  await repo.updateManager(link.managerTeamsId, (m) => withPendingCoder(m, link));
}

/**
 * The manager's answer. Only the manager the coder named may answer, and only a pending request: one
 * answered, withdrawn or replaced gives undefined. Accepting adds the coder to the manager's digest
 * and the manager to the weekly run; declining takes the coder off the manager's list.
 */
export async function respondToLink(
  repo: ManagerRepo,
  answer: {
    coderKey: string;
    managerTeamsId: string;
    accept: boolean;
    now: Date;
    /** The manager's personal chat, to send their digest to. */
    reference?: Record<string, unknown>;
  },
): Promise<Link | undefined> {
  const { coderKey, managerTeamsId, accept, now, reference } = answer;
  const link = await repo.link(coderKey);
  if (!link || link.managerTeamsId !== managerTeamsId || link.status !== 'pending') return undefined;
  const updated: Link = {
    ...link,
    status: accept ? 'accepted' : 'declined',
    respondedAt: now.toISOString(),
  };
  await repo.putLink(updated);
  await repo.updateManager(managerTeamsId, (m) => {
    if (!m) return undefined;
    const coders = accept
      ? { ...m.coders, [coderKey]: { name: link.coderName, status: 'accepted' as const } }
      : withoutKeys(m.coders, [coderKey]);
    return { ...m, coders, unreachable: false, reference: reference ?? m.reference };
  });
  if (accept) await repo.addManagerId(managerTeamsId);
  return updated;
}

/** Revoking takes effect at once: the manager's list no longer names the coder. */
export async function revokeLink(repo: ManagerRepo, coderKey: string): Promise<Link | undefined> {
  const link = await repo.link(coderKey);
  if (!link) return undefined;
  await repo.updateManager(link.managerTeamsId, (m) => withoutCoder(m, link.coderKey));
  await repo.removeLink(coderKey);
  return link;
}

/** A manager leaves: the links that named them end, and their own record and place in the weekly run go. */
export async function removeManager(repo: ManagerRepo, teamsId: string): Promise<void> {
  const own = await repo.manager(teamsId);
  for (const coderKey of Object.keys(own?.coders ?? {})) {
    const link = await repo.link(coderKey);
    if (link?.managerTeamsId === teamsId) await revokeLink(repo, coderKey);
  }
  await repo.removeManagerDoc(teamsId);
  await repo.removeManagerId(teamsId);
}
