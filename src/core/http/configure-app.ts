import { ValidationPipe } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { PinoLogger } from 'nestjs-pino';
import { Draining } from '../lifecycle/draining';
import { installRequestLogging } from '../logging/request-logging';
import { bodyPolicyOf } from './body-policy';
import { httpConfig, type HttpConfig } from './http.config';
import { jsonBodyParser } from './json-body.parser';
import { RouteMethods } from './method-not-allowed';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { installRequestGate } from './request-gate';
import { securityHeaders, useCors } from './security-headers';

/** HTTP setup shared by the server and the end-to-end tests, so tests exercise the production pipeline. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get<HttpConfig>(httpConfig.KEY);
  const fastify = app.getHttpAdapter().getInstance();
  installRequestGate(fastify, { headers: await securityHeaders(), routes: new RouteMethods(fastify), draining: app.get(Draining) });
  fastify.addHook('onRoute', (route) => {
    if (bodyPolicyOf(route.config)?.bulk) route.bodyLimit = config.largeBodyLimitBytes;
  });
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes }, jsonBodyParser(fastify, config.jsonMaxDepth));
  // Twilio webhooks post form-encoded bodies.
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: config.bodyLimitBytes });
  useCors(app, config.corsOrigins);
  if (config.logRequests) installRequestLogging(app, (await app.resolve(PinoLogger)).logger);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }));
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app));
}
