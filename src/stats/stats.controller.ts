import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { StatsHistoryQueryDto, StatsQueryDto } from './dto/stats-query.dto';
import { StatsService } from './stats.service';
import type { StatsHistoryView, StatsView } from './stats.types';

/** What an operator watches: sessions, process load, database pools, queues and traffic (the dashboard reads these). */
@ApiTags('stats')
@ApiErrors(404)
@ApiSecurity('api-key')
@Controller('api/v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  snapshot(@CurrentPrincipal() principal: Principal, @Query() query: StatsQueryDto): Promise<StatsView> {
    return this.stats.snapshot(principal, query.company);
  }

  /** The last hour, one point per minute: messages received and sent, memory, CPU, event-loop delay, queue depth. */
  @Get('history')
  @Header('Cache-Control', 'no-store')
  history(@CurrentPrincipal() principal: Principal, @Query() query: StatsHistoryQueryDto): Promise<StatsHistoryView> {
    return this.stats.history(principal, query.minutes, query.company);
  }
}
