import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module';
import { CompaniesModule } from './companies/companies.module';
import { ContactsModule } from './contacts/contacts.module';
import { ConversationsModule } from './conversations/conversations.module';
import { allConfigs } from './core/config/configuration';
import { validateEnvironment } from './core/config/environment.schema';
import { DatabaseModule } from './core/database/database.module';
import { httpConfig } from './core/http/http.config';
import { DashboardModule } from './dashboard/dashboard.module';
import { HttpExceptionFilter } from './core/http/http-exception.filter';
import { LifecycleModule } from './core/lifecycle/lifecycle.module';
import { LoggingModule } from './core/logging/logging.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';
import { LiveModule } from './live/live.module';
import { MediaModule } from './media/media.module';
import { MessagingModule } from './messaging/messaging.module';
import { MetricsModule } from './metrics/metrics.module';
import { MigrationsModule } from './migrations/migrations.module';
import { ProspectsModule } from './prospects/prospects.module';
import { SessionsModule } from './sessions/sessions.module';
import { StatsModule } from './stats/stats.module';
import { TenancyModule } from './tenancy/tenancy.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, ignoreEnvFile: true, validate: validateEnvironment, load: allConfigs }),
    ConfigModule.forFeature(httpConfig),
    ScheduleModule.forRoot(),
    LoggingModule,
    LifecycleModule,
    DatabaseModule,
    TenancyModule,
    MigrationsModule,
    MetricsModule,
    AuthModule,
    CompaniesModule,
    ProspectsModule,
    IngestModule,
    SessionsModule,
    ConversationsModule,
    MessagingModule,
    LiveModule,
    MediaModule,
    ContactsModule,
    HealthModule,
    StatsModule,
    DashboardModule,
    WebhooksModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
})
export class AppModule {}
