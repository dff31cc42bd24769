import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { MessagesRepository } from '../../src/conversations/messages.repository';
import { createHttpApp } from '../../src/core/http/http-app';
import { MediaStore } from '../../src/media/media-store';
import { ProviderMedia } from '../../src/media/provider-media';

export interface InboundMediaFigures {
  images: number;
  bytes: number;
  /** From the simulator's 200 (message stored) to the media recorded as stored, per image, ms. */
  storedAfterMs: { p50: number; p95: number; max: number };
  /** The steps of one download, medians in ms: fetch from the provider, store the bytes, record the outcome. */
  stepsMs: { fetch: number; store: number; record: number };
  /** This process's CPU per image (ingest, download, store, HTTP), ms. */
  cpuMsPerImage: number;
}

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

/** Boots the service in this process on the simulator and sends `images` inbound 1 MB images, one at a time. */
export async function measureInboundImages(uri: string, prefix: string, images: number): Promise<InboundMediaFigures> {
  Object.assign(process.env, {
    MONGODB_URI: uri,
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    CONTROL_DB_NAME: `${prefix}control`,
    TENANT_DB_PREFIX: prefix,
    MIGRATE_ON_BOOT: 'true',
    SESSIONS_PROVIDER_OVERRIDE: 'simulator',
    RATE_LIMIT_PER_MINUTE: '100000',
    MEMORY_LIMIT_MB: '65536',
  });
  const app = await createHttpApp((adapter, options) => NestFactory.create(AppModule, adapter, options), { logger: false });
  await app.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const call = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  const steps = { fetch: [] as number[], store: [] as number[], record: [] as number[] };
  timeSteps(app, steps);
  try {
    const session = '/api/v1/companies/mitsubishi/sessions/bench';
    await call('POST', '/api/v1/companies/mitsubishi/sessions', { name: 'bench' });
    await call('POST', `${session}/start`);
    await call('POST', '/simulator/companies/mitsubishi/sessions/bench/scan');
    while ((await call('GET', session)).status !== 'WORKING') await new Promise((resolve) => setTimeout(resolve, 20));
    const latencies: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < images; i++) {
      const id = `IMG${i}`;
      const media = { type: 'image', mimeType: 'image/jpeg', dataBase64: randomBytes(1024 * 1024).toString('base64') };
      await call('POST', '/simulator/companies/mitsubishi/sessions/bench/inbound', { messages: [{ providerMessageId: id, from: '+5215512345678', media }] });
      const stored = process.hrtime.bigint();
      for (;;) {
        const page = await call('GET', `${session}/chats/${encodeURIComponent('+525512345678')}/messages?limit=5`);
        const message = (page.items as Array<{ providerMessageId: string; media?: { status?: string } }>).find((m) => m.providerMessageId === id);
        if (message?.media?.status && message.media.status !== 'pending') break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      latencies.push(Number(process.hrtime.bigint() - stored) / 1e6);
    }
    const cpu = process.cpuUsage(cpuBefore);
    return {
      images,
      bytes: 1024 * 1024,
      storedAfterMs: { p50: Math.round(pct(latencies, 50)), p95: Math.round(pct(latencies, 95)), max: Math.round(Math.max(...latencies)) },
      stepsMs: { fetch: Math.round(pct(steps.fetch, 50)), store: Math.round(pct(steps.store, 50)), record: Math.round(pct(steps.record, 50)) },
      cpuMsPerImage: Math.round((cpu.user + cpu.system) / 1000 / images),
    };
  } finally {
    await app.close();
  }
}

/** Wraps the download's three steps with timers (the same instances the fetcher uses). */
function timeSteps(app: { get<T>(token: unknown): T }, steps: { fetch: number[]; store: number[]; record: number[] }): void {
  const wrap = <T extends object>(target: T, method: keyof T, into: number[]) => {
    const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
    (target as Record<keyof T, unknown>)[method] = async (...args: unknown[]) => {
      const started = process.hrtime.bigint();
      try {
        return await original(...args);
      } finally {
        into.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    };
  };
  wrap(app.get<ProviderMedia>(ProviderMedia), 'download', steps.fetch);
  wrap(app.get<MediaStore>(MediaStore), 'put', steps.store);
  wrap(app.get<MessagesRepository>(MessagesRepository), 'recordMedia', steps.record);
}
