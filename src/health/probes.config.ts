import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../core/config/environment.schema';

export const probesConfig = registerAs('probes', () => ({ probeToken: validateEnvironment(process.env).PROBE_TOKEN }));

export type ProbesConfig = ConfigType<typeof probesConfig>;
