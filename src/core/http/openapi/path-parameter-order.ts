import type { OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

type Parameter = { name?: string; in?: string };

/**
 * Lists each operation's path parameters first, in the order its path names them; the others follow as they were.
 * Nest lists the parameters it reads from a handler's arguments before those declared with `@ApiParam` (as
 * `@CurrentCompany()` and `@Tenant()` declare `company`), and clients generated from the document take them in order.
 */
export function orderPathParameters(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const rank = (parameter: Parameter) =>
      parameter.in === 'path' && parameter.name !== undefined && names.includes(parameter.name) ? names.indexOf(parameter.name) : names.length;
    for (const method of METHODS) {
      const operation = (item as Record<string, { parameters?: Parameter[] } | undefined>)[method];
      if (operation?.parameters) operation.parameters = [...operation.parameters].sort((a, b) => rank(a) - rank(b));
    }
  }
}
