import { z } from 'zod';
import {
  LinkSchema,
  ManagerDocSchema,
  type Link,
  type ManagerDoc,
  type ManagerRepo,
} from '../core/managers/consent.js';
import type { DocumentStore } from './documentStore.js';

const ManagerIndexSchema = z.object({ managers: z.array(z.string()).default([]) });

const linkKey = (coderKey: string) => `link/${coderKey}`;
export const managerKey = (teamsId: string) => `manager/${teamsId}`;
const INDEX_KEY = 'managers/index';

/** Links (one small document per coder), managers' documents and the index of managers, over DocumentStore. */
export class ManagerStore implements ManagerRepo {
  constructor(private readonly store: DocumentStore) {}

  link(coderKey: string): Promise<Link | undefined> {
    return this.store.get(linkKey(coderKey), LinkSchema);
  }

  putLink(link: Link): Promise<void> {
    return this.store.put(linkKey(link.coderKey), LinkSchema, link);
  }

  removeLink(coderKey: string): Promise<void> {
    return this.store.remove(linkKey(coderKey));
  }

  manager(teamsId: string): Promise<ManagerDoc | undefined> {
    return this.store.get(managerKey(teamsId), ManagerDocSchema);
  }

  updateManager(
    teamsId: string,
    change: (doc: ManagerDoc | undefined) => ManagerDoc | undefined,
  ): Promise<ManagerDoc | undefined> {
    return this.store.update(managerKey(teamsId), ManagerDocSchema, change);
  }

  removeManagerDoc(teamsId: string): Promise<void> {
    return this.store.remove(managerKey(teamsId));
  }

  async managerIds(): Promise<string[]> {
    return (await this.store.get(INDEX_KEY, ManagerIndexSchema))?.managers ?? [];
  }

  async addManagerId(teamsId: string): Promise<void> {
    await this.store.update(INDEX_KEY, ManagerIndexSchema, (cur) =>
      cur?.managers.includes(teamsId) ? undefined : { managers: [...(cur?.managers ?? []), teamsId] },
    );
  }

  async removeManagerId(teamsId: string): Promise<void> {
    await this.store.update(INDEX_KEY, ManagerIndexSchema, (cur) =>
      cur?.managers.includes(teamsId) ? { managers: cur.managers.filter((m) => m !== teamsId) } : undefined,
    );
  }
}
