import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import mongoose from 'mongoose';
import { measureInboundImages } from './media/inbound';
import { measureLayouts } from './media/layout';
import { describeServer, startServer } from './server';

const ROOT = resolve(__dirname, '../..');

/**
 * Inbound media on the embedded database: what one inbound 1 MB image costs (download and store, after the message
 * is stored), and how a 1 MB read behaves as media grows in each storage layout. Writes bench/results/media.json.
 */
async function main(): Promise<void> {
  const targets = (process.env.BENCH_MEDIA_MB ?? '1,50,200').split(',').map(Number);
  const images = Number(process.env.BENCH_MEDIA_IMAGES ?? 20);
  const server = await startServer(process.env.FERRETDB_BIN ?? resolve(ROOT, '.tools/bin/ferretdb'));
  try {
    const probe = await mongoose.createConnection(server.uri).asPromise();
    const serverName = await describeServer(probe.getClient().db('admin'));
    await probe.close();
    const prefix = `mb${randomBytes(3).toString('hex')}_`;
    console.log(`media bench on ${serverName}: ${images} inbound 1 MB images`);
    const inbound = await measureInboundImages(server.uri, prefix, images);
    console.log(
      `  stored ${inbound.storedAfterMs.p50} ms (p50) / ${inbound.storedAfterMs.p95} ms (p95) after the message; fetch ${inbound.stepsMs.fetch} ms, store ${inbound.stepsMs.store} ms, record ${inbound.stepsMs.record} ms; CPU ${inbound.cpuMsPerImage} ms per image`,
    );
    console.log(`layouts, 1 MB reads as media grows (${targets.join(', ')} MB):`);
    const layouts = await measureLayouts(server.uri, `${prefix}layout_`, targets);
    const results = {
      measuredAt: new Date().toISOString(),
      server: serverName,
      origin: server.origin,
      cpus: cpus().length,
      node: process.version,
      inbound,
      layouts,
    };
    const file = resolve(ROOT, 'bench/results/media.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${file}`);
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
