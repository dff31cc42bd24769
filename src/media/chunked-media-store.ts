import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { mongo, type Connection } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import { mediaConfig, type MediaConfig } from './media.config';
import { MediaStore, type MediaFile, type NewMediaFile } from './media-store';

/** 1 MiB: a 16 MB file is 16 reads; a chunk document stays far below MongoDB's 16 MB limit. */
const CHUNK_BYTES = 1024 * 1024;
const FILES = 'media_files';
const SEGMENTS = 'media_segments';
const DUPLICATE_KEY = 11000;

interface FileDoc extends Omit<MediaFile, 'id'> {
  _id: string;
  segment: number;
  chunks: number;
}
interface ChunkDoc {
  _id: string;
  data: mongo.Binary;
}
interface SegmentDoc {
  _id: string;
  n: number;
  bytes: number;
}

/**
 * Media bytes as chunk documents read by their exact `_id` (`<file id>:<n>`), never by a filtered, sorted
 * query as GridFS does (`find({files_id}).sort({n})`). On MongoDB every read is index-served. On the embedded
 * FerretDB every read scans its collection (its SQLite plan is a SCAN even for `_id`), at a cost that grows with
 * the collection's bytes, so chunks go to segment collections (`media_chunks_<n>`) that roll over at
 * MEDIA_SEGMENT_MB: a read scans one segment, however much media the company keeps. The file document is
 * written last, so a file either exists whole or not at all.
 */
@Injectable()
export class ChunkedMediaStore extends MediaStore {
  constructor(@Inject(mediaConfig.KEY) private readonly config: MediaConfig) {
    super();
  }

  async put(tenant: TenantContext, file: NewMediaFile, data: Buffer): Promise<MediaFile> {
    const existing = await this.find(tenant, file.id);
    if (existing) return existing;
    return tenant.run(async (db) => {
      const segment = await currentSegment(db);
      const chunks: ChunkDoc[] = [];
      for (let n = 0; n * CHUNK_BYTES < data.length || n === 0; n++) {
        chunks.push({ _id: chunkId(file.id, n), data: new mongo.Binary(data.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES)) });
      }
      await insertIgnoringDuplicates(raw(db).collection<ChunkDoc>(segmentName(segment.n)), chunks);
      const doc: FileDoc = {
        _id: file.id,
        session: file.session,
        mimeType: file.mimeType,
        ...(file.fileName ? { fileName: file.fileName } : {}),
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        createdAt: new Date(),
        segment: segment.n,
        chunks: chunks.length,
      };
      await insertIgnoringDuplicates(raw(db).collection<FileDoc>(FILES), [doc]);
      await this.grow(db, segment, data.length);
      return toFile(doc);
    });
  }

  async find(tenant: TenantContext, id: string): Promise<MediaFile | null> {
    const doc = await this.findDoc(tenant, id);
    return doc ? toFile(doc) : null;
  }

  read(tenant: TenantContext, file: MediaFile): Readable {
    return Readable.from(this.chunks(tenant, file), { objectMode: false });
  }

  private async *chunks(tenant: TenantContext, file: MediaFile): AsyncGenerator<Buffer> {
    const doc = await this.findDoc(tenant, file.id);
    if (!doc) throw new Error(`media ${file.id} is gone`);
    for (let n = 0; n < doc.chunks; n++) {
      const chunk = await tenant.run((db) =>
        raw(db)
          .collection<ChunkDoc>(segmentName(doc.segment))
          .findOne({ _id: chunkId(file.id, n) }),
      );
      if (!chunk) throw new Error(`media ${file.id} misses chunk ${n}`);
      yield Buffer.from(chunk.data.buffer);
    }
  }

  private findDoc(tenant: TenantContext, id: string): Promise<FileDoc | null> {
    return tenant.run((db) => raw(db).collection<FileDoc>(FILES).findOne({ _id: id }));
  }

  /** Counts the segment's bytes; the writer that fills it opens the next one (a race only overfills a little). */
  private async grow(db: Connection, segment: SegmentDoc, bytes: number): Promise<void> {
    const segments = raw(db).collection<SegmentDoc>(SEGMENTS);
    if (segment.bytes + bytes < this.config.segmentBytes) {
      await segments.updateOne({ _id: 'current', n: segment.n }, { $inc: { bytes } });
      return;
    }
    await segments.updateOne({ _id: 'current', n: segment.n }, { $set: { n: segment.n + 1, bytes: 0 } });
  }
}

async function currentSegment(db: Connection): Promise<SegmentDoc> {
  const segments = raw(db).collection<SegmentDoc>(SEGMENTS);
  const current = await segments.findOne({ _id: 'current' });
  if (current) return current;
  const first: SegmentDoc = { _id: 'current', n: 1, bytes: 0 };
  await insertIgnoringDuplicates(segments, [first]);
  return (await segments.findOne({ _id: 'current' })) ?? first;
}

async function insertIgnoringDuplicates<T extends { _id: string }>(collection: mongo.Collection<T>, docs: T[]): Promise<void> {
  try {
    await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ code?: number }> }).writeErrors;
    const only = Array.isArray(writeErrors) ? writeErrors : [error as { code?: number }];
    if (!only.every((e) => e.code === DUPLICATE_KEY)) throw error;
  }
}

function raw(db: Connection): mongo.Db {
  return db.db!;
}

export function segmentName(n: number): string {
  return `media_chunks_${String(n).padStart(6, '0')}`;
}

function chunkId(fileId: string, n: number): string {
  return `${fileId}:${String(n).padStart(5, '0')}`;
}

function toFile({ _id, segment, chunks, ...rest }: FileDoc): MediaFile {
  void segment;
  void chunks;
  return { id: _id, ...rest };
}
