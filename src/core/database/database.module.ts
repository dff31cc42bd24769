import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { databaseConfig, type DatabaseConfig } from '../config/configuration';
import { CommandMonitor } from './command-monitor';
import { DatabaseServer } from './database-server';

@Injectable()
class DatabaseServerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DatabaseServer) private readonly server: DatabaseServer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.server.stop();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DatabaseServer,
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => DatabaseServer.resolve(config),
    },
    DatabaseServerLifecycle,
    CommandMonitor,
  ],
  exports: [DatabaseServer, CommandMonitor],
})
class DatabaseServerModule {}

/**
 * The shared cluster connection: one capped driver pool for the control database and for every
 * company on the shared cluster. Indexes come from migrations only (autoIndex off).
 */
@Module({
  imports: [
    DatabaseServerModule,
    MongooseModule.forRootAsync({
      inject: [DatabaseServer, databaseConfig.KEY, CommandMonitor],
      useFactory: (server: DatabaseServer, config: DatabaseConfig, monitor: CommandMonitor) => ({
        uri: server.uri,
        dbName: config.controlDbName,
        ...config.pool,
        autoIndex: false,
        autoCreate: false,
        retryAttempts: 0,
        monitorCommands: config.monitorCommands,
        connectionFactory: (connection: Connection) => monitor.watch(connection),
      }),
    }),
  ],
})
export class DatabaseModule {}
