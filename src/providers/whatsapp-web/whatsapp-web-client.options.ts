import type { AuthStrategy, ClientOptions } from 'whatsapp-web.js';
import type { MediaFetchLimits } from '../media-fetch';
import type { HistoryLimits } from './whatsapp-web-history.importer';

export interface WhatsappWebSettings {
  chromiumPath: string;
  /** Chromium `--host-resolver-rules`; tests use it to keep the browser off the internet. */
  hostResolverRules?: string;
  authBackupIntervalMs: number;
  history: HistoryLimits & { enabled: boolean };
  defaultPhoneRegion: string;
  media: MediaFetchLimits;
  /** Root of the disposable per-session directories (browser profile, session zip). */
  tempRoot: string;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-sync',
  '--disable-component-update',
];

export function clientOptionsFor(settings: WhatsappWebSettings, authStrategy: AuthStrategy): ClientOptions {
  const args = [...CHROMIUM_ARGS];
  if (settings.hostResolverRules) args.push(`--host-resolver-rules=${settings.hostResolverRules}`);
  return {
    authStrategy,
    // The default ('local') writes WhatsApp Web's page to ./.wwebjs_cache on the local disk.
    webVersionCache: { type: 'none' },
    puppeteer: {
      executablePath: settings.chromiumPath,
      headless: true,
      args,
      // Puppeteer's own handlers would close browsers (and exit on SIGINT) before our graceful shutdown runs.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    },
  };
}
