import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ADMIN_API_KEY } from './admin-key.provider';
import { generateApiKey, parseApiKey, sameSecret, secretMatches } from './api-key';
import { ApiKeysRepository, type ApiKeyRecord } from './api-keys.repository';
import { AuthException } from './auth.exception';
import type { Principal } from './principal';

export interface ApiKeyView {
  id: string;
  company: string;
  name: string;
  createdAt: Date;
  revokedAt?: Date;
}

const ADMIN: Principal = { kind: 'admin', id: 'admin' };

/**
 * Issues, lists, revokes and resolves API keys. Resolved keys are cached for a short time so a
 * request does not cost a control-database read; a revocation clears this instance's cache at once.
 */
@Injectable()
export class ApiKeysService {
  private readonly cache = new LRUCache<string, ApiKeyRecord>({ max: 50_000, ttl: 30_000 });

  constructor(
    private readonly repository: ApiKeysRepository,
    @Inject(ADMIN_API_KEY) private readonly adminKey: string,
  ) {}

  async create(company: string, name: string): Promise<ApiKeyView & { key: string }> {
    const generated = generateApiKey();
    const record = await this.repository.create({ id: generated.id, companySlug: company, name, secretHash: generated.secretHash });
    return { ...toView(record), key: generated.key };
  }

  async list(company: string): Promise<ApiKeyView[]> {
    return (await this.repository.listByCompany(company)).map(toView);
  }

  async revoke(company: string, id: string): Promise<void> {
    if (!(await this.repository.revoke(company, id))) throw AuthException.keyNotFound(id);
    this.cache.delete(id);
  }

  /** The principal a key stands for, or null when the key is unknown, malformed or revoked. */
  async resolve(key: string): Promise<Principal | null> {
    if (sameSecret(key, this.adminKey)) return ADMIN;
    const parsed = parseApiKey(key);
    if (!parsed) return null;
    let record = this.cache.get(parsed.id);
    if (!record) {
      record = (await this.repository.findById(parsed.id)) ?? undefined;
      if (record) this.cache.set(parsed.id, record);
    }
    if (!record || record.revokedAt || !secretMatches(parsed.secret, record.secretHash)) return null;
    return { kind: 'company', id: record.id, company: record.companySlug };
  }
}

function toView(record: ApiKeyRecord): ApiKeyView {
  return { id: record.id, company: record.companySlug, name: record.name, createdAt: record.createdAt, revokedAt: record.revokedAt };
}
