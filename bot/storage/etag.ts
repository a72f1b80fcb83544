/**
 * The eTag for "create this document only if there is none": botbuilder's Storage has no such write,
 * and "*" would let two creators overwrite each other (a lost update). Our lowdb and blob storages
 * honour it; botbuilder's MemoryStorage behaves the same by accident (it saves a missing key whatever
 * the eTag, and no stored eTag equals this one).
 */
export const CREATE_ONLY_ETAG = 'create-only:absent';

/** A write lost the optimistic-concurrency race: someone else changed the document first. */
export class ETagConflictError extends Error {
  readonly code = 'STORAGE.ETAG_CONFLICT';
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
  }
}

/** Both our lowdb storage and Azure Blob storage report a lost race; tell them apart from real faults. */
export function isETagConflict(e: unknown): boolean {
  if (e instanceof ETagConflictError) return true;
  const err = e as { statusCode?: number; code?: string; message?: string } | null;
  if (!err) return false;
  return (
    err.statusCode === 412 ||
    err.code === 'ConditionNotMet' ||
    err.code === 'BlobAlreadyExists' ||
    /eTag conflict|precondition/i.test(err.message ?? '')
  );
}
