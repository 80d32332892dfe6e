import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditActions } from '@madoguchi/audit';
import { StaffRepository } from '@madoguchi/identity';
import { AUDIT_RECORD_TOPIC } from '@madoguchi/kernel';
import { type TransitionContext, type TransitionHook, TransitionHooks, type TransitionInput, type TransitionWrites } from '@madoguchi/engine';
import { CaseWorkErrors } from './case-work.errors';

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
 * - contribute: the holder's action restarts their idle time; leaving for a
 *   state outside CLAIM_KEEPING_STATES ends the claim (audited through the
 *   outbox, in commit order like the transition itself); a resubmission
 *   restarts the idle time of the claim it comes back to.
 *
 * The application row is locked by the engine, so the claim on the row it
 * read cannot change before the transaction ends.
 */
@Injectable()
export class ClaimsHook implements TransitionHook, OnModuleInit {
  readonly name = 'claims';

  constructor(
    private readonly hooks: TransitionHooks,
    private readonly staffAccounts: StaffRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  /** Every staff step: its claim check belongs under the row lock, where a claim taken a moment ago is seen. */
  involvedIn(input: TransitionInput): boolean {
    return isStaffStep(input);
  }

  involved({ input }: TransitionContext): boolean {
    return isStaffStep(input);
  }

  async before({ municipalityId, application, input }: TransitionContext): Promise<void> {
    if (!isStaffStep(input)) return;
    // The engine's locked row carries the claim.
    if (!application.claimedBy || application.claimedBy === input.actor.id) return;
    const holder = await this.staffAccounts.findById(municipalityId, application.claimedBy);
    throw CaseWorkErrors.claimed({ id: application.claimedBy, name: holder?.displayName ?? null }, application.claimedAt);
  }

  contribute({ application, input, result, at, revision, writes }: TransitionContext & { revision: number; writes: TransitionWrites }): void {
    const holder = application.claimedBy;
    if (!holder) return;
    if (result.entered && !CLAIM_KEEPING_STATES.has(result.to)) {
      Object.assign(writes.application, { claimed_by: null, claimed_at: null, claim_active_at: null });
      writes.outbox.push({
        topic: AUDIT_RECORD_TOPIC,
        payload: {
          actor: { kind: 'system', id: 'claims' },
          action: AuditActions.ApplicationClaimEnded,
          target: { type: 'application', id: application.id },
          details: { holder, event: input.type, to: result.to, revision },
        },
      });
      return;
    }
    const byHolder = input.actor.kind === 'staff' && input.actor.id === holder;
    if (byHolder || (result.entered && result.to === 'underReview')) writes.application.claim_active_at = at;
  }
}

function isStaffStep(input: TransitionInput): boolean {
  return input.actor.kind === 'staff' && input.type.startsWith('staff.');
}
