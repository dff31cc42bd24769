import type { INestApplication, LoggerService } from '@nestjs/common';
import { Draining } from './draining';

/**
 * SIGTERM/SIGINT: readiness turns 503 and intake stops at once, then the application closes (the outbound
 * worker stops, owned sessions suspend with a final auth-state save and release their leases, the embedded
 * database stops) and the process exits. Past `timeoutMs` it exits anyway, below the platform's grace period.
 */
export function installGracefulShutdown(app: INestApplication, timeoutMs: number, logger: LoggerService): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log?.({ signal, timeoutMs }, 'shutting down');
    app.get(Draining).begin();
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown exceeded its bound; exiting now');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
