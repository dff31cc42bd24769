import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { tenancyConfig, type TenancyConfig } from '../core/config/configuration';
import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import { databaseNameFor, type CompanyCaps, type CompanyRecord, type ProviderName } from './company';
import { CompaniesRepository, type CompanyPatch } from './companies.repository';
import { TenancyException } from './tenancy.exception';

export interface CreateCompanyInput {
  slug: string;
  displayName: string;
  provider: ProviderName;
  cluster?: string;
  caps?: CompanyCaps;
}

const CACHE_TTL_MS = 30_000;

/**
 * Reads and changes the company registry. Lookups are cached briefly: every request resolves its
 * company, and the registry changes rarely (other instances see a change within the cache TTL).
 */
@Injectable()
export class CompaniesService {
  private readonly cache = new LRUCache<string, CompanyRecord>({ max: 10_000, ttl: CACHE_TTL_MS });
  private registry?: { at: number; companies: Promise<CompanyRecord[]> };

  constructor(
    private readonly repository: CompaniesRepository,
    @Inject(tenancyConfig.KEY) private readonly config: TenancyConfig,
  ) {}

  async get(slug: string): Promise<CompanyRecord> {
    const cached = this.cache.get(slug);
    if (cached) return cached;
    const company = await this.repository.findBySlug(slug);
    if (!company) throw TenancyException.notFound(slug);
    this.cache.set(slug, company);
    return company;
  }

  /** The registry as stored now (the admin API). */
  list(): Promise<CompanyRecord[]> {
    return this.repository.list();
  }

  /**
   * The registry as read at most the cache TTL ago, for background work that visits every company each second
   * or so: one read per TTL instead of one per pass and per worker. Changes made through this process show at once.
   */
  listRecent(): Promise<CompanyRecord[]> {
    if (!this.registry || Date.now() - this.registry.at > CACHE_TTL_MS) {
      const registry = { at: Date.now(), companies: this.repository.list() };
      this.registry = registry;
      // A failed read is not kept; a newer read that replaced it meanwhile stays.
      registry.companies.catch(() => this.registry === registry && (this.registry = undefined));
    }
    return this.registry.companies;
  }

  /** The next `listRecent` reads the registry again (it changed outside this service, e.g. by a migration). */
  forgetRecent(): void {
    this.registry = undefined;
  }

  async create(input: CreateCompanyInput): Promise<CompanyRecord> {
    this.assertKnownCluster(input.cluster);
    const created = await this.repository.create({
      slug: input.slug,
      displayName: input.displayName,
      provider: input.provider,
      dbName: databaseNameFor(this.config.dbPrefix, input.slug),
      cluster: input.cluster,
      caps: input.caps ?? {},
    });
    if (!created) {
      throw new AppException(ErrorCode.COMPANY_ALREADY_EXISTS, `company "${input.slug}" already exists`);
    }
    this.cache.delete(input.slug);
    this.forgetRecent();
    return this.get(input.slug);
  }

  async update(slug: string, patch: CompanyPatch): Promise<CompanyRecord> {
    this.assertKnownCluster(patch.cluster);
    const updated = await this.repository.update(slug, patch);
    if (!updated) throw TenancyException.notFound(slug);
    this.cache.set(slug, updated);
    this.forgetRecent();
    return updated;
  }

  private assertKnownCluster(cluster: string | undefined): void {
    if (cluster !== undefined && !(cluster in this.config.clusters)) {
      throw new AppException(ErrorCode.UNKNOWN_CLUSTER, `cluster "${cluster}" is not configured (TENANT_CLUSTER_URIS)`);
    }
  }
}
