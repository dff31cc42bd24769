import { ApiExtension, getSchemaPath } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

/** What each error status means in this API, as documented on every operation that can answer it. */
export const ERROR_DESCRIPTIONS = {
  400: 'VALIDATION_FAILED (every problem in `details`), or a value the route cannot use',
  401: 'UNAUTHENTICATED: no valid credentials',
  403: 'FORBIDDEN: this key may not reach this route (the same whether or not the company exists)',
  404: 'The company, or what the path names in it, does not exist',
  409: 'The current state does not allow it (already exists, session not ready, media not available)',
  410: 'EVENT_CURSOR_EXPIRED: the events after this cursor are no longer kept',
  413: 'PAYLOAD_TOO_LARGE: the body is over the limit',
  415: 'The body is not in a media type this route reads (JSON, or form-encoded for webhooks)',
  422: 'Understood but refused for this session or chat (unsupported kind, outside the 24-hour window…)',
  429: 'RATE_LIMITED: too many requests, or too many failed attempts; wait Retry-After seconds',
  503: 'Temporarily unavailable (shutting down, company busy or unreachable, memory); retry after Retry-After',
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** Statuses sent with a Retry-After header. */
const RETRYABLE: readonly number[] = [429, 503];

/** The OpenAPI response object of an error status: the `{ statusCode, code, message }` body, Retry-After where sent. */
export function errorResponse(status: ErrorStatus, description: string = ERROR_DESCRIPTIONS[status]): Record<string, unknown> {
  return {
    description,
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } },
    ...(RETRYABLE.includes(status)
      ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } } }
      : {}),
  };
}

/** Where `@ApiErrors` records its statuses for `addStandardResponses`; removed from the published document. */
export const ERRORS_EXTENSION = 'x-error-statuses';

/**
 * Error statuses a route answers beyond the standard ones (which `addStandardResponses` documents from the
 * operation's shape: auth, validation, body limits, 404 for path parameters, 503). Recorded as an extension
 * rather than as responses, so Nest still documents the route's success status by itself. On a controller it
 * applies to the routes that declare none of their own.
 */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return ApiExtension(ERRORS_EXTENSION, statuses) as MethodDecorator & ClassDecorator;
}
