import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { SimulatorAdapter } from '../providers/simulator/simulator.adapter';
import { SessionLeases } from './session-leases';
import { SessionManager } from './session-manager.service';

export interface LocalSessionsView {
  owner: string;
  /** This process's clock when it answered (epoch ms). */
  at: number;
  /** Sessions this process owns and runs a client for, with their fencing token. */
  running: Array<{ session: string; status: string; token: number }>;
  /** Live clients as the simulator provider sees them (WhatsApp's edge), when it is in use. */
  simulatorClients: Array<{ session: string; since: number }>;
}

/** This process's own view of what it runs; for operators and the multi-process tests. */
@ApiExcludeController()
@AdminOnly()
@Controller('internal/sessions')
export class SessionsDiagnosticsController {
  constructor(
    private readonly manager: SessionManager,
    private readonly leases: SessionLeases,
    private readonly simulator: SimulatorAdapter,
  ) {}

  @Get()
  local(): LocalSessionsView {
    const running = this.manager
      .all()
      .filter((runtime) => runtime.lease && runtime.client)
      .map((runtime) => ({ session: runtime.key, status: runtime.status, token: runtime.lease!.token }));
    return { owner: this.leases.ownerId, at: Date.now(), running, simulatorClients: this.simulator.liveClients() };
  }
}
