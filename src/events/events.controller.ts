import { Controller, Get, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { CompanyRecord } from '../tenancy/company';
import { CurrentCompany } from '../tenancy/http/route-company.decorators';
import { EventQueryDto } from './dto/event-query.dto';
import { EventLogReader, type EventPage } from './event-log.reader';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';

/** The company's event log since a cursor: what a consumer that was away replays, in order. */
@ApiTags('events')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/events')
export class EventsController {
  constructor(private readonly reader: EventLogReader) {}

  @Get()
  @ApiErrors(410)
  async list(@CurrentCompany() company: CompanyRecord, @Query() query: EventQueryDto): Promise<EventPage> {
    const types = query.types ? new Set(query.types) : undefined;
    const { events, next } = await this.reader.read(company, { after: query.after, types, limit: query.limit });
    return { events, next };
  }
}
