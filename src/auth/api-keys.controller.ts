import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { CompanyRecord } from '../tenancy/company';
import { CurrentCompany } from '../tenancy/http/route-company.decorators';
import { ApiKeysService, type ApiKeyView } from './api-keys.service';
import { AdminOnly } from './auth.decorators';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

@ApiTags('api-keys')
@ApiSecurity('api-key')
@AdminOnly()
@Controller('api/v1/companies/:company/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** Returns the key once; only its hash is kept. */
  @Post()
  create(@CurrentCompany() company: CompanyRecord, @Body() body: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    return this.apiKeys.create(company.slug, body.name);
  }

  @Get()
  list(@CurrentCompany() company: CompanyRecord): Promise<ApiKeyView[]> {
    return this.apiKeys.list(company.slug);
  }

  @Delete(':keyId')
  @HttpCode(204)
  async revoke(@CurrentCompany() company: CompanyRecord, @Param('keyId') keyId: string): Promise<void> {
    await this.apiKeys.revoke(company.slug, keyId);
  }
}
