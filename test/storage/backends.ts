import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Storage } from 'botbuilder';
import { createBlobStorage } from '../../bot/storage/blobStorage.js';
import { LowdbStorage } from '../../bot/storage/lowdbStorage.js';
import { startAzurite, type RunningAzurite } from './azurite.js';

/** One empty store, and a way to open it again as a second bot instance would. */
export interface StoreUnderTest {
  storage: Storage;
  /** A separate client on the same store: another LowdbStorage on the directory, another blob client. */
  another(): Promise<Storage>;
  cleanup(): Promise<void>;
  /** Where the files are, for a backend that keeps them on this machine. */
  dir?: string;
}

export interface Backend {
  name: string;
  /** Called in the suite's before(): starts what the backend needs (Azurite for blob). */
  start(): Promise<void>;
  stop(): Promise<void>;
  fresh(): Promise<StoreUnderTest>;
}

export function lowdbBackend(): Backend {
  return {
    name: 'lowdb',
    start: async () => {},
    stop: async () => {},
    fresh: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'cab-store-'));
      return {
        storage: new LowdbStorage(dir),
        another: () => Promise.resolve(new LowdbStorage(dir)),
        dir,
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  };
}

export function blobBackend(): Backend {
  let azurite: RunningAzurite | undefined;
  let n = 0;
  return {
    name: 'blob (Azurite)',
    start: async () => {
      azurite = await startAzurite();
    },
    stop: async () => {
      await azurite?.stop();
      azurite = undefined;
    },
    fresh: async () => {
      if (!azurite) throw new Error('Azurite is not running');
      const conn = azurite.connectionString;
      const container = `contract-${process.pid}-${++n}`;
      return {
        storage: await createBlobStorage(conn, container),
        another: () => createBlobStorage(conn, container),
        cleanup: async () => {},
      };
    },
  };
}
