import type { ProviderEvent } from '../providers/provider-events';
import { reconnectDelayMs, type BackoffPolicy } from './reconnect-backoff';

type Disconnected = Extract<ProviderEvent, { type: 'disconnected' }>;

export type DisconnectDecision =
  { action: 'reconnect'; delayMs: number } | { action: 'restart-now' } | { action: 'fail'; reason: string } | { action: 'yield'; reason: string };

/**
 * What the session manager does with a disconnect: restart at once when the provider asks for it (Baileys 515),
 * yield to another connection of the same device (never fight it), fail on terminal causes, and otherwise
 * reconnect with backoff until the attempt budget is spent. Shutting down never reconnects.
 */
export function decideOnDisconnect(event: Disconnected, attempt: number, policy: BackoffPolicy, accepting: boolean, random?: () => number): DisconnectDecision {
  if (event.action === 'yield') return { action: 'yield', reason: event.reason };
  if (!event.retryable) return { action: 'fail', reason: event.reason };
  if (event.action === 'restart-now' && accepting) return { action: 'restart-now' };
  const delayMs = accepting ? reconnectDelayMs(policy, attempt, random) : null;
  if (delayMs === null) return { action: 'fail', reason: `gave up after ${attempt - 1} reconnect attempts: ${event.reason}` };
  return { action: 'reconnect', delayMs };
}
