import type { Storage, StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey.js';
import { CREATE_ONLY_ETAG, ETagConflictError, isETagConflict } from './etag.js';

/** The part of @azure/storage-blob's ContainerClient that a create-only write needs. */
interface ContainerClientLike {
  getBlockBlobClient(name: string): {
    upload(
      body: string,
      length: number,
      options: { conditions: { ifNoneMatch: string }; blobHTTPHeaders: { blobContentType: string } },
    ): Promise<unknown>;
  };
}

/**
 * botbuilder-azure-blobs' `BlobsStorage` held to the same contract as our lowdb storage, so several bot
 * instances can share one container:
 * - a write without an eTag overwrites (BlobsStorage would send an empty If-Match header);
 * - CREATE_ONLY_ETAG writes only if the blob does not exist (If-None-Match: *), which BlobsStorage
 *   cannot express; it goes through BlobsStorage's own container client and blob naming;
 * - a lost race (412, or 409 for a create) is an `ETagConflictError`;
 * - BlobsStorage creates the container on first use and remembers a failed attempt for good; here a
 *   failure is forgotten, so one network blip at start-up does not break every later turn.
 */
export class BlobStorage implements Storage {
  private readonly container: ContainerClientLike;

  constructor(private readonly inner: BlobsStorage) {
    const container = (inner as unknown as { _containerClient?: ContainerClientLike })._containerClient;
    if (typeof container?.getBlockBlobClient !== 'function')
      throw new Error('botbuilder-azure-blobs: this version has no container client to create blobs with');
    this.container = container;
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.guard(() => this.inner.read(keys));
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      // botbuilder types the items `any`; what a caller passes is not checked before here.
      Object.entries<unknown>(changes).map(async ([key, raw]) => {
        const item: { eTag?: unknown } = typeof raw === 'object' && raw !== null ? raw : {};
        const eTag = typeof item.eTag === 'string' && item.eTag !== '' ? item.eTag : '*';
        try {
          if (eTag === CREATE_ONLY_ETAG) await this.create(key, item);
          else await this.guard(() => this.inner.write({ [key]: { ...item, eTag } }));
        } catch (e) {
          if (isETagConflict(e) && !(e instanceof ETagConflictError)) throw new ETagConflictError(key);
          throw e;
        }
      }),
    );
  }

  delete(keys: string[]): Promise<void> {
    return this.guard(() => this.inner.delete(keys));
  }

  /** Creates the container if it is missing; a wrong connection string or account fails here. */
  async ensureContainer(): Promise<void> {
    await this.guard(() => this.inner.read([]));
  }

  private async create(key: string, item: object): Promise<void> {
    await this.ensureContainer();
    const value: Record<string, unknown> = { ...item };
    delete value.eTag;
    const body = JSON.stringify(value);
    await this.guard(() =>
      this.container.getBlockBlobClient(sanitizeBlobKey(key)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      }),
    );
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (!isETagConflict(e))
        (this.inner as unknown as { _initializePromise?: unknown })._initializePromise = undefined;
      throw e;
    }
  }
}

/** Opens the container (creating it if missing) and returns the storage over it. */
export async function createBlobStorage(connectionString: string, container: string): Promise<BlobStorage> {
  const storage = new BlobStorage(new BlobsStorage(connectionString, container));
  await storage.ensureContainer();
  return storage;
}
