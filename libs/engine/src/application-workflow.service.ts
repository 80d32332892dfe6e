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
import { TransitionHooks } from './transition-hooks';
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
    const guarded = input.guard ? await input.guard(application) : undefined;
    if (input.expectedRevision !== undefined && input.expectedRevision !== application.revision) {
      throw WorkflowError.revisionConflict(input.expectedRevision, application.revision);
    }
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const at = this.clock.now();
    const payload = guarded ? { ...input.payload, ...guarded } : (input.payload ?? {});
    const result = compiled.step(application.snapshot, { type: input.type, at: at.toISOString(), actor: input.actor, payload });
    const hookContext = { manager, municipalityId, application, input: { ...input, payload }, result, at };
    await this.hooks.before(hookContext);

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
    await this.hooks.contribute({ ...hookContext, revision, writes });
    const written = await this.applications.writeTransition(manager, municipalityId, applicationId, {
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
    });
    // The row is locked, so this only fails if someone bypassed the lock.
    if (written === null) throw WorkflowError.revisionConflict(application.revision, application.revision + 1);
    await this.hooks.after({ ...hookContext, revision });
    return {
      applicationId,
      from: result.from,
      to: result.to,
      revision,
      referenceNumber: written.referenceNumber,
      application: written,
    };
  }

  private referenceNumberParts(municipalityId: MunicipalityId, at: Date): ReferenceNumberParts {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    return referenceNumberParts(settings.referenceNumberFormat, isoDateIn(at, settings.timeZone), settings.fiscalYearStartMonth);
  }
}
