/** The legacy `records` collection holds prospects under this table slug. */
export const PROSPECT_TABLE = 'prospectos';

/** One change to one prospect, keyed by its E.164 number; fields are paths inside `data`. */
export interface ProspectUpsert {
  number: string;
  /** Fields that take the latest value. */
  set?: Record<string, unknown>;
  /** Fields written only when the prospect is created (e.g. `firstSource`). */
  setOnInsert?: Record<string, unknown>;
  /** Counters added to. */
  inc?: Record<string, number>;
  /** Fields that only ever move forward (e.g. `lastMessageAt`), so a replayed older update changes nothing. */
  max?: Record<string, Date>;
}

export type UpsertResult = 'created' | 'updated';

export interface ProspectView {
  id: string;
  number: string;
  name?: string;
  stage?: string;
  tags?: string[];
  notes?: string;
  data: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** Folds repeats of one number within a batch into a single write; `indexes` are the callers it answers. */
export interface MergedUpsert extends Required<ProspectUpsert> {
  indexes: number[];
}

export function mergeUpserts(upserts: ProspectUpsert[]): MergedUpsert[] {
  const byNumber = new Map<string, MergedUpsert>();
  upserts.forEach((upsert, index) => {
    const merged = byNumber.get(upsert.number);
    if (!merged) {
      byNumber.set(upsert.number, {
        number: upsert.number,
        set: { ...upsert.set },
        setOnInsert: { ...upsert.setOnInsert },
        inc: { ...upsert.inc },
        max: { ...upsert.max },
        indexes: [index],
      });
      return;
    }
    merged.indexes.push(index);
    Object.assign(merged.set, upsert.set);
    merged.setOnInsert = { ...upsert.setOnInsert, ...merged.setOnInsert };
    for (const [field, by] of Object.entries(upsert.inc ?? {})) merged.inc[field] = (merged.inc[field] ?? 0) + by;
    for (const [field, at] of Object.entries(upsert.max ?? {})) {
      const current = merged.max[field];
      if (current === undefined || current < at) merged.max[field] = at;
    }
  });
  return [...byNumber.values()];
}
