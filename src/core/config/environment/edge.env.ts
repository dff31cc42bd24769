import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { isTrustProxy } from '../../http/trust-proxy';

/** The HTTP edge: which proxies are trusted for the client address, and the credentials of probes and metrics. */
export class EdgeVariables {
  /** false | true | hop count | comma-separated proxy addresses/CIDRs (behind Render: 1). */
  @ValidateBy({
    name: 'isTrustProxy',
    validator: { validate: isTrustProxy, defaultMessage: () => 'TRUST_PROXY must be false, true, a hop count or a comma-separated list of addresses/CIDRs' },
  })
  TRUST_PROXY: string = 'false';

  /** `Authorization: Bearer <PROBE_TOKEN>` shows readiness' per-company detail, as the admin key does. */
  @IsOptional()
  @IsString()
  @MinLength(24)
  @MaxLength(256)
  PROBE_TOKEN?: string;

  /** `Authorization: Bearer <METRICS_TOKEN>` is required by /metrics on the HTTP port when set. */
  @IsOptional()
  @IsString()
  @MinLength(24)
  @MaxLength(256)
  METRICS_TOKEN?: string;

  /** A second HTTP server serving only /metrics, without credentials, for a private network. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;
}
