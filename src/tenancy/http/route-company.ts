import type { CompanyRecord } from '../company';
import type { TenantContext } from '../tenant-context';

/** The company a request's path names (`:company`), looked up once per request by RouteCompanyInterceptor. */
export class RouteCompany {
  private context?: TenantContext;

  constructor(
    readonly record: CompanyRecord,
    private readonly contextFor: (record: CompanyRecord) => TenantContext,
  ) {}

  /** Its database context, made on first use: a route that never touches the company's database leaves its gate alone. */
  get tenant(): TenantContext {
    this.context ??= this.contextFor(this.record);
    return this.context;
  }
}

/** What the interceptor reads from a request and adds to it, under every HTTP adapter. */
export interface RouteCompanyRequest {
  params?: Record<string, string>;
  routeCompany?: RouteCompany;
}
