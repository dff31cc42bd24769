import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';
import { orderPathParameters } from './path-parameter-order';
import { routeParameterTypes } from './route-parameter-types';
import { addStandardResponses } from './standard-responses';
import { applyValidationConstraints } from './validation-constraints';

const SECURITY_SCHEME = 'api-key';

/** The published OpenAPI document (/docs, /docs-json): every status each route answers, every DTO rule. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Virtual Voices')
      .setDescription('Multi-tenant WhatsApp and Twilio messaging API for company admins. Errors are `{ statusCode, code, message }`.')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, SECURITY_SCHEME)
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  orderPathParameters(document);
  applyValidationConstraints(document, routeParameterTypes(app));
  addStandardResponses(document, SECURITY_SCHEME);
  return document;
}
