import { RouteConfig } from '@nestjs/platform-fastify';

/** What a route takes as a body beyond the default (JSON up to HTTP_BODY_LIMIT_BYTES). */
export interface BodyPolicy {
  /** Media types it takes instead of `application/json`; anything else answers 415 before the body is read. */
  types?: readonly string[];
  /** Bulk data (imports, the simulator's media): up to HTTP_LARGE_BODY_LIMIT_BYTES. */
  bulk?: boolean;
}

export const BODY_POLICY = 'bodyPolicy';
export const JSON_ONLY: readonly string[] = ['application/json'];

/** Declares a route's body policy (Fastify route config, read by the content-type check and the body limits). */
export const AcceptsBody = (policy: BodyPolicy): MethodDecorator => RouteConfig({ [BODY_POLICY]: policy });

export function bodyPolicyOf(config: unknown): BodyPolicy | undefined {
  return typeof config === 'object' && config !== null ? (config as Record<string, BodyPolicy | undefined>)[BODY_POLICY] : undefined;
}
