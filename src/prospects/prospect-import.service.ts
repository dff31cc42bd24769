import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import type { CompanyRecord } from '../tenancy/company';
import type { ImportRejection, ImportResult } from './dto/import-prospects.dto';
import { ProspectFieldsDto } from './dto/prospect-fields.dto';
import { toE164 } from './phone-number';
import { ProspectUpsertBatcher } from './prospect-upsert-batcher.service';
import { ProspectsException } from './prospects.exception';
import { pickFields } from './prospects.service';

/** Bulk import through the same batcher as live traffic; each bad row is reported, never fatal. */
@Injectable()
export class ProspectImportService {
  constructor(
    private readonly batcher: ProspectUpsertBatcher,
    @Inject(ingestConfig.KEY) private readonly config: IngestConfig,
  ) {}

  async import(company: CompanyRecord, rows: Record<string, unknown>[]): Promise<ImportResult> {
    if (rows.length > this.config.importMaxRows) throw ProspectsException.importTooLarge(this.config.importMaxRows);
    const rejections: ImportRejection[] = [];
    const writes: Array<{ row: number; number: string; write: Promise<'created' | 'updated'> }> = [];
    rows.forEach((row, index) => {
      const reason = this.problemWith(row);
      if (reason) {
        rejections.push({ row: index, number: row.number, reason });
        return;
      }
      const number = (toE164(row.number, this.config.defaultPhoneRegion) as { e164: string }).e164;
      const fields = pickFields(row as ProspectFieldsDto);
      writes.push({ row: index, number, write: this.batcher.upsert(company, { number, set: fields, setOnInsert: { firstSource: 'import' } }) });
    });
    const results = await Promise.allSettled(writes.map((w) => w.write));
    let created = 0;
    let updated = 0;
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        rejections.push({ row: writes[i].row, number: writes[i].number, reason: `write failed: ${(result.reason as Error).message}` });
      } else if (result.value === 'created') created++;
      else updated++;
    });
    rejections.sort((a, b) => a.row - b.row);
    return { total: rows.length, created, updated, rejected: rejections.length, rejections };
  }

  private problemWith(row: Record<string, unknown>): string | undefined {
    const phone = toE164(row.number, this.config.defaultPhoneRegion);
    if (!phone.ok) return phone.reason;
    const errors = validateSync(plainToInstance(ProspectFieldsDto, row), { whitelist: true });
    if (errors.length > 0) return errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ');
    return undefined;
  }
}
