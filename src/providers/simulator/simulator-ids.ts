import type { SessionRef } from '../provider.port';

/** The number every simulated session has. */
export const SIMULATED_OWN_NUMBER = '+10000000000';

export function keyOf(session: SessionRef): string {
  return `${session.company.slug}/${session.name}`;
}
