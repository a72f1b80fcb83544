import type { EligibilityRepo } from '../core/eligibility/answers.js';
import { EligibilityDocSchema, type EligibilityDoc } from '../core/eligibility/eligibilitySchema.js';
import type { DocumentStore } from './documentStore.js';

const eligibilityKey = (userKey: string) => `eligibility/${userKey}`;

/** Eligibility answers over DocumentStore, one small document per user. */
export class EligibilityStore implements EligibilityRepo {
  constructor(
    private readonly store: DocumentStore,
    /** Called once when a user's first answers are written (the users index, which reminder passes read). */
    private readonly onFirstWrite?: (userKey: string) => Promise<void>,
  ) {}

  get(userKey: string): Promise<EligibilityDoc | undefined> {
    return this.store.get(eligibilityKey(userKey), EligibilityDocSchema);
  }

  async update(
    userKey: string,
    change: (doc: EligibilityDoc | undefined) => EligibilityDoc | undefined,
  ): Promise<EligibilityDoc | undefined> {
    // Set inside the change (so an object: the compiler does not see a callback assign a local).
    const first = { write: false };
    const saved = await this.store.update(eligibilityKey(userKey), EligibilityDocSchema, (cur) => {
      const next = change(cur);
      first.write = !cur && next !== undefined;
      return next;
    });
    if (first.write && saved) await this.onFirstWrite?.(userKey);
    return saved;
  }

  remove(userKey: string): Promise<void> {
    return this.store.remove(eligibilityKey(userKey));
  }
}
