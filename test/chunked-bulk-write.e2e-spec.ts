import mongoose from 'mongoose';
import { ChunkedBulkWriteError, chunkedBulkWrite, MAX_STATEMENTS_PER_WRITE } from '../src/core/database/chunked-bulk-write';

describe('chunked bulk writes (real database)', () => {
  let connection: mongoose.Connection;
  const name = `chunked_${Date.now().toString(36)}`;

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  });

  afterAll(async () => {
    await connection.useDb(name).dropDatabase();
    await connection.close();
  });

  it('updates 150 existing documents in one call (one command of them hangs FerretDB v1 for good)', async () => {
    const chats = connection.useDb(name).collection<{ _id: string; seen?: number }>('chats');
    await chats.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: `c${i}` })));
    const seen = (round: number) =>
      Array.from({ length: 150 }, (_, i) => ({ updateOne: { filter: { _id: `c${i}` }, update: { $set: { seen: round } }, upsert: true } }));
    await chunkedBulkWrite(chats, seen(1));
    await chunkedBulkWrite(chats, seen(2));
    expect(await chats.countDocuments({ seen: 2 })).toBe(150);
  });

  it('tries every statement and reports each failure at its index among all the operations', async () => {
    const people = connection.useDb(name).collection<{ _id: number; n: number }>('people');
    const taken = [3, MAX_STATEMENTS_PER_WRITE + 2, 2 * MAX_STATEMENTS_PER_WRITE + 1];
    await people.insertMany(taken.map((id) => ({ _id: id, n: 0 })));
    const count = 3 * MAX_STATEMENTS_PER_WRITE;
    const error = await chunkedBulkWrite(
      people,
      Array.from({ length: count }, (_, i) => ({ insertOne: { document: { _id: i, n: 1 } } })),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChunkedBulkWriteError);
    expect((error as ChunkedBulkWriteError).writeErrors.map((failure) => [failure.index, failure.code])).toEqual(taken.map((index) => [index, 11000]));
    expect(await people.countDocuments({ n: 1 })).toBe(count - taken.length);
  });
});
