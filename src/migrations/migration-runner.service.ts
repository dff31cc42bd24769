import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';
import { MongoDBStorage, Umzug } from 'umzug';
import { controlMigrations, tenantMigrations, type Migration } from '../../migrations';
import { appConfig, tenancyConfig, type AppConfig, type TenancyConfig } from '../core/config/configuration';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';

export interface MigrationReport {
  control: string[];
  companies: Record<string, { applied: string[] } | { error: string }>;
}

const STORAGE_COLLECTION = '_migrations';

/**
 * Applies the versioned migrations in `migrations/` to the control database and then to every
 * company database, recording each applied name (umzug). One company failing never stops the rest.
 */
@Injectable()
export class MigrationRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(
    @InjectConnection() private readonly control: Connection,
    private readonly companies: CompaniesService,
    private readonly pool: TenantConnectionPool,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(tenancyConfig.KEY) private readonly tenancy: TenancyConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.app.migrateOnBoot) await this.migrateAll();
  }

  async migrateAll(): Promise<MigrationReport> {
    const report: MigrationReport = { control: await this.migrateControl(), companies: {} };
    // Control migrations may have added companies that a background worker listed (empty) moments before.
    this.companies.forgetRecent();
    for (const company of await this.companies.list()) {
      try {
        report.companies[company.slug] = { applied: await this.migrateCompany(company) };
      } catch (error) {
        report.companies[company.slug] = { error: (error as Error).message };
        this.logger.error({ company: company.slug, err: error }, 'company migrations failed');
      }
    }
    return report;
  }

  migrateControl(): Promise<string[]> {
    return this.apply(controlMigrations, this.control.db as mongo.Db);
  }

  migrateCompany(company: CompanyRecord): Promise<string[]> {
    return this.pool.runUngated(company, (connection) => this.apply(tenantMigrations, connection.db as mongo.Db));
  }

  private async apply(migrations: Migration[], db: mongo.Db): Promise<string[]> {
    const context = { db, tenantDbPrefix: this.tenancy.dbPrefix };
    const umzug = new Umzug({
      migrations: migrations.map((migration) => ({ name: migration.name, up: () => migration.up(context) })),
      storage: new MongoDBStorage({ collection: db.collection(STORAGE_COLLECTION) }),
      logger: undefined,
    });
    const applied = await umzug.up();
    if (applied.length > 0) this.logger.log({ db: db.databaseName, applied: applied.map((m) => m.name) }, 'migrations applied');
    return applied.map((m) => m.name);
  }
}
