import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { decodePageCursor } from '../core/pagination/page-cursor';
import { PageQuery } from '../core/pagination/page.query';
import { ProspectsException } from '../prospects/prospects.exception';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { DeadLettersRepository, type DeadLetterPage } from './dead-letters.repository';

/** Inbound messages that could never be stored, with why; newest first. */
@ApiTags('ingest')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/ingest/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly deadLetters: DeadLettersRepository,
  ) {}

  @Get()
  async list(@Param('company') company: string, @Query() query: PageQuery): Promise<DeadLetterPage> {
    const cursor = query.cursor === undefined ? undefined : (decodePageCursor(query.cursor) ?? undefined);
    if (query.cursor !== undefined && !cursor) throw ProspectsException.invalidCursor();
    return this.deadLetters.list(await this.pool.forCompany(company), cursor, query.limit);
  }
}
