/**
 * The floor of the acknowledgement contract, for `bench:inbound-floor`: `node floor-server.js <port> <dataDir> <ferretdb> <dbPort>`.
 * It takes the simulator endpoint's requests (same path, same body, same answer) and does only what no design of it
 * can skip: parse the JSON, insert the request's messages in one `insertMany` under a unique (session, id) index, and
 * answer each message `stored` or `duplicate`. No auth, validation, event log, chats, prospects, metrics or timers;
 * the same embedded FerretDB as the service, started the same way.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { MongoBulkWriteError, MongoClient, ObjectId, type Db } from 'mongodb';
import { EmbeddedFerretDb } from '../../src/core/database/embedded-ferretdb';
import { COMPANIES } from './sessions';

const ROUTE = /^\/simulator\/companies\/([^/]+)\/sessions\/([^/]+)\/inbound$/;
const DUPLICATE_KEY = 11000;

interface Message {
  providerMessageId: string;
  from: string;
  text?: string;
  senderName?: string;
}

async function main(): Promise<void> {
  const [port, dataDir, binary, dbPort] = [Number(process.argv[2]), process.argv[3], process.argv[4], Number(process.argv[5])];
  const database = await EmbeddedFerretDb.start({ binary, dataDir, port: dbPort });
  const client = await new MongoClient(database.uri).connect();
  const databases = new Map<string, Db>();
  for (const company of COMPANIES) {
    const db = client.db(`floor_${company.replace(/-/g, '_')}`);
    await db.collection('messages').createIndex({ session: 1, providerMessageId: 1 }, { unique: true });
    databases.set(company, db);
  }

  const server = createServer((request, response) => {
    const route = ROUTE.exec(request.url ?? '');
    const db = route && databases.get(route[1]);
    if (request.method !== 'POST' || !route || !db) return answer(response, 404, { code: 'NOT_FOUND' });
    readJson(request).then(
      (body) =>
        store(db, route[2], (body as { messages: Message[] }).messages).then(
          (results) => answer(response, 200, { results }),
          () => answer(response, 503, { code: 'NOT_STORED' }),
        ),
      () => answer(response, 400, { code: 'INVALID_JSON' }),
    );
  });
  server.listen(port, '127.0.0.1', () => process.send?.('ready'));
  process.once('SIGTERM', () => {
    server.close();
    void client.close().then(() => database.stop());
  });
}

async function store(db: Db, session: string, messages: Message[]): Promise<Array<{ providerMessageId: string; result: string }>> {
  const timestamp = new Date();
  const documents = messages.map((message) => ({ _id: new ObjectId(), session, ...message, timestamp }));
  const duplicates = new Set<number>();
  try {
    await db.collection('messages').insertMany(documents, { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    for (const writeError of writeErrors) {
      if (writeError.code !== DUPLICATE_KEY) throw error;
      duplicates.add(writeError.index);
    }
  }
  return messages.map((message, index) => ({ providerMessageId: message.providerMessageId, result: duplicates.has(index) ? 'duplicate' : 'stored' }));
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', fail);
    request.on('end', () => {
      try {
        done(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        fail(error as Error);
      }
    });
  });
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

void main();
