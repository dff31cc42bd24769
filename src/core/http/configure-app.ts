import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded } from 'express';
import { buildOpenApiDocument } from './openapi/openapi-document';

/** HTTP setup shared by the server and the end-to-end tests, so tests exercise the production pipeline. */
export function configureApp(app: INestApplication): void {
  app.use(json({ limit: '5mb' }));
  // Twilio webhooks post form-encoded bodies.
  app.use(urlencoded({ extended: false, limit: '1mb' }));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app));
}
