import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { JSONFile } from 'lowdb/node';
import lockfile from 'proper-lockfile';
import { Mutex } from 'async-mutex';
import type { AtomicUpdate } from './documentStore.js';
import { CREATE_ONLY_ETAG, ETagConflictError } from './etag.js';

interface Envelope {
  eTag: string;
  key: string;
  value: Record<string, unknown>;
}

/**
 * botbuilder `Storage` over lowdb, one small JSON file per key, so a write costs the same with ten or
 * ten thousand users. Files are sharded by a hash prefix to keep directories small. Each write is
 * atomic (lowdb's steno: temp file then rename), so a crash leaves the last good document.
 *
 * eTags follow Azure Blob semantics so both backends pass one contract: no eTag or "*" overwrites;
 * any other eTag must match the stored one (a missing document is a conflict); CREATE_ONLY_ETAG writes
 * only if there is no document yet. The check and the write happen under a mutex per key, shared by
 * every LowdbStorage on the directory in this process.
 *
 * One process writes a DATA_DIR: it holds a lease on the directory (a lock file kept fresh while the
 * process lives), taken by open() at start-up or else by the first write. A second process waits as
 * long as a dead holder's lease takes to go stale, then fails with DataDirInUseError; several
 * instances use STORAGE=blob. A per-write lock file cost 0.8 ms of every
 * answer turn (two directory operations and a stat on each write) to guard a set-up that lowdb
 * cannot serve well anyway. A lease left by a killed process goes stale in seconds and is taken
 * over. Reads need no lease: every file is replaced whole, so a reader sees an old or a new version.
 */
export class LowdbStorage implements Storage, AtomicUpdate {
  private readonly root: string;
  private readonly dir: DirectoryState;

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, 'store');
    this.dir = directoryState(this.root);
  }

  /** Takes the directory's lease now rather than at the first write, so a clash shows at start-up. */
  async open(): Promise<this> {
    await this.lease();
    return this;
  }

  /** Gives the lease up (for a tool that writes and then hands the directory to a bot process). */
  async close(): Promise<void> {
    const lease = this.dir.lease;
    this.dir.lease = undefined;
    if (lease) await (await lease)();
  }

  read(keys: string[]): Promise<StoreItems> {
    // In a promise, so that a document that cannot be read rejects as botbuilder's Storage expects.
    return Promise.resolve().then(() => {
      const out: StoreItems = {};
      for (const key of keys) {
        const env = this.load(key);
        if (env) out[key] = { ...env.value, eTag: env.eTag };
      }
      return out;
    });
  }

  /** Read-modify-write under the document's mutex: one read, where a read then an eTag-checked write reads twice. */
  async updateAtomically(
    key: string,
    change: (current: StoreItem | undefined) => Record<string, unknown> | undefined,
  ): Promise<StoreItem | undefined> {
    await this.lease();
    return this.exclusively(key, async () => {
      const env = this.load(key);
      const current = env ? { ...env.value, eTag: env.eTag } : undefined;
      const value = change(current);
      if (value === undefined) return current;
      return { ...value, eTag: await this.save(key, value) };
    });
  }

  async write(changes: StoreItems): Promise<void> {
    await this.lease();
    // botbuilder types the items `any`; what a caller passes is not checked before here.
    for (const [key, raw] of Object.entries<unknown>(changes)) {
      const item: { eTag?: unknown } = typeof raw === 'object' && raw !== null ? raw : {};
      await this.exclusively(key, async () => {
        const wanted = typeof item.eTag === 'string' ? item.eTag : undefined;
        if (wanted && wanted !== '*') {
          const current = this.load(key);
          const ok = wanted === CREATE_ONLY_ETAG ? !current : current?.eTag === wanted;
          if (!ok) throw new ETagConflictError(key);
        }
        const value: Record<string, unknown> = { ...item };
        delete value.eTag;
        await this.save(key, value);
      });
    }
  }

  /** Writes a document whole (temp file, then rename) under a new eTag, and returns the eTag. */
  private async save(key: string, value: Record<string, unknown>): Promise<string> {
    const env: Envelope = { eTag: newETag(), key, value };
    const file = this.fileFor(key);
    await this.shardFor(file);
    await new JSONFile<Envelope>(file).write(env).catch(async (e: unknown) => {
      // A shard directory removed since (DATA_DIR cleared by hand) is made again.
      if (errorCode(e) !== 'ENOENT') throw e;
      this.dir.shards.delete(path.dirname(file));
      await this.shardFor(file);
      await new JSONFile<Envelope>(file).write(env);
    });
    return env.eTag;
  }

  async delete(keys: string[]): Promise<void> {
    await this.lease();
    for (const key of keys) {
      await this.exclusively(key, async () => {
        await unlink(this.fileFor(key)).catch((e: unknown) => {
          if (errorCode(e) !== 'ENOENT') throw e;
        });
      });
    }
  }

  private load(key: string): Envelope | null {
    let text: string | null;
    try {
      // A synchronous read: these are small files on a local disk, where one costs the event loop
      // about 20 µs, less CPU than the four thread-pool round trips (open, fstat, read, close) of an
      // asynchronous one, which also queue behind each other on libuv's four threads. A reminder
      // pass over 10,000 people worked out what was due in 2.4–3.6 s against 4.7–7.0 s. A DATA_DIR
      // on a network share would block the loop for each read: that set-up is STORAGE=blob's.
      text = readFileSync(this.fileFor(key), 'utf8');
    } catch (e) {
      if (errorCode(e) !== 'ENOENT') throw e;
      text = null;
    }
    if (text === null) return null;
    let env: Partial<Envelope> | null;
    try {
      env = JSON.parse(text) as Partial<Envelope> | null;
    } catch (e) {
      throw new Error(
        `Stored document for "${key}" is not valid JSON (${this.fileFor(key)}): ${(e as Error).message}`,
        { cause: e },
      );
    }
    if (env === null || typeof env.eTag !== 'string' || typeof env.value !== 'object') {
      throw new Error(`Stored document for "${key}" is not in the expected shape (${this.fileFor(key)})`);
    }
    return env as Envelope;
  }

  private fileFor(key: string): string {
    const shard = createHash('sha1').update(key).digest('hex').slice(0, 2);
    return path.join(this.root, shard, `${encodeKey(key)}.json`);
  }

  private async shardFor(file: string): Promise<void> {
    const dir = path.dirname(file);
    if (this.dir.shards.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.dir.shards.add(dir);
  }

  private lease(): Promise<() => Promise<void>> {
    if (!this.dir.lease) {
      const root = this.root;
      const taking = mkdir(root, { recursive: true }).then(() =>
        lockfile
          .lock(root, {
            realpath: false,
            stale: LEASE_STALE_MS,
            update: LEASE_STALE_MS / 5,
            // Long enough to outwait a lease left by a killed process, short enough to say why.
            retries: { retries: 30, minTimeout: 200, maxTimeout: 500, factor: 1.2 },
            // The lease went (its lock file was removed with DATA_DIR, or another process took it
            // over while this one stalled): the next write takes it again, or fails saying who has it.
            onCompromised: () => {
              if (this.dir.lease === taking) this.dir.lease = undefined;
            },
          })
          .catch((e: unknown) => {
            throw errorCode(e) === 'ELOCKED' ? new DataDirInUseError(path.dirname(root)) : e;
          }),
      );
      taking.catch(() => {
        if (this.dir.lease === taking) this.dir.lease = undefined;
      });
      this.dir.lease = taking;
    }
    return this.dir.lease;
  }

  private async exclusively<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let mutex = this.dir.mutexes.get(key);
    if (!mutex) {
      mutex = new Mutex();
      this.dir.mutexes.set(key, mutex);
    }
    const result = await mutex.runExclusive(fn);
    if (!mutex.isLocked()) this.dir.mutexes.delete(key);
    return result;
  }
}

/** Another live process holds the directory's lease; a start-up problem, told in words. */
export class DataDirInUseError extends Error {
  readonly code = 'STORAGE.DATA_DIR_IN_USE';
  constructor(readonly dataDir: string) {
    super(
      `DATA_DIR ${dataDir} is in use by another running bot process. Run one process per DATA_DIR (give this one its own), or STORAGE=blob for several instances.`,
    );
  }
}

/** The `code` of a Node.js system error (ENOENT, ELOCKED, …); undefined for anything else thrown. */
function errorCode(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
}

/** A lease not kept fresh for this long belongs to a process that has gone, and is taken over. */
const LEASE_STALE_MS = 10_000;

/** What every LowdbStorage on one directory in this process shares: the lease, the key mutexes. */
interface DirectoryState {
  lease?: Promise<() => Promise<void>>;
  mutexes: Map<string, Mutex>;
  shards: Set<string>;
}

const directories = new Map<string, DirectoryState>();
function directoryState(root: string): DirectoryState {
  let state = directories.get(root);
  if (!state) {
    state = { mutexes: new Map(), shards: new Set() };
    directories.set(root, state);
  }
  return state;
}

function newETag(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

const BYTE_CODES = Array.from({ length: 256 }, (_, b) =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f
    ? String.fromCharCode(b)
    : `~${b.toString(16).padStart(2, '0')}`,
);

/** File-name-safe and reversible: keeps letters, digits, "-" and "_"; escapes the rest as ~XX. */
function encodeKey(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const code = BYTE_CODES[b];
    // A byte is 0–255, and the table has all 256.
    if (code === undefined) throw new Error(`Internal error: no file-name code for byte ${b}`);
    out += code;
  }
  return out;
}
