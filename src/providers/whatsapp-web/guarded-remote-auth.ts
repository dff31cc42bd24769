import type { Logger } from '@nestjs/common';
import { RemoteAuth, type Store } from 'whatsapp-web.js';

/** RemoteAuth waits this long after the first link before its first backup, so the profile is complete. */
const FIRST_BACKUP_DELAY_MS = 60_000;

export interface GuardedRemoteAuthOptions {
  clientId: string;
  dataPath: string;
  store: Store;
  backupSyncIntervalMs: number;
  /** Aborted when the client is stopped: a start still under way gives up instead of launching a browser. */
  signal: AbortSignal;
  logger: Logger;
}

/** The parts of RemoteAuth that its typings leave out. */
interface RemoteAuthInternals {
  sessionName: string;
  storeRemoteSession(options?: { emit?: boolean }): Promise<void>;
}

/**
 * RemoteAuth with its lifecycle made safe for a long-running server:
 * - its first-backup delay and backup interval are cancelled by `destroy` (upstream schedules the interval
 *   after a 60 s sleep that destroy cannot cancel, leaking a timer per stopped session);
 * - a failed backup is logged, never an unhandled rejection;
 * - the stored session is deleted on logout only. Upstream also deletes it on every state-change
 *   disconnect (CONFLICT when the user opens WhatsApp Web elsewhere, TIMEOUT…), forcing a new QR for no reason;
 * - a start that was stopped during the session download does not go on to launch a browser.
 */
export class GuardedRemoteAuth extends RemoteAuth {
  private readonly signal: AbortSignal;
  private readonly logger: Logger;
  private readonly backupStore: Store;
  private readonly backupEveryMs: number;
  private firstBackupTimer?: NodeJS.Timeout;
  private wakeFirstBackup?: () => void;
  private backupTimer?: NodeJS.Timeout;
  private ended = false;

  constructor(options: GuardedRemoteAuthOptions) {
    super({ clientId: options.clientId, dataPath: options.dataPath, store: options.store, backupSyncIntervalMs: options.backupSyncIntervalMs });
    this.signal = options.signal;
    this.logger = options.logger;
    this.backupStore = options.store;
    this.backupEveryMs = options.backupSyncIntervalMs;
  }

  /** True once the session has a stored backup that periodic syncs keep fresh. */
  get syncing(): boolean {
    return this.backupTimer !== undefined;
  }

  override beforeBrowserInitialized = async (): Promise<void> => {
    this.signal.throwIfAborted();
    this.ended = false;
    await RemoteAuth.prototype.beforeBrowserInitialized.call(this);
    this.signal.throwIfAborted();
  };

  override afterBrowserInitialized = async (): Promise<void> => {
    this.signal.throwIfAborted();
  };

  /** True once the client was ready (linked): its profile is worth a final backup on stop. */
  linked = false;

  /**
   * `ready` fires again after every reconnect of the page: the periodic backup is (re)armed once, never stacked.
   * A freshly paired session is backed up at once (a deploy a minute later must not need a new QR), and again
   * once the profile is complete.
   */
  override afterAuthReady = async (): Promise<void> => {
    this.linked = true;
    clearInterval(this.backupTimer);
    this.backupTimer = undefined;
    try {
      if (!(await this.backupStore.sessionExists({ session: this.internals.sessionName }))) {
        await this.backupNow();
        await new Promise<void>((resolve) => {
          this.wakeFirstBackup = resolve;
          this.firstBackupTimer = setTimeout(resolve, FIRST_BACKUP_DELAY_MS);
        });
        if (this.ended) return;
        await this.internals.storeRemoteSession({ emit: true });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'whatsapp-web first session backup failed; the periodic backup will retry');
    }
    if (this.ended) return;
    clearInterval(this.backupTimer);
    this.backupTimer = setInterval(() => void this.backupNow(), this.backupEveryMs);
  };

  /** Stores the browser profile now; logs instead of throwing, since it runs from timers and shutdown. */
  async backupNow(): Promise<void> {
    try {
      await this.internals.storeRemoteSession();
    } catch (error) {
      this.logger.warn({ err: error }, 'whatsapp-web session backup failed');
    }
  }

  override disconnect = async (): Promise<void> => {
    this.end();
  };

  override logout = async (): Promise<void> => {
    this.end();
    await this.backupStore.delete({ session: this.internals.sessionName });
  };

  override destroy = async (): Promise<void> => {
    this.end();
  };

  private end(): void {
    this.ended = true;
    clearTimeout(this.firstBackupTimer);
    clearInterval(this.backupTimer);
    this.wakeFirstBackup?.();
    this.firstBackupTimer = this.backupTimer = this.wakeFirstBackup = undefined;
  }

  private get internals(): RemoteAuthInternals {
    return this as unknown as RemoteAuthInternals;
  }
}
