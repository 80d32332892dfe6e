import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock } from '@madoguchi/kernel';
import { WorkflowError } from '@madoguchi/workflow';
import { ApplicationRepository, ApplicationWorkflowService } from '@madoguchi/engine';

const DAY_MS = 24 * 60 * 60_000;

/** Discards drafts nobody touched for DRAFT_TTL_DAYS (default 30). */
@Injectable()
export class DraftExpiryJob {
  private readonly logger = new Logger('Drafts');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly applications: ApplicationRepository,
    private readonly workflow: ApplicationWorkflowService,
    private readonly clock: Clock,
  ) {}

  async run(limit = 100): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.config.draftTtlDays * DAY_MS);
    const stale = await this.applications.staleDrafts(before, limit);
    let discarded = 0;
    for (const draft of stale) {
      try {
        await this.workflow.transition(draft.municipalityId, draft.id, { type: 'resident.discard', actor: { kind: 'system', id: 'draft-expiry' } });
        discarded += 1;
      } catch (error) {
        // Submitted or discarded meanwhile: nothing to do.
        if (!(error instanceof WorkflowError)) throw error;
      }
    }
    if (discarded > 0) this.logger.log({ msg: 'drafts expired', count: discarded });
    return discarded;
  }
}
