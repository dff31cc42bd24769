import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Interval } from '@nestjs/schedule';
import type { Connection } from 'mongoose';
import { databaseConfig, tenancyConfig, type DatabaseConfig, type TenancyConfig } from '../core/config/configuration';
import { CommandMonitor } from '../core/database/command-monitor';
import type { CompanyRecord } from './company';
import { DedicatedConnection, DedicatedConnectionBackoffError } from './dedicated-connection';
import { TenancyException } from './tenancy.exception';
import type { TenantContext, TenantOperation } from './tenant-context';
import { GateRejectedError, TenantOperationGate, type GateStats } from './tenant-operation-gate';

export interface TenantPoolStats extends GateStats {
  company: string;
  dedicated: boolean;
  saturation: number;
}

/**
 * Hands out per-company database contexts. Companies on the shared cluster share one driver pool
 * (a database each, via useDb); a company with its own cluster gets its own capped connection,
 * closed when idle. Every operation passes the company's gate, so one tenant cannot starve the others.
 */
@Injectable()
export class TenantConnectionPool implements OnApplicationShutdown {
  private readonly logger = new Logger(TenantConnectionPool.name);
  private readonly gates = new Map<string, TenantOperationGate>();
  private readonly dedicated = new Map<string, DedicatedConnection>();
  private readonly warnedClusters = new Set<string>();

  constructor(
    @InjectConnection() private readonly shared: Connection,
    @Inject(tenancyConfig.KEY) private readonly config: TenancyConfig,
    @Inject(databaseConfig.KEY) private readonly database: DatabaseConfig,
    private readonly monitor: CommandMonitor,
  ) {}

  contextFor(company: CompanyRecord): TenantContext {
    const gate = this.gateFor(company);
    return {
      company,
      run: <T>(operation: TenantOperation<T>) => this.runGated(company, gate, operation),
    };
  }

  /** Runs an operation without the gate: for health probes, which must answer even when a tenant is saturated. */
  runUngated<T>(company: CompanyRecord, operation: TenantOperation<T>): Promise<T> {
    return this.withConnection(company, operation);
  }

  /**
   * For monitoring: runs outside the gate, and on a company's own cluster only while this process has it open
   * (undefined otherwise), without counting as use, so reading figures never opens a connection or keeps one alive.
   */
  async runIfConnected<T>(company: CompanyRecord, operation: TenantOperation<T>): Promise<T | undefined> {
    if (this.dedicatedUri(company) === undefined) return this.withConnection(company, operation);
    return this.dedicated.get(company.slug)?.peek(operation);
  }

  stats(company: CompanyRecord): TenantPoolStats {
    const gate = this.gateFor(company);
    return {
      company: company.slug,
      dedicated: this.dedicatedUri(company) !== undefined,
      saturation: gate.saturation(),
      ...gate.stats(),
    };
  }

  /** Gate figures of every company that has run an operation in this process. */
  gateSnapshot(): Array<GateStats & { company: string }> {
    return [...this.gates].map(([company, gate]) => ({ company, ...gate.stats() }));
  }

  /** Companies whose own cluster has a connection open in this process. */
  dedicatedOpen(): number {
    return this.dedicated.size;
  }

  @Interval('tenant-idle-sweep', 30_000)
  async closeIdleConnections(now = Date.now()): Promise<number> {
    const cutoff = now - this.config.dedicatedIdleCloseMs;
    let closed = 0;
    for (const [slug, connection] of this.dedicated) {
      if (!connection.isIdleSince(cutoff)) continue;
      this.dedicated.delete(slug);
      await connection.close();
      closed++;
      this.logger.log({ company: slug }, 'closed idle dedicated connection');
    }
    return closed;
  }

  async onApplicationShutdown(): Promise<void> {
    const connections = [...this.dedicated.values()];
    this.dedicated.clear();
    await Promise.allSettled(connections.map((connection) => connection.close()));
  }

  private async runGated<T>(company: CompanyRecord, gate: TenantOperationGate, operation: TenantOperation<T>): Promise<T> {
    try {
      return await gate.run(() => this.withConnection(company, operation));
    } catch (error) {
      if (error instanceof GateRejectedError) {
        throw TenancyException.busy(company.slug, Math.ceil(gate.limits.waitTimeoutMs / 1000));
      }
      throw error;
    }
  }

  private async withConnection<T>(company: CompanyRecord, operation: TenantOperation<T>): Promise<T> {
    const uri = this.dedicatedUri(company);
    try {
      if (uri === undefined) return await operation(this.shared.useDb(company.dbName, { useCache: true }));
      return await this.dedicatedFor(company, uri).use(operation);
    } catch (error) {
      if (error instanceof DedicatedConnectionBackoffError) {
        throw TenancyException.unavailable(company.slug, error.retryInMs / 1000);
      }
      if (isConnectionFailure(error)) throw TenancyException.unavailable(company.slug, 1, error);
      throw error;
    }
  }

  private dedicatedFor(company: CompanyRecord, uri: string): DedicatedConnection {
    let connection = this.dedicated.get(company.slug);
    if (!connection) {
      const { pool } = this.database;
      const options = {
        dbName: company.dbName,
        maxPoolSize: company.caps.maxPoolSize ?? this.config.dedicatedMaxPoolSize,
        minPoolSize: 0,
        maxIdleTimeMS: pool.maxIdleTimeMS,
        heartbeatFrequencyMS: pool.heartbeatFrequencyMS,
        serverSelectionTimeoutMS: pool.serverSelectionTimeoutMS,
        socketTimeoutMS: pool.socketTimeoutMS,
        connectTimeoutMS: pool.connectTimeoutMS,
        autoIndex: false,
        autoCreate: false,
        bufferCommands: false,
        monitorCommands: this.database.monitorCommands,
      };
      connection = new DedicatedConnection(uri, options, undefined, (opened) => this.monitor.watch(opened));
      this.dedicated.set(company.slug, connection);
    }
    return connection;
  }

  private dedicatedUri(company: CompanyRecord): string | undefined {
    if (!company.cluster) return undefined;
    const uri = this.config.clusters[company.cluster];
    if (uri === undefined && !this.warnedClusters.has(company.cluster)) {
      this.warnedClusters.add(company.cluster);
      this.logger.warn({ company: company.slug, cluster: company.cluster }, 'cluster not configured; using the shared cluster');
    }
    return uri;
  }

  private gateFor(company: CompanyRecord): TenantOperationGate {
    const limits = {
      maxConcurrent: company.caps.maxConcurrentOps ?? this.config.maxConcurrentOps,
      queueSize: company.caps.opQueueSize ?? this.config.opQueueSize,
      waitTimeoutMs: company.caps.opWaitTimeoutMs ?? this.config.opWaitTimeoutMs,
    };
    let gate = this.gates.get(company.slug);
    if (!gate || !sameLimits(gate.limits, limits)) {
      gate = new TenantOperationGate(limits);
      this.gates.set(company.slug, gate);
    }
    return gate;
  }
}

function sameLimits(a: TenantOperationGate['limits'], b: TenantOperationGate['limits']): boolean {
  return a.maxConcurrent === b.maxConcurrent && a.queueSize === b.queueSize && a.waitTimeoutMs === b.waitTimeoutMs;
}

function isConnectionFailure(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  return /MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongooseServerSelectionError/.test(name);
}
