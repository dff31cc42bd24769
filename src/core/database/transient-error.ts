import { ErrorCode } from '../http/error-code';
import { TenancyException } from '../../tenancy/tenancy.exception';

/** Server codes that mean "not now" on a replica set: elections, stepdowns, shutdowns, write conflicts. */
const TRANSIENT_SERVER_CODES = new Set([6, 7, 89, 91, 112, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

const TRANSIENT_NAMES =
  /UnattributedInsertError|MongoServerSelectionError|MongooseServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoPoolClearedError|MongoTopologyClosedError|MongoNotConnectedError|MongoWaitQueueTimeoutError/;

/**
 * Whether a failed database operation may succeed if tried again unchanged: our own limits (the
 * per-company gate), a tenant that cannot be reached, lost connections, timeouts, elections.
 */
export function isTransientDatabaseError(error: unknown, depth = 0): boolean {
  if (error instanceof TenancyException) return error.code === ErrorCode.TENANT_BUSY || error.code === ErrorCode.TENANT_UNAVAILABLE;
  const candidate = error as { name?: string; code?: unknown; cause?: unknown; writeErrors?: unknown; hasErrorLabel?: (label: string) => boolean } | null;
  if (!candidate || typeof candidate !== 'object') return false;
  if (TRANSIENT_NAMES.test(candidate.name ?? '')) return true;
  // A bulk write that failed as a whole (no per-document errors) carries the command's failure, e.g. a lost connection.
  if (candidate.name === 'MongoBulkWriteError' && (!Array.isArray(candidate.writeErrors) || candidate.writeErrors.length === 0)) return true;
  if (candidate.cause !== undefined && depth < 3 && isTransientDatabaseError(candidate.cause, depth + 1)) return true;
  if (typeof candidate.hasErrorLabel === 'function' && (candidate.hasErrorLabel('RetryableWriteError') || candidate.hasErrorLabel('TransientTransactionError')))
    return true;
  return typeof candidate.code === 'number' && TRANSIENT_SERVER_CODES.has(candidate.code);
}

/** Per-document refusals the server will repeat whatever happens (the document itself is at fault). */
const PERMANENT_DOCUMENT_CODES = new Set([2, 9, 14, 52, 55, 56, 57, 121, 10334, 16837, 17280, 17419]);

/** Whether one document's write error is the document's fault (keep it aside) rather than the moment's (write it again). */
export function isPermanentDocumentError(error: { code?: number }): boolean {
  return error.code !== undefined && PERMANENT_DOCUMENT_CODES.has(error.code);
}

/**
 * Whether a failed write may have been applied all the same (the request may have reached the server
 * before the connection broke). Only a caller our own gate turned away is sure nothing was sent.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  return !(error instanceof TenancyException && error.code === ErrorCode.TENANT_BUSY);
}
