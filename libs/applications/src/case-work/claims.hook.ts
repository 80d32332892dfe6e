import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditActions } from '@madoguchi/audit';
import { StaffRepository } from '@madoguchi/identity';
import { OutboxRepository, AUDIT_RECORD_TOPIC } from '@madoguchi/workflow';
import { type TransitionContext, type TransitionHook, TransitionHooks } from '../transition-hooks';
import { CaseWorkErrors } from './case-work.errors';
import { CaseWorkRepository } from './case-work.repository';

/**
 * States a claim survives. A case sent back for correction stays with the
 * staff member who asked for the correction, and comes back to them on
 * resubmission; any other move (to payment, approval, issuing, a final
 * state) ends the claim, since the next step is someone else's work.
 */
export const CLAIM_KEEPING_STATES: ReadonlySet<string> = new Set(['underReview', 'returned']);

/**
 * Claims inside the engine's transaction (rules in ClaimsService):
 * - before: a staff review event (`staff.*`) by anyone but the holder of a
 *   claimed application is refused with 409 APPLICATION_CLAIMED. Approver
 *   events are the approvals library's business and pass.
 * - after: the holder's action restarts their idle time; leaving for a
 *   state outside CLAIM_KEEPING_STATES ends the claim (audited through the
 *   outbox, in commit order like the transition itself); a resubmission
 *   restarts the idle time of the claim it comes back to.
 *
 * The application row is locked by the engine, so the claim read here cannot
 * change before the transaction ends.
 */
@Injectable()
export class ClaimsHook implements TransitionHook, OnModuleInit {
  readonly name = 'claims';

  constructor(
    private readonly hooks: TransitionHooks,
    private readonly claims: CaseWorkRepository,
    private readonly staffAccounts: StaffRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async before({ manager, municipalityId, application, input }: TransitionContext): Promise<void> {
    if (input.actor.kind !== 'staff' || !input.type.startsWith('staff.')) return;
    const claim = await this.claims.claimState(municipalityId, application.id, manager);
    if (!claim?.claimedBy || claim.claimedBy === input.actor.id) return;
    const holder = await this.staffAccounts.findById(municipalityId, claim.claimedBy);
    throw CaseWorkErrors.claimed({ id: claim.claimedBy, name: holder?.displayName ?? null }, claim.claimedAt);
  }

  async after({ manager, municipalityId, application, input, result, at, revision }: TransitionContext & { revision: number }): Promise<void> {
    const claim = await this.claims.claimState(municipalityId, application.id, manager);
    if (!claim?.claimedBy) return;
    if (result.entered && !CLAIM_KEEPING_STATES.has(result.to)) {
      await this.claims.setClaim(manager, municipalityId, application.id, null, at);
      await this.outbox.enqueue(manager, municipalityId, {
        topic: AUDIT_RECORD_TOPIC,
        applicationId: application.id,
        availableAt: at,
        payload: {
          actor: { kind: 'system', id: 'claims' },
          action: AuditActions.ApplicationClaimEnded,
          target: { type: 'application', id: application.id },
          details: { holder: claim.claimedBy, event: input.type, to: result.to, revision },
        },
      });
      return;
    }
    const byHolder = input.actor.kind === 'staff' && input.actor.id === claim.claimedBy;
    if (byHolder || (result.entered && result.to === 'underReview')) await this.claims.touchClaim(manager, municipalityId, application.id, claim.claimedBy, at);
  }
}
