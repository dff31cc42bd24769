import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';
import { CompanyDocument, CompanySchema } from './schemas/company.schema';
import { TenantConnectionPool } from './tenant-connection-pool.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: CompanyDocument.name, schema: CompanySchema }])],
  providers: [CompaniesRepository, CompaniesService, TenantConnectionPool],
  exports: [CompaniesService, TenantConnectionPool],
})
export class TenancyModule {}
