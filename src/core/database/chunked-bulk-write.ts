import type { mongo } from 'mongoose';

/**
 * Statements per write command at most. FerretDB v1 (SQLite, the embedded default) keeps a query open
 * for every update or delete statement of a command that matched a document until the whole command
 * ends, each on one of the database's 100 SQLite connections: a command of 100 such statements waits
 * forever for a 101st connection and takes the whole database down with it. With the per-company cap
 * of concurrent operations (5 by default), commands of 16 stay far from that bound.
 */
export const MAX_STATEMENTS_PER_WRITE = 16;

export interface ChunkWriteError {
  /** Index in the operations the caller passed, not in the chunk. */
  index: number;
  code?: number;
  errmsg?: string;
}

/** Per-statement failures of a chunked unordered bulk write, numbered as the caller's operations. */
export class ChunkedBulkWriteError extends Error {
  readonly code?: number;

  constructor(readonly writeErrors: ChunkWriteError[]) {
    super(writeErrors[0]?.errmsg ?? 'bulk write failed');
    this.code = writeErrors[0]?.code;
  }
}

/**
 * An unordered bulk write in commands of at most `MAX_STATEMENTS_PER_WRITE` statements, sent one after the
 * other. Every statement is tried, as in one unordered command; statement failures are collected and thrown
 * together, numbered as `operations`. An error of a whole command (a lost connection) is thrown at once.
 */
export async function chunkedBulkWrite<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  operations: mongo.AnyBulkWriteOperation<T>[],
  chunkSize = MAX_STATEMENTS_PER_WRITE,
): Promise<void> {
  const failures: ChunkWriteError[] = [];
  for (let start = 0; start < operations.length; start += chunkSize) {
    try {
      await collection.bulkWrite(operations.slice(start, start + chunkSize), { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      if (!Array.isArray(writeErrors) || writeErrors.length === 0) throw error;
      for (const failure of writeErrors as Array<{ index: number; code?: number; errmsg?: string; message?: string }>)
        failures.push({ index: start + failure.index, code: failure.code, errmsg: failure.errmsg ?? failure.message });
    }
  }
  if (failures.length > 0) throw new ChunkedBulkWriteError(failures);
}
