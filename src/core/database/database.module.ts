import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { databaseConfig, type DatabaseConfig } from '../config/configuration';
import { CommandMonitor } from './command-monitor';
import { DatabaseServer } from './database-server';
import { DriverPoolMonitor } from './driver-pool-monitor';

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
    DriverPoolMonitor,
  ],
  exports: [DatabaseServer, CommandMonitor, DriverPoolMonitor],
})
class DatabaseServerModule {}

/**
 * The shared cluster connection: one capped driver pool for the control database and for every
 * company on the shared cluster. Indexes come from migrations only (autoIndex off). Commands are
 * never buffered by Mongoose: they reach the driver, whose server selection asks for an immediate
 * check, so a database that comes back is seen at once instead of at the next 30 s heartbeat, and a
 * caller gets a real, retryable driver error instead of a buffer timeout.
 */
@Module({
  imports: [
    DatabaseServerModule,
    MongooseModule.forRootAsync({
      inject: [DatabaseServer, databaseConfig.KEY, CommandMonitor, DriverPoolMonitor],
      useFactory: (server: DatabaseServer, config: DatabaseConfig, monitor: CommandMonitor, pools: DriverPoolMonitor) => ({
        uri: server.uri,
        dbName: config.controlDbName,
        ...config.pool,
        autoIndex: false,
        autoCreate: false,
        bufferCommands: false,
        retryAttempts: 0,
        monitorCommands: config.monitorCommands,
        connectionFactory: (connection: Connection) => pools.watch(monitor.watch(connection)),
      }),
    }),
  ],
})
export class DatabaseModule {}
