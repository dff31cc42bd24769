import { mongo } from 'mongoose';
import { TenancyException } from '../../tenancy/tenancy.exception';
import { isTransientDatabaseError, mayHaveBeenApplied } from './transient-error';

describe('transient database errors', () => {
  it('retries our own gate, unreachable tenants, lost connections and elections', () => {
    expect(isTransientDatabaseError(TenancyException.busy('a', 1))).toBe(true);
    expect(isTransientDatabaseError(TenancyException.unavailable('a', 1))).toBe(true);
    expect(isTransientDatabaseError(new mongo.MongoNetworkError('socket hang up'))).toBe(true);
    expect(isTransientDatabaseError(new mongo.MongoServerSelectionError('no server', { type: 'Unknown' } as never))).toBe(true);
    expect(isTransientDatabaseError(new mongo.MongoServerError({ code: 10107, errmsg: 'not primary' }))).toBe(true);
  });

  it('retries a bulk write that failed as a whole, as the driver reports a lost connection during one', () => {
    const wrapped = new mongo.MongoBulkWriteError({ message: 'read ECONNRESET', code: undefined } as never, { insertedCount: 0 } as never);
    expect(isTransientDatabaseError(wrapped)).toBe(true);
    expect(isTransientDatabaseError(new Error('write failed', { cause: new mongo.MongoNetworkError('reset') }))).toBe(true);
  });

  it('does not retry what the server will refuse again', () => {
    expect(isTransientDatabaseError(new mongo.MongoServerError({ code: 2, errmsg: 'bad value' }))).toBe(false);
    expect(isTransientDatabaseError(TenancyException.notFound('a'))).toBe(false);
    expect(isTransientDatabaseError(new Error('boom'))).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
  });

  it('counts every failure as possibly applied except a turn-away by our own gate', () => {
    expect(mayHaveBeenApplied(TenancyException.busy('a', 1))).toBe(false);
    expect(mayHaveBeenApplied(new mongo.MongoNetworkError('reset'))).toBe(true);
    expect(mayHaveBeenApplied(TenancyException.unavailable('a', 1))).toBe(true);
  });
});
