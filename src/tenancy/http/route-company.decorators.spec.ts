import type { ExecutionContext } from '@nestjs/common';
import { INTERCEPTORS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DECORATORS } from '@nestjs/swagger';
import type { CompanyRecord } from '../company';
import type { TenantContext } from '../tenant-context';
import { RouteCompany, type RouteCompanyRequest } from './route-company';
import { CurrentCompany, Tenant } from './route-company.decorators';
import { RouteCompanyInterceptor } from './route-company.interceptor';

const ACME = { slug: 'acme' } as CompanyRecord;

class Probe {
  byRecord(@CurrentCompany() company: CompanyRecord): CompanyRecord {
    return company;
  }

  byTenant(@Tenant() tenant: TenantContext): TenantContext {
    return tenant;
  }

  noCompany(): string {
    return 'ok';
  }
}

type Factory = (data: unknown, context: ExecutionContext) => unknown;

/** What Nest passes to the handler's first argument for this request. */
function argumentOf(method: keyof Probe, request: RouteCompanyRequest): unknown {
  const [{ factory }] = Object.values(Reflect.getMetadata(ROUTE_ARGS_METADATA, Probe, method) as Record<string, { factory: Factory }>);
  return factory(undefined, { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext);
}

describe('@CurrentCompany() and @Tenant()', () => {
  it('hand the handler what the interceptor resolved for this request', () => {
    const tenant = { company: ACME } as TenantContext;
    const request: RouteCompanyRequest = { routeCompany: new RouteCompany(ACME, () => tenant) };

    expect(argumentOf('byRecord', request)).toBe(ACME);
    expect(argumentOf('byTenant', request)).toBe(tenant);
  });

  it('fail loudly on a route whose company was never resolved', () => {
    expect(() => argumentOf('byRecord', {})).toThrow(/no resolved company/);
  });

  it('document the `company` path parameter, which the handler no longer reads with @Param', () => {
    for (const method of [Probe.prototype.byRecord, Probe.prototype.byTenant]) {
      expect(Reflect.getMetadata(DECORATORS.API_PARAMETERS, method)).toEqual([
        expect.objectContaining({ name: 'company', in: 'path', required: true, type: String }),
      ]);
    }
  });

  it('put the resolving interceptor on their routes only: a route without a company runs without it', () => {
    for (const method of [Probe.prototype.byRecord, Probe.prototype.byTenant]) {
      expect(Reflect.getMetadata(INTERCEPTORS_METADATA, method)).toEqual([RouteCompanyInterceptor]);
    }
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, Probe.prototype.noCompany)).toBeUndefined();
  });
});
