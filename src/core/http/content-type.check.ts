import type { FastifyRequest } from 'fastify';
import { AppException } from './app.exception';
import { bodyPolicyOf, JSON_ONLY } from './body-policy';
import { ErrorCode } from './error-code';

function carriesBody(request: FastifyRequest): boolean {
  const { 'content-length': length, 'transfer-encoding': encoding } = request.headers;
  return encoding !== undefined || (length !== undefined && length !== '0');
}

/** `type/subtype`, lower-cased, without parameters (`application/json; charset=utf-8` is `application/json`). */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0].trim().toLowerCase();
}

/**
 * 415 UNSUPPORTED_MEDIA_TYPE for a body a route does not take (JSON, unless its `AcceptsBody` policy names other
 * types), before the body is read: a text/plain PATCH used to answer 200 and ignore its body.
 */
export function unsupportedBody(request: FastifyRequest): AppException | undefined {
  if (request.method === 'GET' || request.method === 'HEAD' || !carriesBody(request)) return undefined;
  const accepted = bodyPolicyOf(request.routeOptions.config)?.types ?? JSON_ONLY;
  const type = mediaTypeOf(request.headers['content-type']);
  if (accepted.includes(type)) return undefined;
  const sent = type ? `not ${type}` : 'and the request has no Content-Type';
  return new AppException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `${request.method} ${request.routeOptions.url} takes ${accepted.join(' or ')} bodies, ${sent}`);
}
