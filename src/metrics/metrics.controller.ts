import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { Public } from '../auth/auth.decorators';
import type { HttpRequestLike } from '../auth/request-credentials';
import { MetricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';

/** Prometheus' page on the HTTP port (MetricsAccess says who may read it); MetricsServer serves it on METRICS_PORT. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly access: MetricsAccess,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() request: HttpRequestLike, @Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    this.access.assertAllowed(request);
    // Set here, not with @Header: that would also label the JSON error bodies as Prometheus text.
    response.header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE);
    return this.metrics.registry.metrics();
  }
}
