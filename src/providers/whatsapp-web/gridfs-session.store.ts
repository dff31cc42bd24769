import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { mongo, type Connection } from 'mongoose';
import type { Store } from 'whatsapp-web.js';
import type { TenantContext } from '../../tenancy/tenant-context';
import { StaleOwnerError, type SessionFence } from '../session-fence';

export const WWEBJS_AUTH_BUCKET = 'wwebjs_auth';

/**
 * whatsapp-web.js `RemoteAuth` store keeping each session's zip in the company's own database (GridFS),
 * because the local disk is wiped on every deploy. RemoteAuth writes the zip to `<dataPath>/<session>.zip`
 * before `save` and names only the session, so the store is told the directory.
 */
export class GridFsSessionStore implements Store {
  constructor(
    private readonly tenant: TenantContext,
    private readonly dataPath: string,
    private readonly fence?: SessionFence,
  ) {}

  async sessionExists({ session }: { session: string }): Promise<boolean> {
    return this.tenant.run(
      async (db) =>
        (
          await bucket(db)
            .find({ filename: fileName(session) })
            .limit(1)
            .toArray()
        ).length > 0,
    );
  }

  /**
   * Uploads the new zip first and only then deletes older versions, so a failed upload never loses the session.
   * Each zip carries the fencing token it was written under: a stale owner's upload is refused, and one that
   * landed next to a newer owner's zip is deleted again (restores read the newest token's zip).
   */
  async save({ session }: { session: string }): Promise<void> {
    const source = join(this.dataPath, fileName(session));
    const token = this.fence?.token ?? 0;
    await this.fence?.assertCurrent();
    await this.tenant.run(async (db) => {
      const files = bucket(db);
      const upload = files.openUploadStream(fileName(session), { metadata: { session, fence: token } });
      await pipeline(createReadStream(source), upload);
      const newer = await files
        .find({ filename: fileName(session), 'metadata.fence': { $gt: token } })
        .limit(1)
        .toArray();
      if (newer.length > 0) {
        await deleteIgnoringMissing(files, upload.id);
        throw new StaleOwnerError(session, token);
      }
      const older = await files.find({ filename: fileName(session), _id: { $ne: upload.id } }).toArray();
      for (const file of older) await deleteIgnoringMissing(files, file._id);
    });
  }

  async extract({ session, path }: { session: string; path: string }): Promise<void> {
    await this.tenant.run(async (db) => {
      const files = bucket(db);
      const [latest] = await files
        .find({ filename: fileName(session) })
        .sort({ 'metadata.fence': -1, uploadDate: -1 })
        .limit(1)
        .toArray();
      if (!latest) throw new Error(`no stored whatsapp-web session "${session}"`);
      // RemoteAuth extracts into its dataPath without creating it, and after a deploy it does not exist yet.
      await mkdir(dirname(path), { recursive: true });
      await pipeline(files.openDownloadStream(latest._id), createWriteStream(path));
    });
  }

  async delete({ session }: { session: string }): Promise<void> {
    await this.fence?.assertCurrent();
    await this.tenant.run(async (db) => {
      const files = bucket(db);
      const stored = await files.find({ filename: fileName(session) }).toArray();
      for (const file of stored) await deleteIgnoringMissing(files, file._id);
    });
  }
}

function bucket(db: Connection): mongo.GridFSBucket {
  if (!db.db) throw new Error('tenant database handle is not open');
  return new mongo.GridFSBucket(db.db, { bucketName: WWEBJS_AUTH_BUCKET });
}

function fileName(session: string): string {
  return `${session}.zip`;
}

/** A concurrent save or delete may have removed the file already; that is the outcome we want. */
async function deleteIgnoringMissing(files: mongo.GridFSBucket, id: mongo.ObjectId): Promise<void> {
  try {
    await files.delete(id);
  } catch (error) {
    if (!(error instanceof mongo.MongoRuntimeError) || !/File not found/i.test(error.message)) throw error;
  }
}
