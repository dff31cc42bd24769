import { IsInt, Max, Min } from 'class-validator';

/** The event log every company's webhooks and live stream read. */
export class EventsVariables {
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  EVENT_RETENTION_HOURS: number = 168;

  @IsInt()
  @Min(1_000)
  EVENT_RETENTION_SWEEP_MS: number = 3_600_000;
}
