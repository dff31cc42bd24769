import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../core/config/environment.schema';

export const mediaConfig = registerAs('media', () => {
  const e = validateEnvironment(process.env);
  return {
    maxBytes: e.MEDIA_MAX_BYTES,
    quotaBytes: e.MEDIA_QUOTA_BYTES,
    concurrency: e.MEDIA_DOWNLOAD_CONCURRENCY,
    attempts: e.MEDIA_DOWNLOAD_ATTEMPTS,
    retryBaseMs: e.MEDIA_RETRY_BASE_MS,
    timeoutMs: e.MEDIA_DOWNLOAD_TIMEOUT_MS,
    sweepIntervalMs: e.MEDIA_SWEEP_INTERVAL_MS,
    segmentBytes: e.MEDIA_SEGMENT_MB * 1024 * 1024,
    allowPrivate: e.MEDIA_ALLOW_PRIVATE,
    baileysOrigin: e.BAILEYS_MEDIA_ORIGIN,
  };
});

export type MediaConfig = ConfigType<typeof mediaConfig>;
