import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CompaniesService } from '../tenancy/companies.service';
import { ApiKeysService, type ApiKeyView } from './api-keys.service';
import { AdminOnly } from './auth.decorators';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

@ApiTags('api-keys')
@ApiSecurity('api-key')
@AdminOnly()
@Controller('api/v1/companies/:company/api-keys')
export class ApiKeysController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly companies: CompaniesService,
  ) {}

  /** Returns the key once; only its hash is kept. */
  @Post()
  async create(@Param('company') company: string, @Body() body: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    await this.companies.get(company);
    return this.apiKeys.create(company, body.name);
  }

  @Get()
  async list(@Param('company') company: string): Promise<ApiKeyView[]> {
    await this.companies.get(company);
    return this.apiKeys.list(company);
  }

  @Delete(':keyId')
  @HttpCode(204)
  async revoke(@Param('company') company: string, @Param('keyId') keyId: string): Promise<void> {
    await this.companies.get(company);
    await this.apiKeys.revoke(company, keyId);
  }
}
