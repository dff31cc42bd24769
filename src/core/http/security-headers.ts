import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastify from 'fastify';

/**
 * Scripts, styles, images and connections from this origin only: /docs (Swagger UI loads its scripts from files)
 * and /dashboard (one bundled script) need nothing else. Styles allow inline attributes, which Swagger UI sets.
 * No `upgrade-insecure-requests`: it would break /docs on plain-HTTP development servers.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
  },
};

const NOT_SECURITY = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/**
 * The headers @fastify/helmet sets with our policy, computed once. The plugin rebuilds helmet's middleware (and
 * parses the policy) on every request, which cost about a tenth of a cheap request's CPU; the headers are the same
 * for every response, so the request gate sets these instead.
 */
export async function securityHeaders(): Promise<Record<string, string>> {
  const probe = fastify();
  try {
    await probe.register(helmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
    probe.get('/', async () => '');
    const { headers } = await probe.inject({ method: 'GET', url: '/' });
    return Object.fromEntries(Object.entries(headers).filter(([name, value]) => !NOT_SECURITY.has(name) && typeof value === 'string')) as Record<
      string,
      string
    >;
  } finally {
    await probe.close();
  }
}

/** CORS for the configured browser origins only (none: no CORS headers, browsers keep other origins out). */
export function useCors(app: NestFastifyApplication, corsOrigins: readonly string[]): void {
  if (corsOrigins.length === 0) return;
  app.enableCors({
    origin: [...corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['Content-Type', 'X-API-Key', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
}
