import type { TenancyConfig } from '../core/config/configuration';
import type { CompanyRecord } from './company';
import type { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';

const acme = { slug: 'acme', provider: 'baileys' } as CompanyRecord;

function serviceWith(list: () => Promise<CompanyRecord[]>) {
  const read = jest.fn(list);
  const update = jest.fn(async () => acme);
  const service = new CompaniesService({ list: read, update } as unknown as CompaniesRepository, { clusters: {} } as unknown as TenancyConfig);
  return { service, read };
}

describe('CompaniesService.listRecent', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the registry once per cache lifetime for background workers, and again once it has passed', async () => {
    jest.useFakeTimers({ now: 0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { service, read } = serviceWith(async () => [acme]);
    expect(await service.listRecent()).toEqual([acme]);
    await service.listRecent();
    expect(read).toHaveBeenCalledTimes(1);
    jest.setSystemTime(30_001);
    await service.listRecent();
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('reads again after a change made through this service, or one reported from outside (a migration)', async () => {
    const { service, read } = serviceWith(async () => [acme]);
    await service.listRecent();
    await service.update('acme', { displayName: 'Acme' });
    await service.listRecent();
    service.forgetRecent();
    await service.listRecent();
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const { service, read } = serviceWith(async () => {
      if (fail) throw new Error('control database down');
      return [acme];
    });
    await expect(service.listRecent()).rejects.toThrow('control database down');
    fail = false;
    expect(await service.listRecent()).toEqual([acme]);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
