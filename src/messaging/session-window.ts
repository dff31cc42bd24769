/** WhatsApp's customer service window: a business may write freely for 24 hours after the customer's last message. */
export const SESSION_WINDOW_MS = 24 * 3_600_000;

export function isWithinSessionWindow(lastInboundAt: Date | undefined, now: Date): boolean {
  if (!lastInboundAt) return false;
  const age = now.getTime() - lastInboundAt.getTime();
  // A customer's clock a little ahead of ours still counts as just now.
  return age < SESSION_WINDOW_MS;
}
