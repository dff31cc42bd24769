import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsJSON, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toBoolean, MONGO_URI } from './values';

/** MongoDB: the control database, the shared pool, embedded FerretDB and tenant connections. */
export class DatabaseVariables {
  @IsOptional()
  @Matches(MONGO_URI, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;

  @IsString()
  @MinLength(1)
  EMBEDDED_DB_DIR: string = 'data/ferretdb';

  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_DB_PORT: number = 27027;

  @IsString()
  @MinLength(1)
  FERRETDB_BIN: string = '.tools/bin/ferretdb';

  @IsString()
  @Matches(/^[a-z0-9_-]{1,38}$/)
  CONTROL_DB_NAME: string = 'virtual_voices';

  @IsInt()
  @Min(1)
  @Max(500)
  MONGO_MAX_POOL_SIZE: number = 20;

  @IsInt()
  @Min(0)
  @Max(500)
  MONGO_MIN_POOL_SIZE: number = 5;

  @IsInt()
  @Min(1000)
  MONGO_MAX_IDLE_TIME_MS: number = 300_000;

  @IsInt()
  @Min(500)
  MONGO_HEARTBEAT_FREQUENCY_MS: number = 30_000;

  @IsInt()
  @Min(100)
  MONGO_SERVER_SELECTION_TIMEOUT_MS: number = 15_000;

  @IsInt()
  @Min(1000)
  MONGO_SOCKET_TIMEOUT_MS: number = 120_000;

  @IsInt()
  @Min(100)
  @Max(120_000)
  MONGO_CONNECT_TIMEOUT_MS: number = 30_000;

  /** Driver command monitoring: feeds vv_db_commands_total and the e2e query audit. */
  @Transform(toBoolean)
  @IsBoolean()
  MONGODB_MONITOR_COMMANDS: boolean = false;

  @IsInt()
  @Min(1)
  @Max(200)
  TENANT_MAX_CONCURRENT_OPS: number = 5;

  @IsInt()
  @Min(0)
  @Max(100_000)
  TENANT_OP_QUEUE_SIZE: number = 200;

  @IsInt()
  @Min(1)
  TENANT_OP_WAIT_TIMEOUT_MS: number = 5_000;

  @IsInt()
  @Min(1)
  @Max(500)
  TENANT_DEDICATED_MAX_POOL_SIZE: number = 10;

  @IsInt()
  @Min(1000)
  TENANT_DEDICATED_IDLE_CLOSE_MS: number = 600_000;

  @IsString()
  @Matches(/^[a-z0-9_]{0,20}$/)
  TENANT_DB_PREFIX: string = 'vv_';

  @IsOptional()
  @Matches(MONGO_URI, { message: 'QUICKLEARNING_MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  QUICKLEARNING_MONGODB_URI?: string;

  /** JSON object of named dedicated clusters, e.g. {"acme":"mongodb+srv://..."}; companies refer to them by name. */
  @IsOptional()
  @IsJSON()
  TENANT_CLUSTER_URIS?: string;
}
