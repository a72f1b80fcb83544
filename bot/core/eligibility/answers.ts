import { withoutKeys } from '../records.js';
import type { EligibilityAnswers, EligibilityDoc } from './eligibilitySchema.js';

/** Saved eligibility answers, one small document per user, shared by all programmes. */
export interface EligibilityRepo {
  get(userKey: string): Promise<EligibilityDoc | undefined>;
  update(
    userKey: string,
    change: (doc: EligibilityDoc | undefined) => EligibilityDoc | undefined,
  ): Promise<EligibilityDoc | undefined>;
  remove(userKey: string): Promise<void>;
}

/**
 * A programme's answers saved: they replace that programme's earlier answers and keep those given for
 * other programmes, so checking CCTP does not forget what was said for CCAP.
 */
function withProgrammeAnswers(
  doc: EligibilityDoc | undefined,
  userKey: string,
  programmeQuestions: readonly string[],
  answers: EligibilityAnswers,
  now: Date,
): EligibilityDoc {
  const kept: Record<string, unknown> = withoutKeys(doc?.answers ?? {}, programmeQuestions);
  return {
    userId: userKey,
    answers: { ...kept, ...answers },
    updatedAt: now.toISOString(),
    schemaVersion: 1 as const,
  };
}

/** Saves a programme's answers (see withProgrammeAnswers). */
export function saveProgrammeAnswers(
  repo: EligibilityRepo,
  userKey: string,
  programmeQuestions: readonly string[],
  answers: EligibilityAnswers,
  now: Date,
): Promise<EligibilityDoc | undefined> {
  return repo.update(userKey, (doc) => withProgrammeAnswers(doc, userKey, programmeQuestions, answers, now));
}
