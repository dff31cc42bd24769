import type { OpenAPIObject } from '@nestjs/swagger';
import { ERRORS_EXTENSION, errorResponse, type ErrorStatus } from './api-errors.decorator';

/** Marks an operation as reachable without an API key (set by `@Public()`); removed from the published document. */
export const PUBLIC_EXTENSION = 'x-public';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

interface Operation {
  parameters?: Array<{ in: string }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
  [PUBLIC_EXTENSION]?: boolean;
  [ERRORS_EXTENSION]?: ErrorStatus[];
}

/**
 * Documents on every operation the error statuses its shape implies, so none can be forgotten:
 * - behind the API key (everything not `@Public()`): 401, 403 and 429 (per-key limit, failed attempts);
 * - a body or query parameters: 400 (validation); a body: 413 and 415 (limits and media types of the parsers);
 * - path parameters: 404 (the company, or what the path names in it, does not exist);
 * - every operation but the probes: 503 (SHUTTING_DOWN while draining; tenants busy or unreachable). The probes
 *   under /health are never drained (DrainingInterceptor) and declare their own 503s.
 * Statuses only some routes answer (409, 410, 422, …) are declared on them with `@ApiErrors`.
 */
export function addStandardResponses(document: OpenAPIObject, securityScheme: string): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const statuses = new Set<ErrorStatus>(operation[ERRORS_EXTENSION] ?? []);
      delete operation[ERRORS_EXTENSION];
      if (!path.startsWith('/health')) statuses.add(503);
      const isPublic = operation[PUBLIC_EXTENSION] === true;
      delete operation[PUBLIC_EXTENSION];
      if (!isPublic) {
        operation.security = [{ [securityScheme]: [] }];
        for (const status of [401, 403, 429] as const) statuses.add(status);
      }
      const parameters = operation.parameters ?? [];
      if (operation.requestBody) for (const status of [400, 413, 415] as const) statuses.add(status);
      if (parameters.some((parameter) => parameter.in === 'query')) statuses.add(400);
      if (parameters.some((parameter) => parameter.in === 'path')) statuses.add(404);
      for (const status of statuses) operation.responses[status] ??= errorResponse(status);
    }
  }
}
