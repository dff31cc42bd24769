import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TenancyModule } from '../tenancy/tenancy.module';
import { MetricsAccess } from './metrics-access';
import { metricsConfig } from './metrics.config';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics.server';
import { MetricsService } from './metrics.service';

@Global()
@Module({
  imports: [TenancyModule, ConfigModule.forFeature(metricsConfig)],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsAccess, MetricsServer],
  exports: [MetricsService],
})
export class MetricsModule {}
