import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { answerClientError } from './client-error';
import { configureApp } from './configure-app';
import { httpConfig } from './http.config';
import { fastifyTrustProxy } from './trust-proxy';

const REQUEST_ID = /^[\w-]{8,64}$/;

/** A caller's `X-Request-Id` when it looks like one, else a fresh id: the correlation id of logs and 500 bodies. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** The Fastify adapter with the server-level options (those that cannot be set once the app exists). */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    logger: false,
    genReqId: requestIdOf,
    requestIdHeader: false,
    clientErrorHandler: answerClientError,
    // request.ip: the client as the trusted proxies name it (TRUST_PROXY); failed-auth budgets count per address.
    trustProxy: fastifyTrustProxy(httpConfig().trustProxy),
    // No Nest middleware is registered (request logging is a Fastify hook), so @fastify/middie, which would run an
    // empty middleware chain on every request, is left out. Registering middleware would fail at boot.
    skipMiddie: true,
  });
}

export type HttpAppFactory = (adapter: FastifyAdapter, options: NestApplicationOptions) => NestFastifyApplication | Promise<NestFastifyApplication>;

/**
 * The one way the server and the end-to-end tests build the HTTP application: the same adapter, the same
 * pipeline (`configureApp`). `factory` is `NestFactory.create` or a testing module's `createNestApplication`.
 */
export async function createHttpApp(factory: HttpAppFactory, options: NestApplicationOptions = {}): Promise<NestFastifyApplication> {
  const app = await factory(createHttpAdapter(), { ...options, bodyParser: false });
  await configureApp(app);
  return app;
}
