import type { IncomingHttpHeaders } from 'node:http';

/** What auth reads from a request, the same under every HTTP adapter (Express, Fastify). */
export interface HttpRequestLike {
  headers: IncomingHttpHeaders;
  /** The client address, as the adapter derives it under TRUST_PROXY. */
  ip?: string;
  params?: Record<string, string>;
}

/** A header's first value; empty counts as absent. */
export function headerValue(request: HttpRequestLike, name: string): string | undefined {
  const raw = request.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === '' ? undefined : value;
}

/** The token of `Authorization: Bearer <token>`, if that is what the request carries. */
export function bearerToken(request: HttpRequestLike): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(request, 'authorization') ?? '');
  return match?.[1];
}
