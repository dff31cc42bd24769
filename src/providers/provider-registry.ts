import { Inject, Injectable } from '@nestjs/common';
import { sessionsConfig, type SessionsConfig } from '../core/config/configuration';
import { ProviderAdapter } from './provider.port';
import type { CompanyRecord } from '../tenancy/company';

export const PROVIDER_ADAPTERS = Symbol('PROVIDER_ADAPTERS');

/** Picks the adapter for a company's provider; SESSIONS_PROVIDER_OVERRIDE swaps every company to the simulator. */
@Injectable()
export class ProviderRegistry {
  private readonly byName: Map<string, ProviderAdapter>;

  constructor(
    @Inject(PROVIDER_ADAPTERS) adapters: ProviderAdapter[],
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {
    this.byName = new Map(adapters.map((adapter) => [adapter.name, adapter]));
  }

  adapterFor(company: CompanyRecord): ProviderAdapter {
    const name = this.config.providerOverride ?? company.provider;
    const adapter = this.byName.get(name);
    if (!adapter) throw new Error(`no adapter registered for provider "${name}"`);
    return adapter;
  }
}
