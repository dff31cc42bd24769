import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import type { TenancyConfig } from '../../core/config/configuration';
import { AppException } from '../../core/http/app.exception';
import type { CompaniesRepository } from '../companies.repository';
import { CompaniesService } from '../companies.service';
import type { CompanyRecord } from '../company';
import type { TenantConnectionPool } from '../tenant-connection-pool.service';
import type { TenantContext } from '../tenant-context';
import type { RouteCompanyRequest } from './route-company';
import { RouteCompanyInterceptor } from './route-company.interceptor';

const ACME: CompanyRecord = {
  slug: 'acme',
  displayName: 'Acme',
  provider: 'twilio',
  dbName: 'vv_acme',
  caps: {},
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

function httpContext(request: RouteCompanyRequest, type = 'http'): ExecutionContext {
  return { getType: () => type, switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

/** The real CompaniesService (its cache, its 404) over a registry that holds only acme. */
function setup() {
  const findBySlug = jest.fn(async (slug: string) => (slug === ACME.slug ? ACME : null));
  const companies = new CompaniesService({ findBySlug } as unknown as CompaniesRepository, {} as TenancyConfig);
  const contextFor = jest.fn((company: CompanyRecord): TenantContext => ({ company, run: async () => undefined as never }));
  const interceptor = new RouteCompanyInterceptor(companies, { contextFor } as unknown as TenantConnectionPool);
  const next: CallHandler & { handle: jest.Mock } = { handle: jest.fn(() => of('handled')) };
  return { interceptor, findBySlug, contextFor, next };
}

describe('RouteCompanyInterceptor', () => {
  it("resolves the route's company once and keeps it on the request; its tenant context is made on first use only", async () => {
    const { interceptor, findBySlug, contextFor, next } = setup();
    const request: RouteCompanyRequest = { params: { company: 'acme', session: 'desk' } };

    expect(await lastValueFrom(await interceptor.intercept(httpContext(request), next))).toBe('handled');

    expect(findBySlug).toHaveBeenCalledTimes(1);
    expect(request.routeCompany?.record).toBe(ACME);
    expect(contextFor).not.toHaveBeenCalled();
    const tenant = request.routeCompany!.tenant;
    expect(request.routeCompany!.tenant).toBe(tenant);
    expect(tenant.company).toBe(ACME);
    expect(contextFor).toHaveBeenCalledTimes(1);
  });

  it('looks up once when a handler takes the company twice (the interceptor runs once per decorator)', async () => {
    const { interceptor, findBySlug, next } = setup();
    const request: RouteCompanyRequest = { params: { company: 'acme' } };

    await interceptor.intercept(httpContext(request), next);
    const first = request.routeCompany;
    await interceptor.intercept(httpContext(request), next);

    expect(request.routeCompany).toBe(first);
    expect(findBySlug).toHaveBeenCalledTimes(1);
  });

  it('answers COMPANY_NOT_FOUND for a company that does not exist, without running the handler', async () => {
    const { interceptor, next } = setup();
    const request: RouteCompanyRequest = { params: { company: 'nope' } };

    const refusal = await interceptor.intercept(httpContext(request), next).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(AppException);
    expect(refusal).toMatchObject({ code: 'COMPANY_NOT_FOUND' });
    expect(next.handle).not.toHaveBeenCalled();
    expect(request.routeCompany).toBeUndefined();
  });

  it('looks nothing up for a route without :company, nor outside HTTP', async () => {
    const { interceptor, findBySlug, next } = setup();

    await interceptor.intercept(httpContext({ params: { session: 'desk' } }), next);
    await interceptor.intercept(httpContext({}), next);
    await interceptor.intercept(httpContext({ params: { company: 'acme' } }, 'ws'), next);

    expect(findBySlug).not.toHaveBeenCalled();
    expect(next.handle).toHaveBeenCalledTimes(3);
  });
});
