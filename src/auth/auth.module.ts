import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { TenancyModule } from '../tenancy/tenancy.module';
import { adminKeyProvider } from './admin-key.provider';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDocument, ApiKeySchema } from './schemas/api-key.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: ApiKeyDocument.name, schema: ApiKeySchema }]), TenancyModule],
  controllers: [ApiKeysController],
  providers: [adminKeyProvider, ApiKeysRepository, ApiKeysService, ApiKeyAuthenticator, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeysService, ApiKeyAuthenticator],
})
export class AuthModule {}
