import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsJSON, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toBoolean } from './values';

/** WhatsApp and Twilio providers, Chromium and outbound media. */
export class ProvidersVariables {
  /** Public origin of this service, used to check Twilio webhook signatures (Twilio signs the URL it called). */
  @IsOptional()
  @Matches(/^https?:\/\/[^/]+$/, { message: 'PUBLIC_BASE_URL must be an origin like https://api.example.com' })
  PUBLIC_BASE_URL?: string;

  /** JSON by company slug: {"quicklearning":{"accountSid":"AC…","authToken":"…","from":"whatsapp:+1…"}} (secret). */
  @IsOptional()
  @IsJSON()
  TWILIO_ACCOUNTS?: string;

  /** Replaces https://*.twilio.com in SDK requests; only for tests against a local stand-in. */
  @IsOptional()
  @Matches(/^https?:\/\/.+/)
  TWILIO_API_BASE_URL?: string;

  /** WhatsApp's multi-device WebSocket for Baileys; only tests point it elsewhere. */
  @IsOptional()
  @Matches(/^wss?:\/\/.+/)
  BAILEYS_WS_URL?: string;

  @IsString()
  @MinLength(1)
  CHROMIUM_PATH: string = '/usr/bin/chromium';

  /** Extra Chromium resolver rules (tests send web.whatsapp.com to a local port). */
  @IsOptional()
  @IsString()
  CHROMIUM_HOST_RESOLVER_RULES?: string;

  @Transform(toBoolean)
  @IsBoolean()
  WWEBJS_HISTORY_IMPORT: boolean = false;

  @IsInt()
  @Min(0)
  @Max(1000)
  WWEBJS_HISTORY_MAX_CHATS: number = 20;

  @IsInt()
  @Min(0)
  @Max(1000)
  WWEBJS_HISTORY_MAX_MESSAGES_PER_CHAT: number = 50;

  @IsInt()
  @Min(60_000)
  WWEBJS_AUTH_BACKUP_INTERVAL_MS: number = 300_000;

  /** Recipient lookups (Baileys onWhatsApp) per session per minute; answers are cached. */
  @IsInt()
  @Min(1)
  BAILEYS_LOOKUPS_PER_MINUTE: number = 60;

  /** Numbers checked on WhatsApp (contacts/check) per session per minute, beyond the cache: protects the account from bans. */
  @IsInt()
  @Min(1)
  CONTACT_CHECKS_PER_MINUTE: number = 60;

  /** How long a number check is remembered (a number without WhatsApp: a tenth of it). */
  @IsInt()
  @Min(1_000)
  CONTACT_CHECK_CACHE_MS: number = 86_400_000;
}
