import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { ApplicationSignatureService, SignatureError } from './application-signature.service';
import { CounterEntryRepository } from './counter-entry/counter-entry.repository';
import { type TransitionContext, type TransitionHook, TransitionHooks } from '@madoguchi/engine';

/** States in which staff examine and decide a case on the strength of its content. */
const CASE_WORK_STATES: ReadonlySet<string> = new Set(['underReview', 'underApproval']);
/** Decisions that carry a case forward on its content, whatever state they lead to. */
const ADVANCING_EVENTS: ReadonlySet<string> = new Set(['staff.accept', 'approver.approve']);
/**
 * An approver's return moves the case back towards the clerk and the
 * resident, which is exactly how an unsigned case gets re-signed; refusing
 * it would leave such a case stuck in approval with rejection as the only
 * way out.
 */
const BACKWARD_EVENTS: ReadonlySet<string> = new Set(['approver.return']);

/**
 * The signed record stays signed (issue 10): for a procedure that needs a My
 * Number Card signature, no transition carries a case into review or
 * approval, and no decision moves it forward, unless the signature the
 * application points to verifies against its content as it is now. It runs
 * in the engine's transaction under the row lock, so every path (submission,
 * resubmission after 差戻し, the counter, staff events, approvals, payment
 * and timer events) is covered by this one check, not by each caller.
 *
 * The documented exception: a counter application for which staff recorded
 * an in-person identity check (書かない窓口) stands on that check instead.
 *
 * Backward and ending moves (send back, return, reject, withdraw, expire)
 * stay open, so an unsigned case can always reach the resident to be signed.
 */
@Injectable()
export class SignedContentHook implements TransitionHook, OnModuleInit {
  readonly name = 'signed-content';

  constructor(
    private readonly hooks: TransitionHooks,
    private readonly registry: ProcedureRegistry,
    private readonly signatures: ApplicationSignatureService,
    private readonly counter: CounterEntryRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  /** Reads signatures only when the case moves on in a procedure signed with the card. */
  async involved(context: TransitionContext): Promise<boolean> {
    if (!needsSignedContent(context)) return false;
    const { definition } = await this.registry.get(context.municipalityId, context.application.procedureCode, context.application.procedureVersion);
    return definition.identity === 'myNumberCardSignature';
  }

  async before(context: TransitionContext): Promise<void> {
    if (!needsSignedContent(context)) return;
    const { municipalityId, application, input } = context;
    const { definition } = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    if (definition.identity !== 'myNumberCardSignature') return;
    if (application.channel === 'counter' && (await this.counter.identityChecks(municipalityId, application.id, context.manager)).length > 0) return;
    if (await this.signatures.verifiesAsIs(context.manager, application)) return;
    // The resident can fix it by signing; anyone else has to send it back.
    throw input.actor.kind === 'resident' ? SignatureError.required() : SignatureError.unverified();
  }
}

/** Whether this transition moves the case into case work or forward within it. */
export function needsSignedContent({ input, result }: Pick<TransitionContext, 'input' | 'result'>): boolean {
  if (BACKWARD_EVENTS.has(input.type)) return false;
  if (result.from === 'draft') return result.to !== 'discarded';
  return CASE_WORK_STATES.has(result.to) || ADVANCING_EVENTS.has(input.type);
}
