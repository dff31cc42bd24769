import mongoose, { type Connection, type ConnectOptions } from 'mongoose';

/**
 * One company's own cluster connection. Opening is single-flight and, after a failed open, refused
 * until an exponential backoff elapses, so an unreachable cluster never causes a reconnect storm.
 * Once open, the driver handles reconnection by itself.
 */
export class DedicatedConnection {
  private connection?: Connection;
  private opening?: Promise<Connection>;
  private failures = 0;
  private retryAt = 0;
  private inFlight = 0;
  private lastUsedAt = Date.now();

  constructor(
    private readonly uri: string,
    private readonly options: ConnectOptions,
    private readonly maxBackoffMs = 60_000,
    private readonly onOpen: (connection: Connection) => void = () => undefined,
  ) {}

  /** Milliseconds until another open may be tried; 0 when it may be tried now. */
  backoffRemainingMs(now = Date.now()): number {
    return Math.max(0, this.retryAt - now);
  }

  isOpen(): boolean {
    return this.connection !== undefined;
  }

  async use<T>(operation: (connection: Connection) => Promise<T>): Promise<T> {
    this.inFlight++;
    this.lastUsedAt = Date.now();
    try {
      return await operation(await this.open());
    } finally {
      this.inFlight--;
      this.lastUsedAt = Date.now();
    }
  }

  /** Runs on the connection only if it is open, without counting as use: monitoring never opens it nor keeps it from closing when idle. */
  async peek<T>(operation: (connection: Connection) => Promise<T>): Promise<T | undefined> {
    if (!this.connection) return undefined;
    this.inFlight++;
    try {
      return await operation(this.connection);
    } finally {
      this.inFlight--;
    }
  }

  isIdleSince(cutoff: number): boolean {
    return this.inFlight === 0 && this.lastUsedAt < cutoff && this.opening === undefined;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  private open(): Promise<Connection> {
    if (this.connection) return Promise.resolve(this.connection);
    if (this.opening) return this.opening;
    const wait = this.backoffRemainingMs();
    if (wait > 0) return Promise.reject(new DedicatedConnectionBackoffError(wait));
    this.opening = this.connect().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async connect(): Promise<Connection> {
    const connection = mongoose.createConnection(this.uri, this.options);
    try {
      await connection.asPromise();
      this.onOpen(connection);
      this.failures = 0;
      this.connection = connection;
      return connection;
    } catch (error) {
      await connection.close().catch(() => undefined);
      this.failures++;
      const backoff = Math.min(this.maxBackoffMs, 1_000 * 2 ** (this.failures - 1));
      this.retryAt = Date.now() + backoff * (0.5 + Math.random() / 2);
      throw error;
    }
  }
}

export class DedicatedConnectionBackoffError extends Error {
  constructor(readonly retryInMs: number) {
    super(`cluster unreachable; next attempt in ${Math.ceil(retryInMs / 1000)} s`);
  }
}
