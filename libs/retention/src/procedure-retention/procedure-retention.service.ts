import { CaseAccess } from '@madoguchi/engine';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@madoguchi/audit';
import { type StaffPrincipal, IdentityError } from '@madoguchi/identity';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { ProcedureRetentionRepository } from './procedure-retention.repository';
import type { LegalHoldStatusDto, RetentionPreviewDto } from './retention.dto';
import { RetentionError } from './retention.errors';

const BATCH = 200;
const PREVIEW_MAX = 1_000_000;
const HOLD_ROLES = ['reviewer', 'approver'];

/**
 * Retention of closed cases' personal data by procedure (文書保存年限):
 * the worker's erasure run, its dry-run preview, and legal holds. Erasure
 * keeps what statistics and KPIs read (procedure, channel, dates, fee,
 * outcome, department) and audits each category erased with ids only.
 */
@Injectable()
export class ProcedureRetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly retention: ProcedureRetentionRepository,
    private readonly access: CaseAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Erases what is due, in batches; returns how many case categories it erased. */
  async run(): Promise<number> {
    const now = this.clock.now();
    let erased = 0;
    for (;;) {
      const due = await this.retention.due(now, BATCH);
      let progressed = 0;
      for (const item of due) {
        // One transaction per case category: the erasure and its audit entry commit together.
        const done = await this.retention.transaction(async (manager) => {
          if (!(await this.retention.erase(manager, item.municipalityId, item.applicationId, item.category, now))) return false;
          await this.audit.record(
            item.municipalityId,
            {
              actor: { kind: 'system', id: 'retention' },
              action: 'personalData.erased',
              target: { type: 'application', id: item.applicationId },
              details: { category: item.category, procedureCode: item.procedureCode },
            },
            manager,
          );
          return true;
        });
        if (done) progressed += 1;
      }
      erased += progressed;
      if (due.length < BATCH || progressed === 0) break;
    }
    if (erased > 0) this.logger.log({ msg: 'personal data erased', count: erased });
    return erased;
  }

  async preview(staff: StaffPrincipal): Promise<RetentionPreviewDto> {
    if (!staff.roles.includes('administrator')) throw IdentityError.forbidden();
    const now = this.clock.now();
    const due = await this.retention.due(now, PREVIEW_MAX, staff.municipalityId);
    const counts = new Map<string, { procedureCode: string; category: string; cases: number }>();
    for (const item of due) {
      const key = `${item.procedureCode}\u0000${item.category}`;
      const row = counts.get(key) ?? { procedureCode: item.procedureCode, category: item.category, cases: 0 };
      row.cases += 1;
      counts.set(key, row);
    }
    const rows = [...counts.values()].sort((a, b) => a.procedureCode.localeCompare(b.procedureCode) || a.category.localeCompare(b.category));
    return { asOf: now.toISOString(), rows, heldCases: await this.retention.heldCount(staff.municipalityId) };
  }

  async placeHold(staff: StaffPrincipal, applicationId: string, reason: string): Promise<LegalHoldStatusDto> {
    await this.access.staffCase(staff, applicationId, HOLD_ROLES);
    const now = this.clock.now();
    await this.retention.transaction(async (manager) => {
      await this.retention.placeHold(manager, staff.municipalityId, applicationId, reason, staff.id, now);
      // The reason is free text and may name the resident: it stays with the hold, not in the log.
      await this.audit.record(staff.municipalityId, { actor: { kind: 'staff', id: staff.id }, action: 'application.legalHold.placed', target: { type: 'application', id: applicationId } }, manager);
    });
    return this.status(staff.municipalityId, applicationId);
  }

  async releaseHold(staff: StaffPrincipal, applicationId: string): Promise<LegalHoldStatusDto> {
    await this.access.staffCase(staff, applicationId, HOLD_ROLES);
    await this.retention.transaction(async (manager) => {
      if (!(await this.retention.releaseHold(manager, staff.municipalityId, applicationId))) throw RetentionError.noLegalHold();
      await this.audit.record(staff.municipalityId, { actor: { kind: 'staff', id: staff.id }, action: 'application.legalHold.released', target: { type: 'application', id: applicationId } }, manager);
    });
    return this.status(staff.municipalityId, applicationId);
  }

  private async status(municipalityId: MunicipalityId, applicationId: string): Promise<LegalHoldStatusDto> {
    const hold = await this.retention.hold(municipalityId, applicationId);
    return { applicationId, held: hold !== null, reason: hold?.reason ?? null, placedAt: hold ? new Date(hold.placedAt).toISOString() : null };
  }
}
