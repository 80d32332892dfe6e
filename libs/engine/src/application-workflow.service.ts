import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { Clock, isoDateIn, type MunicipalityId, AUDIT_RECORD_TOPIC, declareOutboxTopic } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { notificationKindFor, WorkflowError, machineEffectTopic } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationRepository } from './application.repository';
import { ApplicationError } from './application.errors';
import type { ApplicationEntity } from './application.entity';
import { referenceNumberParts, type ReferenceNumberParts } from './reference-number';
import { type TransitionContext, TransitionHooks } from './transition-hooks';
import type { TransitionInput, TransitionWrites } from './transition-types';

export type { TransitionInput } from './transition-types';


export interface TransitionOutcome {
  applicationId: string;
  from: string;
  to: string;
  revision: number;
  referenceNumber: string | null;
  /** The row as the transition wrote it. */
  application: ApplicationEntity;
}


/** What the resident is told of a transition (mail, later other channels); handled by the notifications module. */
export const NOTIFICATION_RESIDENT_TOPIC = declareOutboxTopic('notification.resident');
/**
 * The engine's transaction: one event, one database transaction. Locks the
 * application, restores its machine, refuses what the state does not accept,
 * and writes the snapshot, the event, the outbox rows, the timers and the
 * hooks' contributions in one statement (ApplicationRepository.writeTransition).
 *
 * A transition asked for without a caller's transaction, whose hooks only
 * contribute rows (TransitionHooks.involved), is first tried without a
 * transaction at all: the row read with its row version, the same one
 * statement written only if the row is still that version. Two round trips
 * instead of four; the same rows. When the row moved meanwhile, or a hook
 * has work to do under the lock, it runs in the transaction as above.
 */
@Injectable()
export class ApplicationWorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
    private readonly registry: ProcedureRegistry,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    private readonly hooks: TransitionHooks,
  ) {}

  async transition(municipalityId: MunicipalityId, applicationId: string, input: TransitionInput, manager?: EntityManager): Promise<TransitionOutcome> {
    if (manager) return this.locked(manager, municipalityId, applicationId, input);
    const alone = this.hooks.involvedIn(input) ? null : await this.unlocked(municipalityId, applicationId, input);
    return alone ?? this.dataSource.transaction((transaction) => this.locked(transaction, municipalityId, applicationId, input));
  }

  private async locked(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, input: TransitionInput): Promise<TransitionOutcome> {
    const context = await this.plan(manager, municipalityId, applicationId, input, await this.applications.lock(manager, municipalityId, applicationId));
    await this.hooks.before(context);
    const outcome = await this.write(context);
    // The row is locked, so this only fails if someone bypassed the lock.
    if (!outcome) throw WorkflowError.revisionConflict(context.application.revision, context.application.revision + 1);
    await this.hooks.after({ ...context, revision: outcome.revision });
    return outcome;
  }

  /**
   * The transition as one statement of its own; null, having written
   * nothing, when it needs the transaction. A refusal (the guard, the
   * revision, the machine) is the answer the row as read gives: the same a
   * moment earlier under the lock.
   */
  private async unlocked(municipalityId: MunicipalityId, applicationId: string, input: TransitionInput): Promise<TransitionOutcome | null> {
    const manager = this.dataSource.manager;
    const read = await this.applications.findVersioned(manager, municipalityId, applicationId);
    const context = await this.plan(manager, municipalityId, applicationId, input, read?.application ?? null);
    if (await this.hooks.involved(context)) return null;
    return this.write(context, read!.rowVersion);
  }

  /** The machine's step on the row found, after the caller's guard and the revision check. */
  private async plan(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    applicationId: string,
    input: TransitionInput,
    application: ApplicationEntity | null,
  ): Promise<TransitionContext> {
    if (!application) throw ApplicationError.notFound(applicationId);
    const guarded = input.guard ? await input.guard(application) : undefined;
    if (input.expectedRevision !== undefined && input.expectedRevision !== application.revision) {
      throw WorkflowError.revisionConflict(input.expectedRevision, application.revision);
    }
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const at = this.clock.now();
    const payload = guarded ? { ...input.payload, ...guarded } : (input.payload ?? {});
    const result = compiled.step(application.snapshot, { type: input.type, at: at.toISOString(), actor: input.actor, payload });
    return { manager, municipalityId, application, input: { ...input, payload }, result, at };
  }

  /** The hooks' contributions and the one write; null when the row moved (nothing written). */
  private async write(context: TransitionContext, rowVersion?: string): Promise<TransitionOutcome | null> {
    const { manager, municipalityId, application, input, result, at } = context;
    const applicationId = application.id;
    const payload = input.payload ?? {};
    const submitted = result.from === 'draft' && result.to !== 'discarded';
    // Drawn in the write below, so the first submission costs no round trip of its own.
    const referenceNumber = submitted && !application.referenceNumber ? this.referenceNumberParts(municipalityId, at) : undefined;
    const revision = application.revision + 1;
    // The audit chain is appended from the outbox, in commit order: writing it
    // here would serialise every transition of a municipality on the chain.
    const writes: TransitionWrites = {
      application: {},
      outbox: [
        {
          topic: AUDIT_RECORD_TOPIC,
          payload: {
            actor: { kind: input.actor.kind === 'provider' ? 'system' : input.actor.kind, id: input.actor.id },
            action: 'application.transition',
            target: { type: 'application', id: applicationId },
            details: { event: input.type, from: result.from, to: result.to, revision },
          },
        },
      ],
      rows: [],
    };
    const notification = notificationKindFor(result.from, result.to, input.type);
    // The applicant rides along: a resident without a verified address is known to be skipped without reading the case.
    if (notification) writes.outbox.push({ topic: NOTIFICATION_RESIDENT_TOPIC, payload: { applicationId, applicantId: application.applicantId, kind: notification, revision } });
    if (result.entered) {
      for (const effect of result.meta.effects) {
        writes.outbox.push({ topic: machineEffectTopic(effect.topic), payload: { applicationId, state: result.to, revision, event: input.type } });
      }
    }
    await this.hooks.contribute({ ...context, revision, writes });
    const written = await this.applications.writeTransition(
      manager,
      municipalityId,
      applicationId,
      {
        fromRevision: application.revision,
        state: result.to,
        phase: result.meta.phase,
        snapshot: result.snapshot,
        at,
        submittedAt: submitted ? at : undefined,
        closedAt: result.meta.phase === 'final' ? at : undefined,
        referenceNumber,
        event: { type: input.type, payload, actor: input.actor, fromState: result.from, toState: result.to },
        cancelTimers: result.entered,
        timers: result.entered ? result.meta.timers.map((timer) => ({ eventType: timer.event, state: result.to, fireAt: new Date(at.getTime() + timer.afterMs) })) : [],
        writes,
      },
      rowVersion,
    );
    if (!written) return null;
    return { applicationId, from: result.from, to: result.to, revision, referenceNumber: written.referenceNumber, application: written };
  }

  private referenceNumberParts(municipalityId: MunicipalityId, at: Date): ReferenceNumberParts {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    return referenceNumberParts(settings.referenceNumberFormat, isoDateIn(at, settings.timeZone), settings.fiscalYearStartMonth);
  }
}
