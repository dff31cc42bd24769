import { Inject, Injectable } from '@nestjs/common';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import type { TenantContext } from '../tenancy/tenant-context';
import type { ProspectFieldsDto } from './dto/prospect-fields.dto';
import { PROSPECT_FIELDS } from './dto/prospect-fields.dto';
import { toE164 } from './phone-number';
import type { ProspectView } from './prospect';
import { ProspectsException } from './prospects.exception';
import { decodePageCursor } from '../core/pagination/page-cursor';
import { ProspectsRepository, type ProspectPage } from './prospects.repository';

@Injectable()
export class ProspectsService {
  constructor(
    private readonly repository: ProspectsRepository,
    @Inject(ingestConfig.KEY) private readonly config: IngestConfig,
  ) {}

  async list(tenant: TenantContext, query: { search?: string; cursor?: string; limit: number }): Promise<ProspectPage> {
    const cursor = query.cursor === undefined ? undefined : decodePageCursor(query.cursor);
    if (cursor === null) throw ProspectsException.invalidCursor();
    return this.repository.list(tenant, { search: query.search, cursor, limit: query.limit });
  }

  async get(tenant: TenantContext, rawNumber: string): Promise<ProspectView> {
    const number = this.normalize(rawNumber);
    const prospect = await this.repository.findByNumber(tenant, number);
    if (!prospect) throw ProspectsException.notFound(number);
    return prospect;
  }

  async update(tenant: TenantContext, rawNumber: string, fields: ProspectFieldsDto): Promise<ProspectView> {
    const number = this.normalize(rawNumber);
    const prospect = await this.repository.updateFields(tenant, number, pickFields(fields));
    if (!prospect) throw ProspectsException.notFound(number);
    return prospect;
  }

  normalize(rawNumber: unknown): string {
    const parsed = toE164(rawNumber, this.config.defaultPhoneRegion);
    if (!parsed.ok) throw ProspectsException.invalidNumber(parsed.reason);
    return parsed.e164;
  }
}

export function pickFields(fields: ProspectFieldsDto): Record<string, unknown> {
  return Object.fromEntries(PROSPECT_FIELDS.filter((field) => fields[field] !== undefined).map((field) => [field, fields[field]]));
}
