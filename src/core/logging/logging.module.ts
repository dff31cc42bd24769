import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { appConfig, type AppConfig } from '../config/configuration';
import { pinoOptions } from './pino-options';

/**
 * pino behind Nest's Logger. No request middleware (`forRoutes: []`): building a pino-http child logger per request
 * cost about a tenth of the CPU of a cheap request even when nothing was logged. Request lines, when LOG_REQUESTS
 * is on, come from one Fastify hook (see request-logging.ts); 500s carry the request id as `correlationId`.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => ({ pinoHttp: pinoOptions(app), forRoutes: [] }),
    }),
  ],
})
export class LoggingModule {}
