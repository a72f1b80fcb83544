import type { EligibilityRepo } from '../core/eligibility/answers.js';
import { EligibilityDocSchema, type EligibilityDoc } from '../core/eligibility/eligibilitySchema.js';
import type { DocumentStore } from './documentStore.js';

const eligibilityKey = (userKey: string) => `eligibility/${userKey}`;

/** Eligibility answers over DocumentStore, one small document per user. */
export class EligibilityStore implements EligibilityRepo {
  constructor(private readonly store: DocumentStore) {}

  get(userKey: string): Promise<EligibilityDoc | undefined> {
    return this.store.get(eligibilityKey(userKey), EligibilityDocSchema);
  }

  update(
    userKey: string,
    change: (doc: EligibilityDoc | undefined) => EligibilityDoc | undefined,
  ): Promise<EligibilityDoc | undefined> {
    return this.store.update(eligibilityKey(userKey), EligibilityDocSchema, change);
  }

  remove(userKey: string): Promise<void> {
    return this.store.remove(eligibilityKey(userKey));
  }
}
