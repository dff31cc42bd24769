import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { appConfig, type AppConfig } from './core/config/configuration';
import { createHttpApp } from './core/http/http-app';
import { installGracefulShutdown } from './core/lifecycle/graceful-shutdown';
import { useLiveStreamAdapter } from './live/use-live-stream-adapter';

async function bootstrap(): Promise<void> {
  const app = await createHttpApp((adapter, options) => NestFactory.create(AppModule, adapter, options), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const { port, shutdownTimeoutMs } = app.get<AppConfig>(appConfig.KEY);
  installGracefulShutdown(app, shutdownTimeoutMs, logger);
  try {
    await useLiveStreamAdapter(app);
  } catch (error) {
    logger.error({ err: error }, (error as Error).message);
    await app.close();
    process.exit(1);
  }
  await app.listen(port, '0.0.0.0');
  logger.log(`listening on port ${port}; dashboard at http://localhost:${port}/dashboard`, 'Bootstrap');
}

void bootstrap();
