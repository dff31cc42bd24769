import { Inject, Injectable } from '@nestjs/common';
import { settleWithin } from '../core/async/settle-within';
import { OutboundService } from '../messaging/outbound.service';
import { effectiveState, SessionsRepository } from '../sessions/sessions.repository';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import { statsConfig, type StatsConfig } from './stats.config';

export interface StatusCounts {
  total: number;
  byStatus: Record<string, number>;
}

export interface SessionCounts extends StatusCounts {
  byProvider: Record<string, StatusCounts>;
}

export interface StoredFigures {
  /** Every process's sessions of the company, by effective status and by provider; null when unreadable. */
  sessions: SessionCounts | null;
  /** Outbound messages not settled yet; null when the company's database cannot be read. */
  outbox: number | null;
  /** When these were read (ISO-8601). */
  readAt: string;
}

/** A database that does not answer in time leaves the figure null rather than holding the request. */
const READ_TIMEOUT_MS = 3_000;

/** Adds `from` into `into` (totals over companies). */
export function addCounts(into: SessionCounts, from: SessionCounts): void {
  const add = (target: StatusCounts, source: StatusCounts) => {
    target.total += source.total;
    for (const [status, n] of Object.entries(source.byStatus)) target.byStatus[status] = (target.byStatus[status] ?? 0) + n;
  };
  add(into, from);
  for (const [provider, counts] of Object.entries(from.byProvider)) add((into.byProvider[provider] ??= { total: 0, byStatus: {} }), counts);
}

/**
 * Figures that cost database work, read per company at most once per STATS_CACHE_MS however many callers
 * ask (API requests, the sampler), with index-served queries only: the session listing by company and an
 * outbox count on `status`. A company's own cluster is read only while connected (see `runIfConnected`).
 */
@Injectable()
export class CompanyFigures {
  private readonly cache = new Map<string, { at: number; figures: Promise<StoredFigures> }>();
  private readonly latest = new Map<string, StoredFigures>();

  constructor(
    private readonly companies: CompaniesService,
    private readonly sessions: SessionsRepository,
    private readonly outbound: OutboundService,
    @Inject(statsConfig.KEY) private readonly config: StatsConfig,
  ) {}

  /** The company registry (one small control query); figures of companies gone from it are dropped. */
  async listCompanies(): Promise<CompanyRecord[]> {
    const companies = await this.companies.list();
    this.retain(new Set(companies.map((company) => company.slug)));
    return companies;
  }

  /** The company's figures, read again when older than `maxAgeMs` (STATS_CACHE_MS unless a caller needs them less fresh). */
  read(company: CompanyRecord, maxAgeMs = this.config.cacheMs, now = Date.now()): Promise<StoredFigures> {
    const cached = this.cache.get(company.slug);
    if (cached && now - cached.at < Math.max(maxAgeMs, 1)) return cached.figures;
    const figures = this.load(company).then((read) => {
      if (this.cache.has(company.slug)) this.latest.set(company.slug, read);
      return read;
    });
    this.cache.set(company.slug, { at: now, figures });
    return figures;
  }

  /** The last figures read, without reading again (Prometheus scrapes never wait on a database). */
  lastRead(): ReadonlyMap<string, StoredFigures> {
    return this.latest;
  }

  private retain(slugs: ReadonlySet<string>): void {
    for (const slug of this.cache.keys()) {
      if (slugs.has(slug)) continue;
      this.cache.delete(slug);
      this.latest.delete(slug);
    }
  }

  private async load(company: CompanyRecord): Promise<StoredFigures> {
    const [sessions, outbox] = await Promise.all([within(this.countSessions(company)), within(this.outbound.queueDepth(company))]);
    return { sessions, outbox, readAt: new Date().toISOString() };
  }

  private async countSessions(company: CompanyRecord): Promise<SessionCounts> {
    const counts: SessionCounts = { total: 0, byStatus: {}, byProvider: {} };
    const now = new Date();
    for (const record of await this.sessions.listByCompany(company.slug)) {
      const { status } = effectiveState(record, now);
      const provider = (counts.byProvider[record.provider] ??= { total: 0, byStatus: {} });
      for (const tally of [counts, provider]) {
        tally.total++;
        tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
      }
    }
    return counts;
  }
}

async function within<T>(promise: Promise<T>): Promise<T | null> {
  let value: T | null = null;
  const settled = await settleWithin(
    promise.then((result) => (value = result)),
    READ_TIMEOUT_MS,
  );
  return settled ? value : null;
}
