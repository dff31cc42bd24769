import { Inject, Injectable } from '@nestjs/common';
import { sameSecret } from '../auth/api-key';
import { AuthException } from '../auth/auth.exception';
import { bearerToken, type HttpRequestLike } from '../auth/request-credentials';
import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import { metricsConfig, type MetricsConfig } from './metrics.config';

/**
 * /metrics on the HTTP port names every company, so: with METRICS_TOKEN set it needs `Authorization: Bearer
 * <METRICS_TOKEN>`; without it, it is not served in production (404) and open in development and test.
 * METRICS_PORT, when set, serves the same page without credentials on its own port (a private network).
 */
@Injectable()
export class MetricsAccess {
  constructor(@Inject(metricsConfig.KEY) private readonly config: MetricsConfig) {}

  assertAllowed(request: HttpRequestLike): void {
    if (this.config.token !== undefined) {
      const token = bearerToken(request);
      if (token === undefined || !sameSecret(token, this.config.token)) throw AuthException.bearerRequired();
      return;
    }
    if (this.config.production) {
      throw new AppException(ErrorCode.NOT_FOUND, 'metrics are served with METRICS_TOKEN or on METRICS_PORT');
    }
  }
}
