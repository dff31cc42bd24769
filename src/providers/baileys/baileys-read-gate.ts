/** What flow control needs of a WebSocket: `ws`'s `pause()` and `resume()`. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * Backpressure at the source: while messages handed to ingest are not yet taken (its promise pending),
 * reading from WhatsApp's WebSocket stops; it resumes when all are taken. Unread frames stay unacknowledged
 * on WhatsApp's side, so nothing is lost: a pause longer than Baileys' keep-alive window ends the
 * connection ("Connection was lost") and WhatsApp delivers them again on the next one.
 *
 * The decision waits one turn of the event loop (`setImmediate`): a buffer with room settles its promise
 * in microtasks, so then no pause happens at all.
 */
export class ReadGate {
  private pending = 0;
  private paused?: Pausable;
  private closed = false;

  /** `socketOf` answers the socket to pause now, or undefined when there is none (not connected, closed). */
  constructor(private readonly socketOf: () => Pausable | undefined) {}

  get isPaused(): boolean {
    return this.paused !== undefined;
  }

  /** Counts `taken` until it settles; reading pauses if it is still pending after this turn. */
  hold(taken: Promise<unknown>): void {
    if (this.closed) return;
    this.pending++;
    void taken
      .catch(() => undefined)
      .then(() => {
        this.pending--;
        if (this.pending === 0) this.resume();
      });
    setImmediate(() => {
      if (this.pending > 0 && !this.paused && !this.closed) this.pause();
    });
  }

  /** The socket is going away: nothing more to pause or resume. */
  close(): void {
    this.resume();
    this.closed = true;
  }

  private pause(): void {
    const socket = this.socketOf();
    if (!socket) return;
    socket.pause();
    this.paused = socket;
  }

  private resume(): void {
    const socket = this.paused;
    this.paused = undefined;
    socket?.resume();
  }
}
