import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import pLimit from 'p-limit';
import {
  AssessmentDocSchema,
  RATINGS,
  assessmentPlan,
  currentStep,
  newAssessmentDoc,
  restartAssessment,
  type AssessmentDoc,
} from '../bot/core/assessment/assessment.js';
import type { Library } from '../bot/core/library.js';
import { DocumentStore } from '../bot/storage/documentStore.js';
import { LowdbStorage } from '../bot/storage/lowdbStorage.js';
import { ConversationRefStore } from '../bot/teams/conversationRefs.js';
import { assessmentKey } from '../bot/storage/assessmentRepo.js';
import { ManagerDocSchema, type ManagerDoc } from '../bot/core/managers/consent.js';
import { EligibilityDocSchema, type EligibilityDoc } from '../bot/core/eligibility/eligibilitySchema.js';
import { managerKey } from '../bot/storage/managerRepo.js';
import { z } from 'zod';

export const BOT = { id: '28:bench-bot', name: 'Coding Auditor' };

export interface BenchUser {
  aadObjectId: string;
  assessmentId: string;
  /** The first sub-area of the trainee plan, where the seeded assessment in progress stands. */
  subAreaId: string;
  statementIds: string[];
}

export function userId(i: number): string {
  return `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`;
}

/** The personal-chat activity shape the bench sends for a user (message or invoke fills in the rest). */
export function personalActivity(aadObjectId: string, serviceUrl: string): Partial<Activity> {
  return {
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:${aadObjectId}`, name: 'Bench user', aadObjectId },
    recipient: BOT,
    conversation: {
      id: `a:personal-${aadObjectId}`,
      conversationType: 'personal',
      tenantId: 'tenant-bench',
    } as Activity['conversation'],
    channelData: { tenant: { id: 'tenant-bench' } },
  };
}

/**
 * Writes N users' documents as lowdb files, as a bot in steady use would have them: a completed
 * trainee self-assessment (every statement rated) in the history, a new one in progress at its first
 * card (revision 0), and the personal conversation reference, fresh (so turns only read it).
 */
export async function seedUsers(
  dataDir: string,
  lib: Library,
  count: number,
  serviceUrl: string,
): Promise<BenchUser[]> {
  const storage = new LowdbStorage(dataDir);
  const store = new DocumentStore(storage);
  const refs = new ConversationRefStore(store, () => new Date());
  const plan = assessmentPlan(lib, 'trainee');
  const allIds = plan.flatMap((s) => s.subArea.statements.map((st) => st.id));
  const limit = pLimit(64);
  const now = new Date();
  const earlier = new Date(now.getTime() - 90 * 24 * 3600 * 1000);
  const users = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async () => {
        const id = userId(i);
        const first = restartAssessment(newAssessmentDoc(id), 'trainee', { id: randomUUID(), now: earlier });
        const completed = {
          ...first.current!,
          ratings: Object.fromEntries(allIds.map((s, n) => [s, RATINGS[(i + n) % RATINGS.length]!])),
          revision: plan.length,
          position: plan.length - 1,
          completedAt: earlier.toISOString(),
        };
        const doc: AssessmentDoc = restartAssessment(
          { schemaVersion: 1, userId: id, history: [completed] },
          'trainee',
          { id: randomUUID(), now },
        );
        await store.put(assessmentKey(id), AssessmentDocSchema, doc);
        await refs.remember({ ...personalActivity(id, serviceUrl), type: 'message' });
        const step = currentStep(lib, doc.current!);
        return {
          aadObjectId: id,
          assessmentId: doc.current!.id,
          subAreaId: step.subArea.id,
          statementIds: step.statements.map((s) => s.id),
        };
      }),
    ),
  );
  // The bot processes write here next; a directory has one writing process at a time.
  await storage.close();
  return users;
}

export const managerId = (m: number) => `29:bench-manager-${m}`;

/**
 * Line managers for the digest bench, written straight to storage: `managers` managers, each with
 * `codersEach` consenting coders taken in order from the users seeded by `seedUsers`, a stored
 * personal conversation reference (so the digest continues it), and the digest index listing them.
 */
export async function seedManagers(
  dataDir: string,
  managers: number,
  codersEach: number,
  serviceUrl: string,
): Promise<void> {
  const storage = new LowdbStorage(dataDir);
  const store = new DocumentStore(storage);
  const limit = pLimit(64);
  await Promise.all(
    Array.from({ length: managers }, (_, m) =>
      limit(async () => {
        const id = managerId(m);
        const coders: Record<string, { name: string; status: 'accepted' }> = {};
        for (let c = 0; c < codersEach; c++)
          coders[userId(m * codersEach + c)] = { name: `Coder ${m}-${c}`, status: 'accepted' };
        const doc: ManagerDoc = {
          managerTeamsId: id,
          managerName: `Manager ${m}`,
          reference: {
            channelId: 'msteams',
            serviceUrl,
            bot: BOT,
            user: { id, name: `Manager ${m}` },
            conversation: {
              id: `a:bench-manager-${m}`,
              conversationType: 'personal',
              tenantId: 'tenant-bench',
            },
          },
          tenantId: 'tenant-bench',
          serviceUrl,
          coders,
          unreachable: false,
          snapshots: [],
        };
        await store.put(managerKey(id), ManagerDocSchema, doc);
      }),
    ),
  );
  // The digest run's list of managers (ManagerRepo keeps it under this key).
  await store.put('managers/index', z.object({ managers: z.array(z.string()) }), {
    managers: Array.from({ length: managers }, (_, m) => managerId(m)),
  });
  await storage.close();
}

/**
 * What a reminder pass reads besides the seeded assessments: saved CCAP answers for every user (ACC
 * and refresher dates spread over a few weeks either side of their rules' dates, saved `savedAt`),
 * and the users index listing them all, as the bot keeps it.
 */
export async function seedReminderState(dataDir: string, count: number, savedAt: Date): Promise<void> {
  const storage = new LowdbStorage(dataDir);
  const store = new DocumentStore(storage);
  const limit = pLimit(64);
  const day = (offset: number) => {
    const d = new Date(savedAt.getTime() + offset * 24 * 3600 * 1000);
    return d.toISOString().slice(0, 10);
  };
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async () => {
        const doc: EligibilityDoc = {
          userId: userId(i),
          answers: {
            hasAcc: true,
            accDate: day(-3 * 365 + (i % 60) - 20),
            ccsrcDate: day(-3 * 365 + 80 + (i % 40)),
            codersToolbox: true,
          },
          updatedAt: savedAt.toISOString(),
          schemaVersion: 1,
        };
        await store.put(`eligibility/${userId(i)}`, EligibilityDocSchema, doc);
      }),
    ),
  );
  await store.put('users/index', z.object({ users: z.array(z.string()) }), {
    users: Array.from({ length: count }, (_, i) => userId(i)),
  });
  await storage.close();
}
