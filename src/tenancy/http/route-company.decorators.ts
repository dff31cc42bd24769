import { createParamDecorator, type ExecutionContext, type ParamDecoratorEnhancer } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { CompanyRecord } from '../company';
import type { TenantContext } from '../tenant-context';
import type { RouteCompany, RouteCompanyRequest } from './route-company';

/** The handler no longer takes `@Param('company')`: the path parameter is documented as that would have. */
const documentsCompanyParameter: ParamDecoratorEnhancer = (target, key) => {
  if (key === undefined) return;
  ApiParam({ name: 'company', type: String })(target, key, Object.getOwnPropertyDescriptor(target, key)!);
};

function routeCompanyOf(context: ExecutionContext): RouteCompany {
  const resolved = context.switchToHttp().getRequest<RouteCompanyRequest>().routeCompany;
  if (!resolved) throw new Error('route has no resolved company: no :company in its path, or RouteCompanyInterceptor is not installed');
  return resolved;
}

/** The company the route's `:company` names, resolved at the edge (RouteCompanyInterceptor). */
export const CurrentCompany = createParamDecorator(
  (_: unknown, context: ExecutionContext): CompanyRecord => routeCompanyOf(context).record,
  [documentsCompanyParameter],
);

/** The database context of the company the route's `:company` names (its record is `tenant.company`). */
export const Tenant = createParamDecorator(
  (_: unknown, context: ExecutionContext): TenantContext => routeCompanyOf(context).tenant,
  [documentsCompanyParameter],
);
