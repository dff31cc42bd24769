import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, Module, type FactoryProvider, type OnModuleInit } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { serveStaticProviders, type AbstractLoader, type ServeStaticModuleOptions } from '@nestjs/serve-static';
import { liveConfig } from '../live/live.config';
import { DashboardController } from './dashboard.controller';
import { DASHBOARD_ROUTE, dashboardDirectory, setDashboardHeaders } from './dashboard-assets';

/**
 * The operator dashboard at /dashboard: static files built from dashboard/ (npm run build:dashboard), served
 * by @nestjs/serve-static's loaders, which work on Express and Fastify alike. The loader is chosen when the
 * module initialises, once the HTTP adapter exists: ServeStaticModule chooses it when providers are created,
 * which under @nestjs/testing is before the adapter exists, and the end-to-end tests would serve nothing.
 */
@Module({
  imports: [ConfigModule.forFeature(liveConfig)],
  controllers: [DashboardController],
})
export class DashboardModule implements OnModuleInit {
  private readonly logger = new Logger(DashboardModule.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly applicationConfig: ApplicationConfig,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const directory = dashboardDirectory();
    if (!existsSync(join(directory, 'index.html'))) {
      this.logger.warn({ directory }, 'dashboard not built: /dashboard answers 404 until `npm run build:dashboard` runs');
    }
    const options: ServeStaticModuleOptions = {
      rootPath: directory,
      serveRoot: DASHBOARD_ROUTE,
      serveStaticOptions: { index: ['index.html'], redirect: true, fallthrough: true, setHeaders: setDashboardHeaders },
    };
    // The package's own choice (Express or Fastify loader), made now rather than at provider creation.
    const loader = (serveStaticProviders[0] as FactoryProvider<AbstractLoader>).useFactory(this.adapterHost) as AbstractLoader;
    loader.register(adapter, this.applicationConfig, [options]);
  }
}
