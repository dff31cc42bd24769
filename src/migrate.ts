import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { MigrationRunner } from './migrations/migration-runner.service';

/** `npm run migrate`: applies pending migrations to the control and every company database, then exits. */
async function migrate(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const report = await app.get(MigrationRunner).migrateAll();
  app.get(Logger).log({ report }, 'migrations done');
  await app.close();
  const failed = Object.values(report.companies).some((result) => 'error' in result);
  process.exitCode = failed ? 1 : 0;
}

void migrate();
