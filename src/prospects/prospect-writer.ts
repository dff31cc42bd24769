import { LRUCache } from 'lru-cache';
import { Types, type mongo } from 'mongoose';
import type { Outcome } from '../core/batching/batch-queue';
import type { TenantContext } from '../tenancy/tenant-context';
import { mergeUpserts, PROSPECT_TABLE, type MergedUpsert, type ProspectUpsert, type UpsertResult } from './prospect';
import { ProspectsRepository } from './prospects.repository';

const DUPLICATE_KEY = 11000;

export interface ProspectWriterOptions {
  retries: number;
  idCacheSize: number;
}

/**
 * Turns one batch of upserts into as few statements as possible: one unordered bulkWrite in which
 * numbers with a cached record id are updates by `_id` (still upserts, so a concurrently deleted
 * record is recreated) and all others are inserts. The compound unique index turns an insert of a
 * number that already exists into a duplicate-key error for that item alone: such items are
 * looked up (one query for all of them) and written again as updates. New numbers thus cost one
 * statement, known ones one, and only the first sighting of an existing uncached number costs three.
 */
export class ProspectWriter {
  private readonly ids: LRUCache<string, string>;

  constructor(
    private readonly repository: ProspectsRepository,
    private readonly options: ProspectWriterOptions,
  ) {
    this.ids = new LRUCache({ max: Math.max(1, options.idCacheSize) });
  }

  async write(tenant: TenantContext, upserts: ProspectUpsert[]): Promise<Outcome<UpsertResult>[]> {
    const outcomes: Outcome<UpsertResult>[] = new Array(upserts.length);
    let pending = mergeUpserts(upserts);
    const exists = new Set<string>();
    for (let attempt = 0; pending.length > 0; attempt++) {
      const retry = await this.attempt(tenant, pending, exists, (merged, outcome) => settle(outcomes, merged, outcome));
      if (attempt >= this.options.retries) {
        for (const merged of retry) settle(outcomes, merged, { ok: false, error: new Error('duplicate key persisted after retries') });
        break;
      }
      pending = retry;
    }
    return outcomes;
  }

  /** Writes the batch once; answers the items that hit an existing record and must be written again. */
  private async attempt(
    tenant: TenantContext,
    batch: MergedUpsert[],
    exists: Set<string>,
    done: (merged: MergedUpsert, outcome: Outcome<UpsertResult>) => void,
  ): Promise<MergedUpsert[]> {
    const company = tenant.company.slug;
    const lookup = batch.filter((merged) => exists.has(merged.number) && !this.ids.has(cacheKey(company, merged.number)));
    if (lookup.length > 0) {
      const found = await this.repository.findIdsByNumbers(
        tenant,
        lookup.map((merged) => merged.number),
      );
      for (const [number, id] of found) this.ids.set(cacheKey(company, number), id);
    }
    const now = new Date();
    const plans = batch.map((merged) => {
      const id = this.ids.get(cacheKey(company, merged.number));
      return id ? { merged, id, created: false, op: updateOp(company, merged, id, now) } : newPlan(company, merged, now);
    });
    // Inserts and updates go as two commands (as the driver would send them anyway), so a server that
    // fails a whole update command (FerretDB) cannot take the already written inserts down with it.
    const retry: MergedUpsert[] = [];
    for (const group of [plans.filter((plan) => plan.created), plans.filter((plan) => !plan.created)]) {
      if (group.length === 0) continue;
      const report = await this.repository.bulkWrite(
        tenant,
        group.map((plan) => plan.op),
      );
      const failures = new Map(report.failures.map((failure) => [failure.index, failure]));
      group.forEach((plan, index) => {
        const failure = failures.get(index);
        if (report.unattributed) {
          done(plan.merged, { ok: false, error: report.unattributed });
        } else if (!failure) {
          if (plan.created) this.ids.set(cacheKey(company, plan.merged.number), plan.id);
          done(plan.merged, { ok: true, value: plan.created ? 'created' : 'updated' });
        } else if (failure.code === DUPLICATE_KEY) {
          this.ids.delete(cacheKey(company, plan.merged.number));
          exists.add(plan.merged.number);
          retry.push(plan.merged);
        } else {
          done(plan.merged, { ok: false, error: new Error(failure.message) });
        }
      });
    }
    return retry;
  }
}

function cacheKey(company: string, number: string): string {
  return `${company}\u0000${number}`;
}

/** The first caller of a merged number gets the write's result; later repeats in the batch saw it exist. */
function settle(outcomes: Outcome<UpsertResult>[], merged: MergedUpsert, outcome: Outcome<UpsertResult>): void {
  merged.indexes.forEach((index, position) => {
    outcomes[index] = position > 0 && outcome.ok ? { ok: true, value: 'updated' } : outcome;
  });
}

function newPlan(company: string, merged: MergedUpsert, now: Date) {
  const id = new Types.ObjectId();
  const op: mongo.AnyBulkWriteOperation = {
    insertOne: {
      document: {
        _id: id,
        tableSlug: PROSPECT_TABLE,
        c_name: company,
        data: { ...merged.setOnInsert, ...merged.set, ...merged.inc, ...merged.max, number: merged.number },
        createdAt: now,
        updatedAt: now,
      },
    },
  };
  return { merged, id: id.toHexString(), created: true, op };
}

function updateOp(company: string, merged: MergedUpsert, id: string, now: Date): mongo.AnyBulkWriteOperation {
  const $set: Record<string, unknown> = { updatedAt: now };
  for (const [field, value] of Object.entries(merged.set)) $set[`data.${field}`] = value;
  const $setOnInsert: Record<string, unknown> = { tableSlug: PROSPECT_TABLE, c_name: company, 'data.number': merged.number, createdAt: now };
  for (const [field, value] of Object.entries(merged.setOnInsert)) {
    if (!(field in merged.set) && !(field in merged.inc) && !(field in merged.max)) $setOnInsert[`data.${field}`] = value;
  }
  const update: Record<string, unknown> = { $set, $setOnInsert };
  if (Object.keys(merged.inc).length > 0) {
    update.$inc = Object.fromEntries(Object.entries(merged.inc).map(([field, by]) => [`data.${field}`, by]));
  }
  if (Object.keys(merged.max).length > 0) {
    update.$max = Object.fromEntries(Object.entries(merged.max).map(([field, at]) => [`data.${field}`, at]));
  }
  return { updateOne: { filter: { _id: new Types.ObjectId(id) }, update, upsert: true } };
}
