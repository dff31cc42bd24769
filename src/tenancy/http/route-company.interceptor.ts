import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { CompaniesService } from '../companies.service';
import { TenantConnectionPool } from '../tenant-connection-pool.service';
import { RouteCompany, type RouteCompanyRequest } from './route-company';

/**
 * Resolves the company a route names (`:company`) once per request, for `@CurrentCompany()` and `@Tenant()`.
 * Interceptors run after every guard: a company key naming another company is refused (403) before anything is
 * looked up, so whether a company exists never shows to other tenants, and a webhook's signature is checked first.
 * A company that does not exist answers 404 COMPANY_NOT_FOUND (to the admin, or to a route that takes no key).
 */
@Injectable()
export class RouteCompanyInterceptor implements NestInterceptor {
  constructor(
    private readonly companies: CompaniesService,
    private readonly pool: TenantConnectionPool,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<RouteCompanyRequest>();
      const slug = request.params?.company;
      // A handler taking both @CurrentCompany() and @Tenant() has this interceptor twice: one lookup all the same.
      if (slug !== undefined && request.routeCompany === undefined)
        request.routeCompany = new RouteCompany(await this.companies.get(slug), (record) => this.pool.contextFor(record));
    }
    return next.handle();
  }
}
