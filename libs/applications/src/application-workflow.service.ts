import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { Clock, isoDateIn, type MunicipalityId } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { notificationKindFor, OutboxRepository, TimerRepository, type WorkflowActor, WorkflowError, AUDIT_RECORD_TOPIC, machineEffectTopic, declareOutboxTopic } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationRepository } from './application.repository';
import { ApplicationError } from './application.errors';
import { referenceNumberParts } from './reference-number';
import { TransitionHooks } from './transition-hooks';

export interface TransitionInput {
  type: string;
  payload?: Record<string, unknown>;
  actor: WorkflowActor;
  /** The revision the caller last saw; a different current revision is a 409. */
  expectedRevision?: number;
}

export interface TransitionOutcome {
  applicationId: string;
  from: string;
  to: string;
  revision: number;
  referenceNumber: string | null;
}


/** What the resident is told of a transition (mail, later other channels); handled by the notifications module. */
export const NOTIFICATION_RESIDENT_TOPIC = declareOutboxTopic('notification.resident');
/**
 * The engine's transaction: one event, one database transaction. Locks the
 * application, restores its machine, refuses what the state does not accept,
 * and writes the snapshot, the event, the outbox rows and the timers together.
 */
@Injectable()
export class ApplicationWorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
    private readonly registry: ProcedureRegistry,
    private readonly outbox: OutboxRepository,
    private readonly timers: TimerRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    private readonly hooks: TransitionHooks,
  ) {}

  transition(municipalityId: MunicipalityId, applicationId: string, input: TransitionInput, manager?: EntityManager): Promise<TransitionOutcome> {
    return manager
      ? this.transitionIn(manager, municipalityId, applicationId, input)
      : this.dataSource.transaction((transaction) => this.transitionIn(transaction, municipalityId, applicationId, input));
  }

  private async transitionIn(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    applicationId: string,
    input: TransitionInput,
  ): Promise<TransitionOutcome> {
    const application = await this.applications.lock(manager, municipalityId, applicationId);
    if (!application) throw ApplicationError.notFound(applicationId);
    if (input.expectedRevision !== undefined && input.expectedRevision !== application.revision) {
      throw WorkflowError.revisionConflict(input.expectedRevision, application.revision);
    }
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const at = this.clock.now();
    const payload = input.payload ?? {};
    const result = compiled.step(application.snapshot, { type: input.type, at: at.toISOString(), actor: input.actor, payload });
    const hookContext = { manager, municipalityId, application, input, result, at };
    await this.hooks.before(hookContext);

    const submitted = result.from === 'draft' && result.to !== 'discarded';
    const referenceNumber = submitted && !application.referenceNumber ? await this.assignReferenceNumber(manager, municipalityId, at) : undefined;
    const written = await this.applications.writeTransition(manager, municipalityId, applicationId, {
      fromRevision: application.revision,
      state: result.to,
      phase: result.meta.phase,
      snapshot: result.snapshot,
      at,
      submittedAt: submitted ? at : undefined,
      closedAt: result.meta.phase === 'final' ? at : undefined,
      referenceNumber,
    });
    // The row is locked, so this only fails if someone bypassed the lock.
    if (!written) throw WorkflowError.revisionConflict(application.revision, application.revision + 1);
    const revision = application.revision + 1;
    await this.applications.appendEvent(manager, municipalityId, applicationId, {
      seq: revision,
      type: input.type,
      payload,
      actor: input.actor,
      fromState: result.from,
      toState: result.to,
      at,
    });
    // The audit chain is appended from the outbox, in commit order: writing it
    // here would serialise every transition of a municipality on the chain.
    await this.outbox.enqueue(manager, municipalityId, {
      topic: AUDIT_RECORD_TOPIC,
      applicationId,
      availableAt: at,
      payload: {
        actor: { kind: input.actor.kind === 'provider' ? 'system' : input.actor.kind, id: input.actor.id },
        action: 'application.transition',
        target: { type: 'application', id: applicationId },
        details: { event: input.type, from: result.from, to: result.to, revision },
      },
    });
    const notification = notificationKindFor(result.from, result.to, input.type);
    if (notification) {
      await this.outbox.enqueue(manager, municipalityId, {
        topic: NOTIFICATION_RESIDENT_TOPIC,
        applicationId,
        availableAt: at,
        payload: { applicationId, kind: notification, revision },
      });
    }
    if (result.entered) {
      await this.timers.cancelForApplication(manager, municipalityId, applicationId, at);
      for (const timer of result.meta.timers) {
        await this.timers.schedule(manager, municipalityId, {
          applicationId,
          eventType: timer.event,
          state: result.to,
          fireAt: new Date(at.getTime() + timer.afterMs),
          now: at,
        });
      }
      for (const effect of result.meta.effects) {
        await this.outbox.enqueue(manager, municipalityId, {
          topic: machineEffectTopic(effect.topic),
          applicationId,
          availableAt: at,
          payload: { applicationId, state: result.to, revision, event: input.type },
        });
      }
    }
    await this.hooks.after({ ...hookContext, revision });
    return {
      applicationId,
      from: result.from,
      to: result.to,
      revision,
      referenceNumber: referenceNumber ?? application.referenceNumber,
    };
  }

  private async assignReferenceNumber(manager: EntityManager, municipalityId: MunicipalityId, at: Date): Promise<string> {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    const parts = referenceNumberParts(settings.referenceNumberFormat, isoDateIn(at, settings.timeZone), settings.fiscalYearStartMonth);
    return parts.render(await this.applications.nextReferenceSequence(manager, municipalityId, parts.scope));
  }
}
