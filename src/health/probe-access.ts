import { Inject, Injectable } from '@nestjs/common';
import { sameSecret } from '../auth/api-key';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { bearerToken, headerValue, type HttpRequestLike } from '../auth/request-credentials';
import { probesConfig, type ProbesConfig } from './probes.config';

/**
 * Who may see readiness' per-company detail: the admin key (X-API-Key) or `Authorization: Bearer <PROBE_TOKEN>`.
 * Anything else (no credentials, a company key, a wrong or throttled one) sees the summary without names: the
 * answer's status code never depends on credentials, so a misconfigured probe cannot fail an instance.
 */
@Injectable()
export class ProbeAccess {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(probesConfig.KEY) private readonly config: ProbesConfig,
  ) {}

  async seesDetail(request: HttpRequestLike): Promise<boolean> {
    const token = bearerToken(request);
    if (token !== undefined && this.config.probeToken !== undefined && sameSecret(token, this.config.probeToken)) return true;
    const key = headerValue(request, 'x-api-key');
    if (key === undefined) return false;
    const principal = await this.authenticator.authenticate(key, request.ip ?? 'unknown').catch(() => null);
    return principal?.kind === 'admin';
  }
}
