import { PlanDocSchema, type PlanDoc, type PlanRepo } from '../core/plan/plan.js';
import type { DocumentStore } from './documentStore.js';

const planKey = (coderKey: string) => `plan/${coderKey}`;

/** Development plans over DocumentStore, one small document per coder. */
export class PlanStore implements PlanRepo {
  constructor(private readonly store: DocumentStore) {}

  get(coderKey: string): Promise<PlanDoc | undefined> {
    return this.store.get(planKey(coderKey), PlanDocSchema);
  }

  update(coderKey: string, change: (doc: PlanDoc) => PlanDoc | undefined): Promise<PlanDoc | undefined> {
    return this.store.update(planKey(coderKey), PlanDocSchema, (cur) => change(cur ?? { items: [] }));
  }

  remove(coderKey: string): Promise<void> {
    return this.store.remove(planKey(coderKey));
  }
}
