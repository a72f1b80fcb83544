import { ReviewDocSchema, type ReviewDoc, type ReviewRepo } from '../core/review/review.js';
import type { DocumentStore } from './documentStore.js';

const reviewKey = (coderKey: string) => `review/${coderKey}`;

/** Managers' reviews over DocumentStore, one small document per coder. */
export class ReviewStore implements ReviewRepo {
  constructor(private readonly store: DocumentStore) {}

  get(coderKey: string): Promise<ReviewDoc | undefined> {
    return this.store.get(reviewKey(coderKey), ReviewDocSchema);
  }

  update(
    coderKey: string,
    change: (doc: ReviewDoc) => ReviewDoc | undefined,
  ): Promise<ReviewDoc | undefined> {
    return this.store.update(reviewKey(coderKey), ReviewDocSchema, (cur) => change(cur ?? { reviews: [] }));
  }

  remove(coderKey: string): Promise<void> {
    return this.store.remove(reviewKey(coderKey));
  }
}
