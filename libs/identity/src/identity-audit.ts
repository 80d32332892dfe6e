import { Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import type { MunicipalityId } from '@madoguchi/kernel';

export const STAFF_ACCOUNT_LOCKED = 'auth.account.locked';
export const STAFF_ACCOUNT_UNLOCKED = 'auth.account.unlocked';
export const STAFF_TOTP_RESET = 'auth.totp.reset';

/** What identity records in the audit chain: ids and outcomes, never credentials. */
@Injectable()
export class IdentityAudit {
  constructor(private readonly audit: AuditService) {}

  async loginSucceeded(municipalityId: MunicipalityId, kind: 'resident' | 'staff', id: string, method: string, sessionId: string): Promise<void> {
    await this.audit.record(municipalityId, { actor: { kind, id }, action: AuditActions.LoginSucceeded, details: { method, sessionId } });
  }

  async loginFailed(municipalityId: MunicipalityId, kind: 'resident' | 'staff', id: string | null, reason: string): Promise<void> {
    await this.audit.record(municipalityId, {
      actor: id ? { kind, id } : { kind: 'anonymous', id: null },
      action: AuditActions.LoginFailed,
      details: { accountKind: kind, reason },
    });
  }

  /** A staff account reached the failure threshold: what an administrator is told (GET /admin/staff/locked lists it too). */
  async staffLocked(municipalityId: MunicipalityId, staffId: string, lockedUntil: Date, failures: number): Promise<void> {
    await this.audit.record(municipalityId, {
      actor: { kind: 'system', id: 'login-throttle' },
      action: STAFF_ACCOUNT_LOCKED,
      target: { type: 'staff', id: staffId },
      details: { lockedUntil: lockedUntil.toISOString(), failures },
    });
  }

  async staffUnlocked(municipalityId: MunicipalityId, adminId: string, staffId: string): Promise<void> {
    await this.audit.record(municipalityId, { actor: { kind: 'staff', id: adminId }, action: STAFF_ACCOUNT_UNLOCKED, target: { type: 'staff', id: staffId } });
  }

  async staffTotpReset(municipalityId: MunicipalityId, adminId: string, staffId: string): Promise<void> {
    await this.audit.record(municipalityId, { actor: { kind: 'staff', id: adminId }, action: STAFF_TOTP_RESET, target: { type: 'staff', id: staffId } });
  }

  async staffChanged(municipalityId: MunicipalityId, adminId: string, staffId: string, change: string, fields: string[]): Promise<void> {
    await this.audit.record(municipalityId, {
      actor: { kind: 'staff', id: adminId },
      action: AuditActions.ConfigChanged,
      target: { type: 'staff', id: staffId },
      details: { change, fields },
    });
  }

  async departmentChanged(municipalityId: MunicipalityId, adminId: string, code: string, change: string): Promise<void> {
    await this.audit.record(municipalityId, {
      actor: { kind: 'staff', id: adminId },
      action: AuditActions.ConfigChanged,
      target: { type: 'department', id: code },
      details: { change },
    });
  }

  async individualNumberDecrypted(municipalityId: MunicipalityId, staffId: string, residentId: string, purpose: string, departments: readonly string[]): Promise<void> {
    // subject/departments/read: the resident's access log is built from these (libs/retention).
    await this.audit.record(municipalityId, {
      actor: { kind: 'staff', id: staffId },
      action: AuditActions.IndividualNumberDecrypted,
      target: { type: 'resident', id: residentId },
      details: { purpose, subject: residentId, departments: [...departments], read: 'individualNumber' },
    });
  }

  async individualNumberDecryptedBySystem(municipalityId: MunicipalityId, component: string, residentId: string, purpose: string): Promise<void> {
    await this.audit.record(municipalityId, {
      actor: { kind: 'system', id: component },
      action: AuditActions.IndividualNumberDecrypted,
      target: { type: 'resident', id: residentId },
      details: { purpose },
    });
  }

  async personalDataRead(municipalityId: MunicipalityId, staffId: string, target: { type: string; id: string }, fields: string[]): Promise<void> {
    await this.audit.record(municipalityId, { actor: { kind: 'staff', id: staffId }, action: AuditActions.ApplicationRead, target, details: { fields } });
  }
}
