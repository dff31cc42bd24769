import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** The live event stream (Socket.IO) and its fan-out across processes through Redis. */
export class LiveVariables {
  /** Redis (Render Key Value) shared by every instance; unset: the stream reaches this process's sockets only. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Matches(/^\/[A-Za-z0-9._~/-]*$/, { message: 'LIVE_PATH must be an absolute URL path' })
  LIVE_PATH: string = '/socket.io';

  @IsInt()
  @Min(1_000)
  @Max(600_000)
  LIVE_PING_INTERVAL_MS: number = 25_000;

  @IsInt()
  @Min(1_000)
  @Max(600_000)
  LIVE_PING_TIMEOUT_MS: number = 30_000;

  /** Largest message a client may send (Socket.IO maxHttpBufferSize); 500 KB. */
  @IsInt()
  @Min(1_024)
  @Max(104_857_600)
  LIVE_MAX_PAYLOAD_BYTES: number = 512_000;

  /** Sockets one company (all its keys), or the admin key, may hold open on one process. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  LIVE_MAX_SOCKETS_PER_COMPANY: number = 200;
}
