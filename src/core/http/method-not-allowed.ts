import type { FastifyInstance } from 'fastify';
import { AppException } from './app.exception';
import { ErrorCode } from './error-code';

/** A route pattern (`/api/v1/companies/:company`, `/docs/*`) as a RegExp over request paths. */
export function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

/**
 * 405 METHOD_NOT_ALLOWED with `Allow` for a path that exists under other methods; Fastify's router alone answers
 * 404 for those. Routes are collected as they are registered; only unmatched requests are checked.
 */
export function installMethodNotAllowed(instance: FastifyInstance): void {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  instance.addHook('onRoute', ({ url, method }) => {
    const route = routes.get(url) ?? { pattern: patternOf(url), methods: new Set<string>() };
    for (const name of [method].flat()) route.methods.add(name);
    if (route.methods.has('GET')) route.methods.add('HEAD');
    routes.set(url, route);
  });
  instance.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?', 1)[0];
    const allowed = new Set<string>();
    for (const { pattern, methods } of routes.values()) if (pattern.test(path)) methods.forEach((name) => allowed.add(name));
    if (allowed.size === 0) return done();
    const list = [...allowed].sort().join(', ');
    reply.header('Allow', list);
    done(new AppException(ErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed on ${path}; allowed: ${list}`));
  });
}
