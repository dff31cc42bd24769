import { createParamDecorator, UseInterceptors, type ExecutionContext, type ParamDecoratorEnhancer } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { CompanyRecord } from '../company';
import type { TenantContext } from '../tenant-context';
import type { RouteCompany, RouteCompanyRequest } from './route-company';
import { RouteCompanyInterceptor } from './route-company.interceptor';

/**
 * The handler no longer takes `@Param('company')`: the path parameter is documented as that would have, and the
 * route gets the interceptor that resolves it. Only these routes: an interceptor wraps the handler in an RxJS
 * pipeline, which a route without a company (liveness, above all) should not pay for.
 */
const resolvesCompanyParameter: ParamDecoratorEnhancer = (target, key) => {
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
  ApiParam({ name: 'company', type: String })(target, key, descriptor);
  UseInterceptors(RouteCompanyInterceptor)(target, key, descriptor);
};

function routeCompanyOf(context: ExecutionContext): RouteCompany {
  const resolved = context.switchToHttp().getRequest<RouteCompanyRequest>().routeCompany;
  if (!resolved) throw new Error('route has no resolved company: no :company in its path, or RouteCompanyInterceptor is not installed');
  return resolved;
}

/** The company the route's `:company` names, resolved at the edge (RouteCompanyInterceptor). */
export const CurrentCompany = createParamDecorator(
  (_: unknown, context: ExecutionContext): CompanyRecord => routeCompanyOf(context).record,
  [resolvesCompanyParameter],
);

/** The database context of the company the route's `:company` names (its record is `tenant.company`). */
export const Tenant = createParamDecorator(
  (_: unknown, context: ExecutionContext): TenantContext => routeCompanyOf(context).tenant,
  [resolvesCompanyParameter],
);
