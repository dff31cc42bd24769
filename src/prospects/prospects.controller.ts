import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AcceptsBody } from '../core/http/body-policy';
import type { ImportResult } from './dto/import-prospects.dto';
import { ImportProspectsDto } from './dto/import-prospects.dto';
import { ListProspectsQuery } from './dto/list-prospects.query';
import { UpdateProspectDto } from './dto/update-prospect.dto';
import type { ProspectView } from './prospect';
import { ProspectImportService } from './prospect-import.service';
import type { ProspectPage } from './prospects.repository';
import { ProspectsService } from './prospects.service';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';
import type { CompanyRecord } from '../tenancy/company';
import { CurrentCompany, Tenant } from '../tenancy/http/route-company.decorators';
import type { TenantContext } from '../tenancy/tenant-context';

@ApiTags('prospects')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/prospects')
export class ProspectsController {
  constructor(
    private readonly prospects: ProspectsService,
    private readonly importer: ProspectImportService,
  ) {}

  /** Newest first; pass `nextCursor` back as `cursor` for the next page. */
  @Get()
  list(@Tenant() tenant: TenantContext, @Query() query: ListProspectsQuery): Promise<ProspectPage> {
    return this.prospects.list(tenant, query);
  }

  @Get(':number')
  @ApiErrors(400)
  get(@Tenant() tenant: TenantContext, @Param('number') number: string): Promise<ProspectView> {
    return this.prospects.get(tenant, number);
  }

  @Patch(':number')
  update(@Tenant() tenant: TenantContext, @Param('number') number: string, @Body() body: UpdateProspectDto): Promise<ProspectView> {
    return this.prospects.update(tenant, number, body);
  }

  /** Up to PROSPECT_IMPORT_MAX_ROWS rows, written through the batcher; answers counts and a reason per rejected row. */
  @Post('import')
  @HttpCode(200)
  @AcceptsBody({ bulk: true })
  import(@CurrentCompany() company: CompanyRecord, @Body() body: ImportProspectsDto): Promise<ImportResult> {
    return this.importer.import(company, body.rows);
  }
}
