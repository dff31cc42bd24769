import { ValidationPipe } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** HTTP setup shared by the server and the end-to-end tests, so tests exercise the production pipeline. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  app.useBodyParser('application/json', { bodyLimit: 5 * 1024 * 1024 });
  // Twilio webhooks post form-encoded bodies.
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: 1024 * 1024 });
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
