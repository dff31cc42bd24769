import { createServer, type Server } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { metricsConfig, type MetricsConfig } from './metrics.config';
import { MetricsService } from './metrics.service';

/**
 * With METRICS_PORT set, a second HTTP server answering only `GET /metrics`, without credentials: for a
 * Prometheus on a private network (Render routes public traffic to PORT only). Nothing else is served there.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(metricsConfig.KEY) private readonly config: MetricsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.port === undefined) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') return void response.writeHead(404).end();
      this.metrics.registry.metrics().then(
        (page) => response.writeHead(200, { 'Content-Type': this.metrics.registry.contentType, 'Cache-Control': 'no-store' }).end(page),
        (error: unknown) => {
          this.logger.error({ err: error }, 'metrics scrape failed');
          response.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.config.port, '0.0.0.0', resolve));
    this.server = server;
    this.logger.log({ port: this.config.port }, 'metrics served on their own port');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
