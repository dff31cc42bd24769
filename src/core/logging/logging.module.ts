import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { appConfig, type AppConfig } from '../config/configuration';

const REQUEST_ID = /^[\w-]{8,64}$/;

function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** JSON logs with a request id on every line; credentials are redacted before anything is written. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => ({
        pinoHttp: {
          level: app.logLevel,
          genReqId: (request, response) => {
            const id = requestIdOf(request);
            response.setHeader('X-Request-Id', id);
            return id;
          },
          redact: {
            paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers["x-twilio-signature"]', 'req.headers.cookie'],
            censor: '[redacted]',
          },
          autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
