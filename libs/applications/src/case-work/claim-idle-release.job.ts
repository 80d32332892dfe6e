import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { type AppConfig, MunicipalityDirectory } from '@madoguchi/config';
import { APP_CONFIG, asMunicipalityId, Clock, PeriodicJobs } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';
import { CaseWorkRepository } from './case-work.repository';

const MINUTE_MS = 60_000;

/**
 * Releases claims whose holder has not acted for CLAIM_IDLE_MINUTES (default
 * 120), so a case does not wait on someone who went home. Claims on returned
 * applications are kept: the wait there is the resident's (the clock starts
 * again on resubmission). Any number of workers may run this: each release
 * is a conditional UPDATE, so a claim is released, and audited, once.
 */
@Injectable()
export class ClaimIdleReleaseJob implements OnModuleInit {
  private readonly logger = new Logger('Claims');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly claims: CaseWorkRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: PeriodicJobs,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: 'claim-idle-release', idleMs: 60_000, run: () => this.run() });
  }

  async run(limit = 100): Promise<number> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.config.claimIdleMinutes * MINUTE_MS);
    let released = 0;
    for (const municipality of this.directory.all()) {
      const municipalityId = asMunicipalityId(municipality.id);
      for (const idle of await this.claims.idleClaims(municipalityId, before, limit)) {
        const done = await this.dataSource.transaction(async (manager) => {
          if (!(await this.claims.releaseIdle(manager, municipalityId, idle.id, idle.claimedBy, before))) return false;
          await this.audit.record(
            municipalityId,
            {
              actor: { kind: 'system', id: 'claim-idle-release' },
              action: AuditActions.ApplicationClaimIdleReleased,
              target: { type: 'application', id: idle.id },
              details: { holder: idle.claimedBy, idleMinutes: this.config.claimIdleMinutes },
            },
            manager,
          );
          return true;
        });
        if (done) released += 1;
      }
    }
    if (released > 0) this.logger.log({ msg: 'idle claims released', count: released });
    return released;
  }
}
