import type { mongo } from 'mongoose';
import { EmbeddedFerretDb } from '../src/core/database/embedded-ferretdb';

export interface BenchServer {
  uri: string;
  /** Where the server came from, never the URI itself (it may hold credentials). */
  origin: 'MONGODB_URI' | 'embedded FerretDB (SQLite backend)';
  stop(): Promise<void>;
}

/** MONGODB_URI when given; otherwise a FerretDB on a free loopback port over a fresh temporary directory. */
export async function startServer(binary: string): Promise<BenchServer> {
  const given = process.env.MONGODB_URI;
  if (given) return { uri: given, origin: 'MONGODB_URI', stop: async () => undefined };
  const embedded = await EmbeddedFerretDb.startDisposable(binary);
  return { uri: embedded.uri, origin: 'embedded FerretDB (SQLite backend)', stop: () => embedded.stop() };
}

/** FerretDB answers buildInfo with MongoDB's wire version plus its own `ferretdbVersion`. */
export async function describeServer(db: mongo.Db): Promise<string> {
  const info = await db.admin().command({ buildInfo: 1 });
  if (typeof info.ferretdbVersion === 'string') return `FerretDB ${info.ferretdbVersion} (reports MongoDB ${info.version})`;
  return `MongoDB ${info.version}`;
}

/** How a bench was started, without the server URI (it may hold credentials). */
export function benchCommand(script: string, file: string, envNames: string[]): string {
  const env = ['MONGODB_URI', 'FERRETDB_BIN', ...envNames]
    .filter((name) => process.env[name])
    .map((name) => (name === 'MONGODB_URI' ? 'MONGODB_URI=…' : `${name}=${process.env[name]}`));
  const run = process.env.npm_lifecycle_event === script ? `npm run ${script}` : `node ${file}`;
  return [...env, run].join(' ');
}
