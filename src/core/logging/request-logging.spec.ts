import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BaseLogger } from 'pino';
import { installRequestLogging } from './request-logging';

type Hook = (request: object, reply: object, done: () => void) => void;

function appWithHook(): { app: NestFastifyApplication; hooks: Record<string, Hook> } {
  const hooks: Record<string, Hook> = {};
  const instance = { addHook: (name: string, hook: Hook) => (hooks[name] = hook) };
  return { app: { getHttpAdapter: () => ({ getInstance: () => instance }) } as unknown as NestFastifyApplication, hooks };
}

describe('installRequestLogging', () => {
  it('logs one line per answered request, at a level by status, without headers; probes and scrapes stay quiet', () => {
    const { app, hooks } = appWithHook();
    const lines: Array<[string, object, string]> = [];
    const logger = Object.fromEntries(
      ['info', 'warn', 'error'].map((level) => [level, (fields: object, message: string) => lines.push([level, fields, message])]),
    ) as unknown as BaseLogger;
    installRequestLogging(app, logger);
    const answer = (url: string, statusCode: number) =>
      hooks.onResponse({ id: 'req-1', method: 'GET', url, headers: { 'x-api-key': 'secret' } }, { statusCode, elapsedTime: 1.234 }, () => undefined);

    for (const [url, status] of [
      ['/api/v1/companies', 200],
      ['/api/v1/nowhere', 404],
      ['/api/v1/companies/acme', 500],
      ['/health/live', 200],
      ['/metrics', 200],
    ] as const)
      answer(url, status);

    expect(lines).toEqual([
      ['info', { reqId: 'req-1', method: 'GET', url: '/api/v1/companies', statusCode: 200, responseTimeMs: 1.2 }, 'request completed'],
      ['warn', expect.objectContaining({ url: '/api/v1/nowhere', statusCode: 404 }), 'request completed'],
      ['error', expect.objectContaining({ url: '/api/v1/companies/acme', statusCode: 500 }), 'request completed'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
