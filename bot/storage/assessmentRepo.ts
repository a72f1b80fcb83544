import {
  AssessmentDatesSchema,
  AssessmentDocSchema,
  newAssessmentDoc,
  type AssessmentDates,
  type AssessmentDoc,
  type AssessmentRepo,
} from '../core/assessment/assessment.js';
import type { DocumentStore } from './documentStore.js';

export const assessmentKey = (userKey: string) => `assessment/${userKey}`;

/** Self-assessments over DocumentStore, one small document per user. */
export class AssessmentStore implements AssessmentRepo {
  constructor(
    private readonly store: DocumentStore,
    /** Called once when a user's first assessment document is written (the retention index). */
    private readonly onFirstWrite?: (userKey: string) => Promise<void>,
  ) {}

  get(userKey: string): Promise<AssessmentDoc | undefined> {
    return this.store.get(assessmentKey(userKey), AssessmentDocSchema);
  }

  dates(userKey: string): Promise<AssessmentDates | undefined> {
    return this.store.get(assessmentKey(userKey), AssessmentDatesSchema);
  }

  async update(
    userKey: string,
    change: (doc: AssessmentDoc) => AssessmentDoc | undefined,
  ): Promise<AssessmentDoc | undefined> {
    // Set inside the change (so an object: the compiler does not see a callback assign a local).
    const first = { write: false };
    const saved = await this.store.update(assessmentKey(userKey), AssessmentDocSchema, (cur) => {
      const next = change(cur ?? newAssessmentDoc(userKey));
      first.write = !cur && next !== undefined;
      return next;
    });
    if (first.write && saved) await this.onFirstWrite?.(userKey);
    return saved;
  }

  remove(userKey: string): Promise<void> {
    return this.store.remove(assessmentKey(userKey));
  }
}
