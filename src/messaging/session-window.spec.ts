import { isWithinSessionWindow, SESSION_WINDOW_MS } from './session-window';

describe('the 24-hour customer service window', () => {
  const now = new Date('2025-06-12T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('is open for 24 hours after the last inbound message, and closed without one', () => {
    expect(isWithinSessionWindow(ago(0), now)).toBe(true);
    expect(isWithinSessionWindow(ago(SESSION_WINDOW_MS - 1), now)).toBe(true);
    expect(isWithinSessionWindow(ago(SESSION_WINDOW_MS), now)).toBe(false);
    expect(isWithinSessionWindow(ago(3 * SESSION_WINDOW_MS), now)).toBe(false);
    expect(isWithinSessionWindow(undefined, now)).toBe(false);
  });

  it('counts a message stamped a little in the future as just now', () => {
    expect(isWithinSessionWindow(new Date(now.getTime() + 60_000), now)).toBe(true);
  });
});
