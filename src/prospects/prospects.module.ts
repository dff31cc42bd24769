import { Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ProspectImportService } from './prospect-import.service';
import { ProspectUpsertBatcher } from './prospect-upsert-batcher.service';
import { ProspectsController } from './prospects.controller';
import { ProspectsRepository } from './prospects.repository';
import { ProspectsService } from './prospects.service';

@Module({
  imports: [TenancyModule],
  controllers: [ProspectsController],
  providers: [ProspectsRepository, ProspectsService, ProspectImportService, ProspectUpsertBatcher],
  exports: [ProspectUpsertBatcher, ProspectsService],
})
export class ProspectsModule {}
