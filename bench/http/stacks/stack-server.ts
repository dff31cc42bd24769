/** One stack of `bench:http-stacks` answering `GET /health/live`: `node stack-server.js <port> <stack>`. */
import 'reflect-metadata';
import { createServer } from 'node:http';
import { Controller, Get, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastify from 'fastify';
import { createHttpApp } from '../../../src/core/http/http-app';
import { httpConfig } from '../../../src/core/http/http.config';
import { securityHeaders } from '../../../src/core/http/security-headers';
import { Draining } from '../../../src/core/lifecycle/draining';
import { STACKS, type Stack } from './stacks';

const BODY = { status: 'ok' };

@Controller('health')
class LiveController {
  @Get('live')
  live(): typeof BODY {
    return BODY;
  }
}

@Module({ controllers: [LiveController] })
class PlainModule {}

@Module({ imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [httpConfig] })], controllers: [LiveController], providers: [Draining] })
class PipelineModule {}

async function listen(stack: Stack, port: number): Promise<void> {
  // The headers the service sends on every response (helmet's, with our policy), computed as the service does.
  const headers = stack.endsWith('+headers') ? await securityHeaders() : {};
  if (stack.startsWith('node')) {
    const body = JSON.stringify(BODY);
    const server = createServer((_request, response) => {
      response.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
    await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready));
    return;
  }
  if (stack.startsWith('fastify')) {
    const app = fastify({ logger: false });
    if (stack === 'fastify+headers')
      app.addHook('onRequest', (_request, reply, done) => {
        reply.headers(headers);
        done();
      });
    app.get('/health/live', async () => BODY);
    await app.listen({ port, host: '127.0.0.1' });
    return;
  }
  let app: NestFastifyApplication;
  if (stack === 'our-http-pipeline') {
    // As bench:http runs the service: production, request logging off.
    Object.assign(process.env, { NODE_ENV: 'production', LOG_REQUESTS: 'false' });
    // The service's HTTP pipeline (adapter options, request gate with its headers, parsers, pipes, OpenAPI) without its modules.
    app = await createHttpApp((adapter, options) => NestFactory.create<NestFastifyApplication>(PipelineModule, adapter, options), { logger: false });
  } else {
    app = await NestFactory.create<NestFastifyApplication>(PlainModule, new FastifyAdapter({ logger: false }), { logger: false });
    if (stack === 'nest+headers')
      app
        .getHttpAdapter()
        .getInstance()
        .addHook('onRequest', (_request, reply, done) => {
          reply.headers(headers);
          done();
        });
  }
  await app.listen(port, '127.0.0.1');
}

const [port, stack] = [Number(process.argv[2]), process.argv[3] as Stack];
if (!STACKS.includes(stack)) throw new Error(`unknown stack ${stack}; one of ${STACKS.join(', ')}`);
void listen(stack, port).then(() => process.send?.('ready'));
