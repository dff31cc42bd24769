import { Logger } from '@nestjs/common';
import type { DatabaseConfig } from '../config/configuration';
import { EmbeddedFerretDb } from './embedded-ferretdb';

/** Where the database is: MONGODB_URI when given, otherwise an embedded FerretDB started for this process. */
export class DatabaseServer {
  private static readonly logger = new Logger(DatabaseServer.name);

  private constructor(
    readonly uri: string,
    private readonly embedded?: EmbeddedFerretDb,
  ) {}

  static async resolve(config: DatabaseConfig): Promise<DatabaseServer> {
    if (config.uri) return new DatabaseServer(config.uri);
    const embedded = await EmbeddedFerretDb.start({
      binary: config.embedded.binary,
      dataDir: config.embedded.dir,
      port: config.embedded.port,
    });
    DatabaseServer.logger.log({ port: config.embedded.port, dir: config.embedded.dir }, 'started embedded FerretDB');
    return new DatabaseServer(embedded.uri, embedded);
  }

  async stop(): Promise<void> {
    await this.embedded?.stop();
  }
}
