import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { AnyClass } from './route-parameter-types';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Schema = Record<string, unknown>;

/** A documented subset of the http(s) URLs `@IsUrl` takes: a host name, an optional port, path and query. */
const HTTP_URL_PATTERN =
  '^https?://[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?){0,3}(:[1-9][0-9]{1,3})?(/[A-Za-z0-9._~-]{1,20}){0,4}$';
const MONGO_ID_PATTERN = '^[0-9a-f]{24}$';

/**
 * Writes the class-validator rules of every DTO into its OpenAPI schema (lengths, patterns, enums, bounds, array
 * sizes, integer types), and closes it (`additionalProperties: false`, as the validation pipe refuses unknown
 * fields), so the document promises exactly what the server accepts and a client (or a fuzzer) can build valid
 * requests from it. What a DTO states in `@ApiProperty` wins.
 */
export function applyValidationConstraints(document: OpenAPIObject, routeTypes: AnyClass[] = []): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const target of new Set([...validatedClasses(), ...routeTypes])) {
    const schema = schemas[target.name];
    if (!schema || schema.type !== 'object' || schema.additionalProperties !== undefined) continue;
    schema.additionalProperties = false;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const rules = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
    for (const rule of rules) {
      const property = properties[rule.propertyName];
      if (property && !('$ref' in property)) applyRule(rule.each && property.type === 'array' ? itemsOf(property) : property, rule);
    }
  }
}

/** Every class with validation rules. class-validator lists them only in its (private) storage. */
function validatedClasses(): AnyClass[] {
  const storage = getMetadataStorage() as unknown as { validationMetadatas?: Map<AnyClass, unknown> };
  if (!(storage.validationMetadatas instanceof Map)) throw new Error('class-validator no longer keeps validationMetadatas as a Map');
  return [...storage.validationMetadatas.keys()].filter((target): target is AnyClass => typeof target === 'function');
}

function itemsOf(property: Schema): Schema {
  property.items ??= {};
  return property.items as Schema;
}

function applyRule(schema: Schema, rule: ValidationMetadata): void {
  const [first, second] = rule.constraints ?? [];
  const set = (key: string, value: unknown) => {
    if (schema[key] === undefined) schema[key] = value;
  };
  switch (rule.name) {
    case 'isLength':
      set('minLength', first);
      if (second !== undefined) set('maxLength', second);
      break;
    case 'minLength':
      set('minLength', first);
      break;
    case 'maxLength':
      set('maxLength', first);
      break;
    case 'matches':
      if (first instanceof RegExp && !first.flags.includes('i')) set('pattern', first.source);
      break;
    case 'isIn':
      set('enum', first);
      break;
    case 'equals':
      set('enum', [first]);
      break;
    case 'min':
      set('minimum', first);
      break;
    case 'max':
      set('maximum', first);
      break;
    case 'isInt':
      schema.type = 'integer';
      break;
    case 'arrayMinSize':
      set('minItems', first);
      break;
    case 'arrayMaxSize':
      set('maxItems', first);
      break;
    case 'isMongoId':
      set('pattern', MONGO_ID_PATTERN);
      break;
    case 'isUrl':
      set('pattern', HTTP_URL_PATTERN);
      break;
    case 'isLatitude':
      Object.assign(schema, { type: 'number', minimum: -90, maximum: 90 });
      break;
    case 'isLongitude':
      Object.assign(schema, { type: 'number', minimum: -180, maximum: 180 });
      break;
  }
}
