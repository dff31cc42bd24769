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
 * The methods each registered path answers, collected as routes are registered: Fastify's router alone answers 404
 * for a path that exists under other methods; `refuse` turns that into 405 METHOD_NOT_ALLOWED with `Allow`.
 */
export class RouteMethods {
  private readonly routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();

  constructor(instance: FastifyInstance) {
    instance.addHook('onRoute', ({ url, method }) => {
      const route = this.routes.get(url) ?? { pattern: patternOf(url), methods: new Set<string>() };
      for (const name of [method].flat()) route.methods.add(name);
      if (route.methods.has('GET')) route.methods.add('HEAD');
      this.routes.set(url, route);
    });
  }

  /** For a request no route matched: the 405 to answer, or nothing when the path is unknown under every method. */
  refuse(method: string, url: string): { allow: string; error: AppException } | undefined {
    const path = url.split('?', 1)[0];
    const allowed = new Set<string>();
    for (const { pattern, methods } of this.routes.values()) if (pattern.test(path)) methods.forEach((name) => allowed.add(name));
    if (allowed.size === 0) return undefined;
    const allow = [...allowed].sort().join(', ');
    return { allow, error: new AppException(ErrorCode.METHOD_NOT_ALLOWED, `${method} is not allowed on ${path}; allowed: ${allow}`) };
  }
}
