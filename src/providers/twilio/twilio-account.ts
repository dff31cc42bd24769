import type { ProvidersConfig, TwilioAccount } from '../../core/config/configuration';

/** Own keys only: a slug such as `constructor` must not find something on Object's prototype. */
export function twilioAccountOf(config: ProvidersConfig, company: string): TwilioAccount | undefined {
  return Object.hasOwn(config.twilioAccounts, company) ? config.twilioAccounts[company] : undefined;
}
