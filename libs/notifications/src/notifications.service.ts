import { CaseAccess, ApplicationWorkflowService } from '@madoguchi/engine';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AppConfig, MunicipalityDirectory } from '@madoguchi/config';
import { ResidentRepository } from '@madoguchi/identity';
import { APP_CONFIG, Clock, localParts, type MunicipalityId, type OutboxMessage } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { type NotificationKind, WorkflowError } from '@madoguchi/workflow';
import { EmailChannel, type NotificationChannel } from './notification-channel';
import { type FailedNotification, NotificationRepository } from './notification.repository';
import { renderNotification } from './notification-templates';

/**
 * Tells residents about their applications, from the outbox: at least once,
 * retried with backoff by the outbox, never twice for the same transition
 * once it went out. Failures are kept for staff to see.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');
  private readonly channels: NotificationChannel[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: NotificationRepository,
    private readonly applications: CaseAccess,
    private readonly workflow: ApplicationWorkflowService,
    private readonly registry: ProcedureRegistry,
    private readonly residents: ResidentRepository,
    private readonly clock: Clock,
    private readonly directory: MunicipalityDirectory,
    email: EmailChannel,
  ) {
    this.channels = [email];
  }

  /** Handler of `notification.resident`, written by the engine with the transition. */
  async onTransition(message: OutboxMessage): Promise<void> {
    const { applicationId, kind, revision } = message.payload as { applicationId: string; kind: NotificationKind; revision: number };
    await this.notify(message.municipalityId, applicationId, kind, `${applicationId}:${revision}:${kind}`, message.id);
  }

  /**
   * Handler of `notification.send`, the effect of a procedure's notify step:
   * the decision or document notice, then the step completes.
   */
  async onNotifyStep(message: OutboxMessage): Promise<void> {
    const { applicationId, revision } = message.payload as { applicationId: string; revision: number };
    try {
      await this.workflow.transition(message.municipalityId, applicationId, {
        type: 'notification.sent',
        actor: { kind: 'system', id: 'notifications' },
        payload: { outboxId: message.id },
        expectedRevision: revision,
      });
    } catch (error) {
      // Redelivered after the step already completed: nothing more to do.
      if (!(error instanceof WorkflowError)) throw error;
    }
  }

  failed(municipalityId: MunicipalityId): Promise<FailedNotification[]> {
    return this.repository.failed(municipalityId);
  }

  /** The fee the engine recorded and the deadline timer, in the municipality's local time. */
  private async paymentDetails(
    municipalityId: MunicipalityId,
    application: { id: string; snapshot: Record<string, unknown> },
  ): Promise<{ amount: number | null; deadline: { date: string; time: string } | null }> {
    const fee = (application.snapshot.context as { fee?: { amount?: unknown } } | undefined)?.fee?.amount;
    const fireAt = await this.repository.paymentDeadline(municipalityId, application.id);
    const local = fireAt ? localParts(fireAt, this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo') : null;
    return {
      amount: typeof fee === 'number' && fee > 0 ? fee : null,
      deadline: local ? { date: local.date, time: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}` } : null,
    };
  }

  private async notify(municipalityId: MunicipalityId, applicationId: string, kind: NotificationKind, dedupeKey: string, outboxId: string): Promise<void> {
    if (await this.repository.wasSent(municipalityId, dedupeKey)) return;
    const application = await this.applications.get(municipalityId, applicationId);
    const resident = application.applicantId ? await this.residents.findById(municipalityId, application.applicantId) : null;
    const channel = this.channels[0];
    const now = this.clock.now();
    if (!resident?.email || !resident.emailVerifiedAt) {
      // Counter applicants without an account, card-only residents: nothing to send to.
      await this.repository.record(municipalityId, { applicationId, kind, channel: channel.name, status: 'skipped', error: null, dedupeKey, now });
      return;
    }
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const rendered = renderNotification(kind, {
      procedureName: compiled.definition.name,
      referenceNumber: application.referenceNumber,
      link: `${this.config.publicBaseUrl}/applications/${applicationId}`,
      payment: kind === 'paymentDue' || kind === 'deadlineApproaching' ? await this.paymentDetails(municipalityId, application) : undefined,
      refund: kind === 'bookingCancelled' ? { amount: refundOf(application.snapshot.context) } : undefined,
    });
    try {
      await channel.send(resident.email, { ...rendered, messageId: `<notification-${municipalityId}-${outboxId}@madoguchi>` });
    } catch (error) {
      await this.repository.record(municipalityId, {
        applicationId,
        kind,
        channel: channel.name,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
        dedupeKey,
        now,
      });
      this.logger.warn({ msg: 'notification failed', kind, applicationId });
      throw error;
    }
    await this.repository.record(municipalityId, { applicationId, kind, channel: channel.name, status: 'sent', error: null, dedupeKey, now });
  }
}

/** What the booking cancellation recorded as given back (the machine's `cancellation` context). */
function refundOf(context: unknown): number {
  const amount = (context as { cancellation?: { refundAmount?: unknown } | null } | undefined)?.cancellation?.refundAmount;
  return typeof amount === 'number' && Number.isInteger(amount) && amount > 0 ? amount : 0;
}
