import { createHash } from 'node:crypto';
import { readFile } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';
import { JSONFile } from 'lowdb/node';
import lockfile from 'proper-lockfile';
import { Mutex } from 'async-mutex';
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
 * only if there is no document yet. The check and the write happen under an in-process mutex and an
 * inter-process lock file, so two bot processes that share one DATA_DIR cannot both win.
 */
export class LowdbStorage implements Storage {
  private readonly locks = new Map<string, Mutex>();
  private readonly shardDirs = new Set<string>();
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, 'store');
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const env = await this.load(key);
        if (env) out[key] = { ...env.value, eTag: env.eTag };
      }),
    );
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      await this.withLock(key, async () => {
        const wanted = typeof item?.eTag === 'string' ? item.eTag : undefined;
        if (wanted && wanted !== '*') {
          const current = await this.load(key);
          const ok = wanted === CREATE_ONLY_ETAG ? !current : current?.eTag === wanted;
          if (!ok) throw new ETagConflictError(key);
        }
        const { eTag: _ignored, ...value } = (item ?? {}) as Record<string, unknown>;
        const env: Envelope = { eTag: newETag(), key, value };
        await new JSONFile<Envelope>(this.fileFor(key)).write(env);
      });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.withLock(key, async () => {
        await unlink(this.fileFor(key)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
      });
    }
  }

  private async load(key: string): Promise<Envelope | null> {
    let env: Envelope | null;
    try {
      // The callback fs.readFile costs about half the CPU of fs/promises' (which JSONFile.read uses).
      const text = await new Promise<string | null>((resolve, reject) =>
        readFile(this.fileFor(key), 'utf8', (e, data) =>
          e ? (e.code === 'ENOENT' ? resolve(null) : reject(e)) : resolve(data),
        ),
      );
      env = text === null ? null : (JSON.parse(text) as Envelope);
    } catch (e) {
      throw new Error(
        `Stored document for "${key}" is not valid JSON (${this.fileFor(key)}): ${(e as Error).message}`,
      );
    }
    if (env === null) return null;
    if (typeof env !== 'object' || typeof env.eTag !== 'string' || typeof env.value !== 'object') {
      throw new Error(`Stored document for "${key}" is not in the expected shape (${this.fileFor(key)})`);
    }
    return env;
  }

  private fileFor(key: string): string {
    const shard = createHash('sha1').update(key).digest('hex').slice(0, 2);
    return path.join(this.root, shard, `${encodeKey(key)}.json`);
  }

  private async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let mutex = this.locks.get(key);
    if (!mutex) {
      mutex = new Mutex();
      this.locks.set(key, mutex);
    }
    const result = await mutex.runExclusive(async () => {
      const file = this.fileFor(key);
      const dir = path.dirname(file);
      const lock = () =>
        lockfile.lock(file, {
          realpath: false,
          stale: 10_000,
          retries: { retries: 200, minTimeout: 2, maxTimeout: 50, factor: 1.5 },
        });
      if (!this.shardDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.shardDirs.add(dir);
      }
      // A shard directory removed since (DATA_DIR cleared by hand) is made again.
      const release = await lock().catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
        await mkdir(dir, { recursive: true });
        return lock();
      });
      try {
        return await fn();
      } finally {
        await release();
      }
    });
    if (!mutex.isLocked()) this.locks.delete(key);
    return result;
  }
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
  for (const b of Buffer.from(key, 'utf8')) out += BYTE_CODES[b];
  return out;
}
