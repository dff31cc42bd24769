import type { FastifyInstance } from 'fastify';
import type { Draining } from '../lifecycle/draining';
import { AppException } from './app.exception';
import { unsupportedBody } from './content-type.check';
import { ErrorCode } from './error-code';
import type { RouteMethods } from './method-not-allowed';

const HEALTH = /^\/health(\/|\?|$)/;

/**
 * One `onRequest` hook for what every request needs before routing reaches Nest (hooks cost per request, so they
 * are one): the response headers (security headers, X-Request-Id), 405 for a known path under another method,
 * 503 SHUTTING_DOWN while draining (probes excepted), 415 for a body the route does not take.
 */
export function installRequestGate(instance: FastifyInstance, gate: { headers: Record<string, string>; routes: RouteMethods; draining: Draining }): void {
  const { headers, routes, draining } = gate;
  instance.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('X-Request-Id', request.id);
    if (request.is404) {
      const refused = routes.refuse(request.method, request.url);
      if (refused) reply.header('Allow', refused.allow);
      return done(refused?.error);
    }
    if (draining.active && !HEALTH.test(request.url)) {
      return done(new AppException(ErrorCode.SHUTTING_DOWN, 'the service is shutting down; retry on another instance', { retryAfterSeconds: 5 }));
    }
    done(unsupportedBody(request));
  });
}
