import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../core/config/environment.schema';

export const contactsConfig = registerAs('contacts', () => {
  const e = validateEnvironment(process.env);
  return { checksPerMinute: e.CONTACT_CHECKS_PER_MINUTE, cacheMs: e.CONTACT_CHECK_CACHE_MS };
});

export type ContactsConfig = ConfigType<typeof contactsConfig>;
