import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
} from '@whiskeysockets/baileys';
import { LRUCache } from 'lru-cache';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { SessionFence } from '../session-fence';
import { BaileysAuthStateRepository, type AuthEntry } from './baileys-auth-state.repository';

export interface MongoAuthState {
  state: AuthenticationState;
  saveCreds(): Promise<void>;
  /** Resolves once every write issued so far has settled (before a restart or a final stop). */
  flush(): Promise<void>;
  /** Deletes every document of the session (logout); later writes of this instance are dropped. */
  clear(): Promise<void>;
}

export interface MongoAuthStateOptions {
  repository?: BaileysAuthStateRepository;
  /** Most keys kept in memory per session. */
  cacheMaxEntries?: number;
  /** Most characters of serialised values kept in memory per session. */
  cacheMaxChars?: number;
  /** The lease this state is written under; a stale owner's writes are refused. */
  fence?: SessionFence;
}

type KeyType = keyof SignalDataTypeMap;

const CREDS = 'creds';
/** Cached marker for "not in the database", so misses are not read again. */
const ABSENT = '';

/**
 * Baileys auth state in the company database (`baileys_auth`), in the shape of Baileys'
 * useMultiFileAuthState. Reads go through a bounded write-through cache; one `keys.set` is one bulkWrite.
 */
export async function useMongoAuthState(tenant: TenantContext, session: string, options: MongoAuthStateOptions = {}): Promise<MongoAuthState> {
  const repository = options.repository ?? new BaileysAuthStateRepository();
  const cache = new LRUCache<string, string>({
    max: options.cacheMaxEntries ?? 1_000,
    maxSize: options.cacheMaxChars ?? 1_000_000,
    sizeCalculation: (value, key) => value.length + key.length,
  });
  const stored = (await repository.find(tenant, session, CREDS, [CREDS])).get(CREDS);
  const creds: AuthenticationCreds = stored ? (JSON.parse(stored, BufferJSON.reviver) as AuthenticationCreds) : initAuthCreds();

  const pending = new Set<Promise<unknown>>();
  let writesInFlight = 0;
  let writeEpoch = 0;
  let cleared = false;
  let credsChain: Promise<unknown> = Promise.resolve();

  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.catch(() => undefined).finally(() => pending.delete(work));
    return work;
  };

  const writeEntries = async (entries: AuthEntry[]): Promise<void> => {
    writesInFlight++;
    writeEpoch++;
    try {
      await repository.write(tenant, session, entries, options.fence);
      for (const { type, id, value } of entries) cache.set(cacheKey(type, id), value ?? ABSENT);
    } catch (error) {
      // Part of the batch may have been applied: forget these keys rather than guess.
      for (const { type, id } of entries) cache.delete(cacheKey(type, id));
      throw error;
    } finally {
      writesInFlight--;
    }
  };

  const get = async <T extends KeyType>(type: T, ids: string[]): Promise<{ [id: string]: SignalDataTypeMap[T] }> => {
    const result: { [id: string]: SignalDataTypeMap[T] } = {};
    const missing: string[] = [];
    for (const id of ids) {
      const cached = cache.get(cacheKey(type, id));
      if (cached === undefined) missing.push(id);
      else if (cached !== ABSENT) result[id] = revive(type, cached);
    }
    if (missing.length === 0) return result;
    // A read that overlapped a write may be stale: return it, but do not cache it.
    const cacheable = writesInFlight === 0;
    const epoch = writeEpoch;
    const found = await repository.find(tenant, session, type, missing);
    const fresh = cacheable && epoch === writeEpoch && !cleared;
    for (const id of missing) {
      const value = found.get(id);
      if (fresh) cache.set(cacheKey(type, id), value ?? ABSENT);
      if (value !== undefined) result[id] = revive(type, value);
    }
    return result;
  };

  const set = async (data: SignalDataSet): Promise<void> => {
    if (cleared) return;
    const entries: AuthEntry[] = [];
    for (const [type, values] of Object.entries(data)) {
      for (const [id, value] of Object.entries(values ?? {})) {
        entries.push({ type, id, value: value === null || value === undefined ? null : serialise(value) });
      }
    }
    await track(writeEntries(entries));
  };

  const saveCreds = (): Promise<void> => {
    // Chained so an older snapshot of the creds never lands after a newer one.
    const write = credsChain.catch(() => undefined).then(() => (cleared ? undefined : writeEntries([{ type: CREDS, id: CREDS, value: serialise(creds) }])));
    credsChain = write;
    return track(write);
  };

  const clear = async (): Promise<void> => {
    cleared = true;
    await Promise.allSettled([...pending]);
    await repository.clear(tenant, session, options.fence);
    cache.clear();
  };

  const flush = async (): Promise<void> => {
    await Promise.allSettled([...pending]);
  };

  return { state: { creds, keys: { get, set } }, saveCreds, flush, clear };
}

function cacheKey(type: string, id: string): string {
  return `${type}\u0000${id}`;
}

function serialise(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

function revive<T extends KeyType>(type: T, text: string): SignalDataTypeMap[T] {
  const value: unknown = JSON.parse(text, BufferJSON.reviver);
  if (type === 'app-state-sync-key') {
    return proto.Message.AppStateSyncKeyData.fromObject(value as object) as unknown as SignalDataTypeMap[T];
  }
  return value as SignalDataTypeMap[T];
}
