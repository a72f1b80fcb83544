import type { AssessmentRepo } from '../assessment/assessment.js';
import type { EligibilityRepo } from '../eligibility/answers.js';
import { removeManager, revokeLink, type ManagerRepo } from '../managers/consent.js';
import type { ReviewRepo } from '../review/review.js';
import type { PlanRepo } from '../plan/plan.js';
import type { ReminderRepo } from '../reminders/reminders.js';

/**
 * Everyone who has stored an assessment or eligibility answers (and line managers who accepted or act
 * on a plan), so retention and reminder passes reach people who never come back.
 */
export interface UsersIndex {
  add(userKey: string): Promise<void>;
  remove(userKey: string): Promise<void>;
  all(): Promise<string[]>;
}

/** What the bot keeps to message a person: their personal chat and the shared ones. */
interface ConversationRecords {
  forUser(
    userKey: string,
  ): Promise<
    ({ personal?: unknown; shared?: Record<string, unknown> } & Record<string, unknown>) | undefined
  >;
  forgetUser(userKey: string): Promise<void>;
}

export interface MyDataDeps {
  assessments: AssessmentRepo;
  eligibility: EligibilityRepo;
  managers: ManagerRepo;
  reviews: ReviewRepo;
  plans: PlanRepo;
  refs: ConversationRecords;
  users: UsersIndex;
  reminders: Pick<ReminderRepo, 'get' | 'remove'>;
}

/** Everything stored about one person, as plain data: what /mydata sums up and its file holds. */
export async function collectMyData(deps: MyDataDeps, userKey: string, teamsId: string | undefined) {
  const [assessments, eligibility, link, asManager, references, reviews, plan, reminders] = await Promise.all(
    [
      deps.assessments.get(userKey),
      deps.eligibility.get(userKey),
      deps.managers.link(userKey),
      teamsId ? deps.managers.manager(teamsId) : Promise.resolve(undefined),
      deps.refs.forUser(userKey),
      deps.reviews.get(userKey),
      deps.plans.get(userKey),
      deps.reminders.get(userKey),
    ],
  );
  return {
    userKey,
    selfAssessments: assessments ?? null,
    eligibilityAnswers: eligibility ?? null,
    lineManagerLink: link ?? null,
    managerReviews: reviews?.reviews ?? [],
    developmentPlan: plan?.items ?? [],
    asLineManager: asManager
      ? {
          coders: Object.values(asManager.coders).map((c) => ({ name: c.name, status: c.status })),
          lastDigest: asManager.digest ?? null,
        }
      : null,
    conversationReferences: references ?? null,
    reminders: reminders ?? null,
  };
}

export type MyData = Awaited<ReturnType<typeof collectMyData>>;

/**
 * Erases a person everywhere: assessments and history, eligibility answers, their manager link
 * (and their part of that manager's digest records), their own manager record and the links that
 * pointed to it, conversation references, reminder settings and records, and the users index.
 */
export async function forgetUser(
  deps: MyDataDeps,
  userKey: string,
  teamsId: string | undefined,
): Promise<void> {
  await revokeLink(deps.managers, userKey);
  if (teamsId) {
    // What they wrote as a manager goes too: their reviews of the coders who shared with them.
    const own = await deps.managers.manager(teamsId);
    for (const coderKey of Object.keys(own?.coders ?? {})) {
      await deps.reviews.update(coderKey, (doc) =>
        doc.reviews.some((r) => r.managerTeamsId === teamsId)
          ? { reviews: doc.reviews.filter((r) => r.managerTeamsId !== teamsId) }
          : undefined,
      );
    }
    await removeManager(deps.managers, teamsId);
  }
  await Promise.all([
    deps.assessments.remove(userKey),
    deps.reviews.remove(userKey),
    deps.plans.remove(userKey),
    deps.eligibility.remove(userKey),
    deps.refs.forgetUser(userKey),
    deps.users.remove(userKey),
    deps.reminders.remove(userKey),
  ]);
}
