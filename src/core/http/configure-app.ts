import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded } from 'express';

/** HTTP setup shared by the server and the end-to-end tests, so tests exercise the production pipeline. */
export function configureApp(app: INestApplication): void {
  app.use(json({ limit: '5mb' }));
  // Twilio webhooks post form-encoded bodies.
  app.use(urlencoded({ extended: false, limit: '1mb' }));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Virtual Voices')
      .setDescription('Multi-tenant WhatsApp and Twilio messaging API for company admins')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
