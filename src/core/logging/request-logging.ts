import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BaseLogger } from 'pino';

/** Probes and scrapes would drown the rest. */
const QUIET = /^\/(health|metrics)(\/|\?|$)/;

/**
 * One line per request once it is answered, from an `onResponse` hook installed only when request logging is
 * on: when it is off, requests pay nothing for it. Headers are not logged (credentials travel in them).
 */
export function installRequestLogging(app: NestFastifyApplication, logger: BaseLogger): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      if (!QUIET.test(request.url)) {
        const status = reply.statusCode;
        const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
        logger[level](
          { reqId: request.id, method: request.method, url: request.url, statusCode: status, responseTimeMs: Math.round(reply.elapsedTime * 10) / 10 },
          'request completed',
        );
      }
      done();
    });
}
