/**
 * How often an event-loop delay monitor samples: each one is a timer that wakes the process this often, busy or
 * not. At 10–20 ms (prom-client's default and ours before) an idle process woke 150 times a second for the two
 * monitors alone; the stalls that matter to an operator last longer than this.
 */
export const EVENT_LOOP_RESOLUTION_MS = 100;
