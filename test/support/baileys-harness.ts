import { BaileysAuthStateRepository } from '../../src/providers/baileys/baileys-auth-state.repository';
import type { CompanyRecord } from '../../src/tenancy/company';
import { CompaniesService } from '../../src/tenancy/companies.service';
import type { TenantContext } from '../../src/tenancy/tenant-context';
import type { FakeWhatsApp } from './fake-whatsapp';
import { startTestApp, TenantConnectionPool, type TestApp } from './test-app';
import { until } from './until';

/** The app the Baileys e2e specs run against: real database, real Baileys, `whatsapp` standing in for WhatsApp's server. */
export interface BaileysApp {
  t: TestApp;
  /** The company `acme`, whose provider is Baileys. */
  company: CompanyRecord;
  tenant: TenantContext;
  repository: BaileysAuthStateRepository;
}

/** Starts `whatsapp`, then the app pointed at it, with the Baileys company `acme`. */
export async function startBaileysApp(whatsapp: FakeWhatsApp): Promise<BaileysApp> {
  const url = await whatsapp.listen();
  const t = await startTestApp({ BAILEYS_WS_URL: url });
  try {
    await t.admin('post', '/api/v1/companies').send({ slug: 'acme', displayName: 'Acme', provider: 'baileys' }).expect(201);
    const company = await t.app.get(CompaniesService).get('acme');
    const tenant = t.app.get(TenantConnectionPool).contextFor(company);
    return { t, company, tenant, repository: t.app.get(BaileysAuthStateRepository) };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** Closes the app (when it started) and then `whatsapp`, even if closing the app failed. */
export async function stopBaileysApp(whatsapp: FakeWhatsApp, t: TestApp | undefined): Promise<void> {
  try {
    await t?.close();
  } finally {
    await whatsapp.close();
  }
}

/** `until` at a short interval and a 5 s default: the fake server answers at once. */
export const waitFor = (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) => until(condition, { what, timeoutMs, intervalMs: 20 });
