import type { EventType, LoggedEvent } from '../../events/event-types';
import type { SecretBox } from '../secret-box';
import type { StoredEndpoint } from '../webhook-endpoint';

/** An endpoint as the dispatcher uses it: filters as sets, secrets opened. */
export interface ActiveEndpoint {
  id: string;
  url: string;
  /** Passed to the log reader; undefined: every type. */
  types?: ReadonlySet<EventType>;
  wants(event: LoggedEvent): boolean;
  /** The secrets a try at `at` is signed with: the current one, and the previous one during its grace period. */
  signingSecrets(at: Date): string[];
}

export function activate(stored: StoredEndpoint, box: SecretBox): ActiveEndpoint {
  const current = box.open(stored.secret);
  const previous =
    stored.previousSecret && stored.previousSecretUntil ? { secret: box.open(stored.previousSecret), until: stored.previousSecretUntil.getTime() } : undefined;
  const types = stored.types ? new Set(stored.types) : undefined;
  const sessions = stored.sessions ? new Set(stored.sessions) : undefined;
  return {
    id: stored.id,
    url: stored.url,
    types,
    wants: (event) => (!types || types.has(event.type)) && (!sessions || (event.session !== undefined && sessions.has(event.session))),
    signingSecrets: (at) => (previous && at.getTime() < previous.until ? [current, previous.secret] : [current]),
  };
}
