import { randomBytes } from 'node:crypto';
import mongoose, { mongo, type Connection } from 'mongoose';
import { ChunkedMediaStore } from '../../src/media/chunked-media-store';
import type { MediaConfig } from '../../src/media/media.config';
import type { CompanyRecord } from '../../src/tenancy/company';
import type { TenantContext } from '../../src/tenancy/tenant-context';

export interface LayoutRow {
  storedMb: number;
  /** Median of three reads of one 1 MB file, in ms. */
  gridfsReadMs: number;
  chunksOneCollectionReadMs: number;
  chunksSegmentedReadMs: number;
  /** Mean write of one 1 MB file, in ms, over the files written for this row. */
  gridfsWriteMs: number;
  chunksWriteMs: number;
}

const FILE = 1024 * 1024;

function tenantOn(db: Connection, name: string): TenantContext {
  return { company: { slug: name, dbName: name } as CompanyRecord, run: (operation) => operation(db) };
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Reads of one 1 MB file as the media kept grows: GridFS (its chunk query filters and sorts), our chunk documents read
 * by `_id` in one collection, and in 64 MB segments (what MEDIA_SEGMENT_MB does), each in its own database.
 */
export async function measureLayouts(uri: string, prefix: string, targetsMb: number[]): Promise<LayoutRow[]> {
  const base = await mongoose.createConnection(uri).asPromise();
  const dbs = { gridfs: base.useDb(`${prefix}gridfs`), single: base.useDb(`${prefix}single`), segmented: base.useDb(`${prefix}segmented`) };
  const config = (segmentMb: number) => ({ segmentBytes: segmentMb * 1024 * 1024 }) as MediaConfig;
  const single = new ChunkedMediaStore(config(1_048_576));
  const segmented = new ChunkedMediaStore(config(64));
  const bucket = new mongo.GridFSBucket(dbs.gridfs.db!, { bucketName: 'media' });
  const ids: string[] = [];
  const rows: LayoutRow[] = [];
  try {
    for (const target of targetsMb) {
      let gridfsWrites = 0;
      let chunkWrites = 0;
      let written = 0;
      while (ids.length < target) {
        const id = new mongo.ObjectId().toHexString();
        const data = randomBytes(FILE);
        gridfsWrites += await time(
          () =>
            new Promise<void>((resolve, reject) =>
              bucket
                .openUploadStreamWithId(new mongo.ObjectId(id), id)
                .on('finish', () => resolve())
                .on('error', reject)
                .end(data),
            ),
        );
        const file = { id, session: 'bench', mimeType: 'image/jpeg' };
        chunkWrites += await time(() => single.put(tenantOn(dbs.single, 'single'), file, data));
        await segmented.put(tenantOn(dbs.segmented, 'segmented'), file, data);
        ids.push(id);
        written++;
      }
      const probe = ids[Math.floor(ids.length / 2)];
      const readStore = async (store: ChunkedMediaStore, tenant: TenantContext) => {
        const file = (await store.find(tenant, probe))!;
        for await (const chunk of store.read(tenant, file)) void chunk;
      };
      const reads = { gridfs: [] as number[], single: [] as number[], segmented: [] as number[] };
      for (let i = 0; i < 3; i++) {
        reads.gridfs.push(
          await time(async () => {
            for await (const chunk of bucket.openDownloadStream(new mongo.ObjectId(probe))) void chunk;
          }),
        );
        reads.single.push(await time(() => readStore(single, tenantOn(dbs.single, 'single'))));
        reads.segmented.push(await time(() => readStore(segmented, tenantOn(dbs.segmented, 'segmented'))));
      }
      const row: LayoutRow = {
        storedMb: ids.length,
        gridfsReadMs: Math.round(median(reads.gridfs)),
        chunksOneCollectionReadMs: Math.round(median(reads.single)),
        chunksSegmentedReadMs: Math.round(median(reads.segmented)),
        gridfsWriteMs: Math.round(gridfsWrites / Math.max(1, written)),
        chunksWriteMs: Math.round(chunkWrites / Math.max(1, written)),
      };
      rows.push(row);
      console.log(
        `  ${row.storedMb} MB stored: read 1 MB — GridFS ${row.gridfsReadMs} ms, chunks by _id ${row.chunksOneCollectionReadMs} ms, in 64 MB segments ${row.chunksSegmentedReadMs} ms`,
      );
    }
  } finally {
    await Promise.allSettled(Object.values(dbs).map((db) => db.dropDatabase()));
    await base.close();
  }
  return rows;
}
