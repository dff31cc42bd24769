import { Controller, Get, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { decodePageCursor } from '../core/pagination/page-cursor';
import { PageQuery } from '../core/pagination/page.query';
import { ProspectsException } from '../prospects/prospects.exception';
import { Tenant } from '../tenancy/http/route-company.decorators';
import type { TenantContext } from '../tenancy/tenant-context';
import { DeadLettersRepository, type DeadLetterPage } from './dead-letters.repository';

/** Inbound messages that could never be stored, with why; newest first. */
@ApiTags('ingest')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/ingest/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersRepository) {}

  @Get()
  async list(@Tenant() tenant: TenantContext, @Query() query: PageQuery): Promise<DeadLetterPage> {
    const cursor = query.cursor === undefined ? undefined : (decodePageCursor(query.cursor) ?? undefined);
    if (query.cursor !== undefined && !cursor) throw ProspectsException.invalidCursor();
    return this.deadLetters.list(tenant, cursor, query.limit);
  }
}
