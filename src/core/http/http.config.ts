import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../config/environment.schema';
import { parseTrustProxy } from './trust-proxy';

export const httpConfig = registerAs('http', () => {
  const e = validateEnvironment(process.env);
  return {
    bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
    largeBodyLimitBytes: e.HTTP_LARGE_BODY_LIMIT_BYTES,
    jsonMaxDepth: e.HTTP_JSON_MAX_DEPTH,
    corsOrigins: (e.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    logRequests: e.LOG_REQUESTS ?? e.NODE_ENV === 'development',
    /** Fastify's `trustProxy`, and the same rule for live handshakes (clientAddress). */
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
  };
});

export type HttpConfig = ConfigType<typeof httpConfig>;
