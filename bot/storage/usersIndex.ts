import { z } from 'zod';
import type { UsersIndex } from '../core/myData/myData.js';
import type { DocumentStore } from './documentStore.js';

const UsersIndexSchema = z.object({ users: z.array(z.string()).default([]) });
const USERS_KEY = 'users/index';

/**
 * Everyone who has stored an assessment or eligibility answers, and line managers who accepted a
 * request or act on a plan, so retention and reminder passes can reach people who never come back. Botbuilder's Storage cannot list keys; this small index is the
 * only cross-user document.
 */
export class UsersIndexStore implements UsersIndex {
  constructor(private readonly store: DocumentStore) {}

  async add(userKey: string): Promise<void> {
    const cur = await this.store.get(USERS_KEY, UsersIndexSchema);
    if (cur?.users.includes(userKey)) return;
    await this.store.update(USERS_KEY, UsersIndexSchema, (doc) =>
      doc?.users.includes(userKey) ? undefined : { users: [...(doc?.users ?? []), userKey] },
    );
  }

  async remove(userKey: string): Promise<void> {
    await this.store.update(USERS_KEY, UsersIndexSchema, (doc) =>
      doc?.users.includes(userKey) ? { users: doc.users.filter((u) => u !== userKey) } : undefined,
    );
  }

  async all(): Promise<string[]> {
    return (await this.store.get(USERS_KEY, UsersIndexSchema))?.users ?? [];
  }
}
