import mongoose from 'mongoose';
import { describeServer } from '../server';

export interface DatabaseReading {
  /** e.g. "FerretDB v1.24.2 (reports MongoDB 7.0.77)". */
  server: string;
  /** Documents in every company's `messages` collection. */
  messages: number;
}

/**
 * Reads the service's embedded database directly (after a run, outside the measured window): which server it is,
 * and how many messages are stored, to check the acknowledgements against.
 */
export async function inspectDatabase(uri: string): Promise<DatabaseReading> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, socketTimeoutMS: 600_000 }).asPromise();
  try {
    const client = connection.getClient();
    const server = await describeServer(client.db('admin'));
    const control = client.db(process.env.CONTROL_DB_NAME ?? 'virtual_voices');
    const companies = await control
      .collection<{ dbName: string }>('companies')
      .find({}, { projection: { dbName: 1 } })
      .toArray();
    let messages = 0;
    for (const { dbName } of companies) messages += await client.db(dbName).collection('messages').countDocuments({});
    return { server, messages };
  } finally {
    await connection.close();
  }
}
