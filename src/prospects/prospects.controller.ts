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
  list(@Param('company') company: string, @Query() query: ListProspectsQuery): Promise<ProspectPage> {
    return this.prospects.list(company, query);
  }

  @Get(':number')
  @ApiErrors(400)
  get(@Param('company') company: string, @Param('number') number: string): Promise<ProspectView> {
    return this.prospects.get(company, number);
  }

  @Patch(':number')
  update(@Param('company') company: string, @Param('number') number: string, @Body() body: UpdateProspectDto): Promise<ProspectView> {
    return this.prospects.update(company, number, body);
  }

  /** Up to PROSPECT_IMPORT_MAX_ROWS rows, written through the batcher; answers counts and a reason per rejected row. */
  @Post('import')
  @HttpCode(200)
  @AcceptsBody({ bulk: true })
  import(@Param('company') company: string, @Body() body: ImportProspectsDto): Promise<ImportResult> {
    return this.importer.import(company, body.rows);
  }
}
