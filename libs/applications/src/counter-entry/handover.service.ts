import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import type { ResidentPrincipal, StaffPrincipal } from '@madoguchi/identity';
import { APP_CONFIG, Clock, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC } from '@madoguchi/kernel';
import { ProcedureRegistry, ProceduresService } from '@madoguchi/procedures';
import { WorkflowError } from '@madoguchi/workflow';
import { toString as renderQr } from 'qrcode';
import { type ApplicationEntity, ApplicationError, ApplicationRepository } from '@madoguchi/engine';
import { CounterEntryError } from './counter-entry.errors';
import { CounterEntryRepository } from './counter-entry.repository';
import { CounterEntryService, requireCounterRole, staffActor } from './counter-entry.service';
import type { CounterApplicationDto, HandoverDto } from './dto/counter-entry.dto';
import { HANDOVER_TTL_MS, handoverCodeHash, newHandoverCode, normalizeHandoverCode } from './handover-code';

/** The office page a handover QR opens (apps/office): it shows the code to open; the API is POST /staff/counter/handovers. */
export const HANDOVER_PAGE_PATH = '/office/counter/handovers';

/**
 * The QR handover (行かない・書かせない): a resident pre-fills a draft online
 * and shows a QR code at the counter; staff open it and finish the
 * application there. The code is random, single use, valid 15 minutes, and
 * stored only as its SHA-256. Once opened the draft is a counter application
 * entered by that staff member: the resident still owns it (and follows it
 * online) but can no longer change it.
 */
@Injectable()
export class HandoverService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ApplicationRepository,
    private readonly entries: CounterEntryRepository,
    private readonly counter: CounterEntryService,
    private readonly registry: ProcedureRegistry,
    private readonly procedures: ProceduresService,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  /** A new code for the resident's own online draft; any earlier code stops working. */
  async request(resident: ResidentPrincipal, id: string): Promise<HandoverDto> {
    const municipalityId = resident.municipalityId;
    const application = await this.repository.find(municipalityId, id);
    if (!application || application.applicantId !== resident.id) throw ApplicationError.notFound(id);
    await this.assertHandable(application);
    const code = newHandoverCode();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + HANDOVER_TTL_MS);
    const saved = await this.entries.saveHandover(municipalityId, { applicationId: id, codeHash: handoverCodeHash(code), requestedBy: resident.id, createdAt: now, expiresAt });
    // Opened by staff since we read the draft: it is at the counter now.
    if (!saved) throw ApplicationError.atCounter();
    const url = `${this.config.publicBaseUrl}${HANDOVER_PAGE_PATH}/${code}`;
    return { code, expiresAt: expiresAt.toISOString(), url, qrSvg: await renderQr(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
  }

  /**
   * Staff open a code: it is used up, the draft moves to the counter channel
   * with this staff member as the one who entered it, and the change is in
   * the application's events and the audit log. Any refusal after the code
   * matched rolls the transaction back, so the code stays usable (e.g. for
   * the desk of the department that handles the procedure).
   */
  async open(staff: StaffPrincipal, rawCode: string): Promise<CounterApplicationDto> {
    requireCounterRole(staff);
    const municipalityId = staff.municipalityId;
    const code = normalizeHandoverCode(rawCode);
    if (!code) throw CounterEntryError.handoverCodeMalformed();
    const codeHash = handoverCodeHash(code);
    const now = this.clock.now();
    const applicationId = await this.entries.transaction(async (manager) => {
      const matched = await this.entries.consumeHandover(manager, municipalityId, codeHash, staff.id, now);
      if (!matched) {
        const handover = await this.entries.findHandover(manager, municipalityId, codeHash);
        if (!handover) throw CounterEntryError.handoverNotFound();
        throw handover.usedAt ? CounterEntryError.handoverUsed() : CounterEntryError.handoverExpired();
      }
      const application = await this.repository.lock(manager, municipalityId, matched);
      // Another department's desk learns nothing about the draft.
      if (!application || !(await this.counter.departmentOwns(staff, application.procedureCode))) throw CounterEntryError.handoverNotFound();
      await this.assertHandable(application);
      if (!(await this.entries.moveToCounter(manager, municipalityId, matched, staff.id, application.revision, now))) {
        throw WorkflowError.revisionConflict(application.revision, application.revision + 1);
      }
      const revision = application.revision + 1;
      await this.repository.appendEvent(manager, municipalityId, matched, {
        seq: revision,
        type: 'application.handedOver',
        payload: { from: 'online', to: 'counter' },
        actor: staffActor(staff),
        fromState: application.state,
        toState: application.state,
        at: now,
      });
      await this.outbox.enqueue(manager, municipalityId, {
        topic: AUDIT_RECORD_TOPIC,
        applicationId: matched,
        availableAt: now,
        payload: {
          actor: { kind: 'staff', id: staff.id },
          action: 'application.handedOver',
          target: { type: 'application', id: matched },
          details: { revision },
        },
      });
      return matched;
    });
    const application = await this.repository.find(municipalityId, applicationId);
    if (!application) throw ApplicationError.notFound(applicationId);
    await this.counter.auditRead(staff, application, 'handover');
    return this.counter.view(application);
  }

  /** A draft of the online channel whose procedure takes applications at the counter today. */
  private async assertHandable(application: ApplicationEntity): Promise<void> {
    if (application.phase !== 'draft') throw ApplicationError.notDraft();
    if (application.channel !== 'online') throw ApplicationError.atCounter();
    const municipalityId = application.municipalityId as MunicipalityId;
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const openedOn = compiled.definition.channels.counter?.openedOn;
    if (!openedOn || openedOn > this.procedures.today(municipalityId)) throw ApplicationError.channelClosed('counter');
  }
}
