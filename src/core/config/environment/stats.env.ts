import { IsInt, Max, Min } from 'class-validator';

/** Operator statistics (GET /api/v1/stats, the dashboard's charts) and how much database work they may cost. */
export class StatsVariables {
  /** How often memory, CPU, event-loop delay and queue depths are sampled into the last hour's per-minute history. */
  @IsInt()
  @Min(1_000)
  @Max(60_000)
  STATS_SAMPLE_INTERVAL_MS: number = 15_000;

  /** How long figures read from the database (sessions by status, outbox depth) are reused before they are read again. */
  @IsInt()
  @Min(0)
  @Max(300_000)
  STATS_CACHE_MS: number = 5_000;
}
