import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { toBoolean } from './values';

const ORIGIN_LIST = /^(https?:\/\/[\w.-]+(:\d+)?)(\s*,\s*https?:\/\/[\w.-]+(:\d+)?)*$/;

/** The HTTP edge: body limits, CORS, request logging. */
export class HttpVariables {
  /** Largest JSON or form body (413 PAYLOAD_TOO_LARGE beyond). */
  @IsInt()
  @Min(1_024)
  @Max(104_857_600)
  HTTP_BODY_LIMIT_BYTES: number = 1_048_576;

  /** Largest body of the routes that take bulk data (prospect import, the simulator's inbound). */
  @IsInt()
  @Min(1_024)
  @Max(1_073_741_824)
  HTTP_LARGE_BODY_LIMIT_BYTES: number = 16_777_216;

  /** Deepest nesting of a JSON body, checked before it is parsed (400 BODY_TOO_DEEP beyond). */
  @IsInt()
  @Min(2)
  @Max(1_000)
  HTTP_JSON_MAX_DEPTH: number = 32;

  /** Browser origins allowed to call the API, comma-separated (`https://app.example.com`); unset: none. */
  @IsOptional()
  @Matches(ORIGIN_LIST, { message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins' })
  CORS_ORIGINS?: string;

  /** One log line per request (not /health or /metrics); unset: on in development, off otherwise. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  LOG_REQUESTS?: boolean;
}
