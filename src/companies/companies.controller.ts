import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { MigrationRunner } from '../migrations/migration-runner.service';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import { CurrentCompany } from '../tenancy/http/route-company.decorators';
import { CreateCompanyDto } from './dto/create-company.dto';
import { UpdateCompanyDto } from './dto/update-company.dto';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';

@ApiTags('companies')
@ApiSecurity('api-key')
@Controller('api/v1/companies')
export class CompaniesController {
  constructor(
    private readonly companies: CompaniesService,
    private readonly migrations: MigrationRunner,
  ) {}

  /** Registers a company and prepares its database (collections and indexes) before answering. */
  @Post()
  @AdminOnly()
  @ApiErrors(409)
  async create(@Body() body: CreateCompanyDto): Promise<CompanyRecord> {
    const company = await this.companies.create(body);
    await this.migrations.migrateCompany(company);
    return company;
  }

  @Get()
  @AdminOnly()
  list(): Promise<CompanyRecord[]> {
    return this.companies.list();
  }

  /** The admin reads any company; a company key reads only its own. */
  @Get(':company')
  get(@CurrentCompany() company: CompanyRecord): CompanyRecord {
    return company;
  }

  @Patch(':company')
  @AdminOnly()
  update(@CurrentCompany() company: CompanyRecord, @Body() body: UpdateCompanyDto): Promise<CompanyRecord> {
    return this.companies.update(company.slug, body);
  }
}
