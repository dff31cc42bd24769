import type { AuthenticationState, UserFacingSocketConfig, WAMessageKey, proto } from '@whiskeysockets/baileys';
import { PinoLogger } from 'nestjs-pino';
import { pino } from 'pino';
import type { MediaFetchLimits } from '../media-fetch';

/** Baileys' logger interface (not exported from its entry point). */
export type BaileysLogger = NonNullable<UserFacingSocketConfig['logger']>;

export interface BaileysSocketSettings {
  /** WhatsApp's WebSocket; undefined keeps Baileys' default (wss://web.whatsapp.com/ws/chat). */
  webSocketUrl?: string;
  /** Recipient lookups per session per minute. */
  lookupsPerMinute: number;
  media: MediaFetchLimits;
}

/** A message we sent, for a recipient's retry request; undefined when we do not know it. */
export type StoredMessageLookup = (key: WAMessageKey) => Promise<proto.IMessage | undefined>;

/**
 * Resource-saving socket options (design §5): no history, not online on connect, no link previews.
 * Our own sends are not echoed as upserts (`emitOwnEvents: false`): the outbound worker records them.
 */
export function socketOptions(
  auth: AuthenticationState,
  settings: BaileysSocketSettings,
  logger: BaileysLogger,
  getMessage: StoredMessageLookup,
): UserFacingSocketConfig {
  return {
    auth,
    logger,
    getMessage,
    emitOwnEvents: false,
    browser: ['Virtual Voices', 'Server', '1.0'],
    syncFullHistory: false,
    markOnlineOnConnect: false,
    generateHighQualityLinkPreview: false,
    connectTimeoutMs: 30_000,
    defaultQueryTimeoutMs: 45_000,
    keepAliveIntervalMs: 25_000,
    shouldSyncHistoryMessage: () => false,
    ...(settings.webSocketUrl ? { waWebSocketUrl: settings.webSocketUrl } : {}),
  };
}

/** A child of the application's pino at `warn` or quieter (Baileys is chatty), silent when there is none. */
export function baileysLogger(bindings: Record<string, unknown>): BaileysLogger {
  const root = PinoLogger.root as pino.Logger | undefined;
  if (!root) return pino({ level: 'silent' });
  const level = root.levelVal > root.levels.values.warn ? root.level : 'warn';
  return root.child({ ...bindings, lib: 'baileys' }, { level });
}
