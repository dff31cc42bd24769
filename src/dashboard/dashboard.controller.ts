import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { liveConfig, type LiveConfig } from '../live/live.config';
import { DASHBOARD_ROUTE } from './dashboard-assets';

/** What the dashboard needs to know before signing in: where the live stream listens. */
@ApiExcludeController()
@Public()
@Controller(DASHBOARD_ROUTE)
export class DashboardController {
  constructor(@Inject(liveConfig.KEY) private readonly live: LiveConfig) {}

  @Get('config.json')
  @Header('Cache-Control', 'no-store')
  config(): { livePath: string } {
    return { livePath: this.live.path };
  }
}
