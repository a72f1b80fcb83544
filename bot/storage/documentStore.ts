import type { Storage, StoreItem } from 'botbuilder';
import type { z } from 'zod';
import { CREATE_ONLY_ETAG, isETagConflict } from './etag.js';

export class StoredDocumentError extends Error {
  readonly code = 'STORAGE.BAD_DOCUMENT';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`Stored document "${key}" does not have the expected shape: ${detail}`);
  }
}

/**
 * A storage that can read, change and write one document as one step (lowdb, under its per-document
 * mutex); others are updated optimistically with eTags. `change` gets the stored item with its eTag
 * (undefined if there is none) and returns the new value, or undefined to leave it; the promise
 * gives what is stored afterwards.
 */
export interface AtomicUpdate {
  updateAtomically(
    key: string,
    change: (current: StoreItem | undefined) => Record<string, unknown> | undefined,
  ): Promise<StoreItem | undefined>;
}

function hasAtomicUpdate(storage: Storage): storage is Storage & AtomicUpdate {
  return typeof (storage as Partial<AtomicUpdate>).updateAtomically === 'function';
}

/**
 * Typed documents over a botbuilder `Storage`: parsed with zod on every read (a hand-edited or old
 * file gives a clear error, not a crash deep in a turn), and updated read-modify-write: in one step
 * where the storage can (lowdb), else with the eTag, retrying on a lost race, so that no acknowledged
 * change is overwritten.
 */
export class DocumentStore {
  constructor(readonly storage: Storage) {}

  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    return (await this.getWithETag(key, schema))?.value;
  }

  async getMany<S extends z.ZodType>(keys: string[], schema: S): Promise<Map<string, z.infer<S>>> {
    const items = keys.length ? await this.storage.read(keys) : {};
    const out = new Map<string, z.infer<S>>();
    for (const key of keys) {
      const raw: unknown = items[key];
      if (raw) out.set(key, this.parse(key, schema, raw).value);
    }
    return out;
  }

  async put<S extends z.ZodType>(key: string, schema: S, value: z.infer<S>): Promise<void> {
    await this.storage.write({ [key]: { ...(schema.parse(value) as object), eTag: '*' } });
  }

  async remove(...keys: string[]): Promise<void> {
    if (keys.length) await this.storage.delete(keys);
  }

  /**
   * Applies `change` to the current document and writes it only if nobody wrote in between;
   * on a lost race it re-reads and re-applies. `change` returns the new value, or `undefined`
   * to leave the document as it is. Returns what is stored afterwards.
   */
  async update<S extends z.ZodType>(
    key: string,
    schema: S,
    change: (current: z.infer<S> | undefined) => z.infer<S> | undefined,
    attempts = 20,
  ): Promise<z.infer<S> | undefined> {
    if (hasAtomicUpdate(this.storage)) {
      let after: z.infer<S> | undefined;
      await this.storage.updateAtomically(key, (raw) => {
        const current = raw ? this.parse(key, schema, raw).value : undefined;
        const next = change(current === undefined ? undefined : structuredClone(current));
        if (next === undefined) {
          after = current;
          return undefined;
        }
        after = schema.parse(next);
        return after as Record<string, unknown>;
      });
      return after;
    }
    for (let i = 0; i < attempts; i++) {
      const current = await this.getWithETag(key, schema);
      const next = change(current ? structuredClone(current.value) : undefined);
      if (next === undefined) return current?.value;
      const value = schema.parse(next) as object;
      try {
        await this.storage.write({ [key]: { ...value, eTag: current?.eTag ?? CREATE_ONLY_ETAG } });
        return value as z.infer<S>;
      } catch (e) {
        if (!isETagConflict(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (i + 1)));
      }
    }
    throw new Error(`Storage: gave up updating "${key}" after ${attempts} conflicting writes`);
  }

  private async getWithETag<S extends z.ZodType>(
    key: string,
    schema: S,
  ): Promise<{ value: z.infer<S>; eTag: string } | undefined> {
    const items = await this.storage.read([key]);
    const raw: unknown = items[key];
    return raw ? this.parse(key, schema, raw) : undefined;
  }

  /** A stored item (botbuilder types them `any`; a file may hold anything) checked against the schema. */
  private parse<S extends z.ZodType>(key: string, schema: S, raw: unknown) {
    const { eTag, ...rest }: { eTag?: unknown } = typeof raw === 'object' && raw !== null ? raw : {};
    const parsed = schema.safeParse(rest);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new StoredDocumentError(
        key,
        `${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`,
      );
    }
    return { value: parsed.data, eTag: typeof eTag === 'string' ? eTag : '*' };
  }
}
