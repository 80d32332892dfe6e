import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { type ApprovalLevel, type StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { Secret } from 'otpauth';
import type { StaffAccount } from '../accounts/account.types';
import { type Department, DepartmentRepository } from '../accounts/department.repository';
import { StaffRepository } from '../accounts/staff.repository';
import { FieldCipher } from '../crypto/field-cipher';
import { hashPassword } from '../crypto/passwords';
import { IdentityError } from '../identity.errors';
import { IdentityAudit } from '../identity-audit';
import { assertStrongPassword } from '../crypto/password-strength';
import { SessionService } from '../sessions/session.service';
import { totpContext, totpFor } from './staff-auth.service';

export interface StaffInput {
  displayName: string;
  roles: StaffRole[];
  approvalLevel: ApprovalLevel | null;
  departments: string[];
  active: boolean;
}

/** Administrators manage staff and departments; every change is audited. */
@Injectable()
export class StaffAdminService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly departments: DepartmentRepository,
    private readonly sessions: SessionService,
    private readonly cipher: FieldCipher,
    private readonly audit: IdentityAudit,
    private readonly clock: Clock,
  ) {}

  list(municipalityId: MunicipalityId): Promise<StaffAccount[]> {
    return this.staff.list(municipalityId);
  }

  async get(municipalityId: MunicipalityId, id: string): Promise<StaffAccount> {
    const account = await this.staff.findById(municipalityId, id);
    if (!account) throw IdentityError.notFound();
    return account;
  }

  /**
   * A new administrator gets TOTP enrolled here, since administrators cannot
   * sign in without it: the secret is returned once, for the creator to hand over.
   */
  async create(
    municipalityId: MunicipalityId,
    adminId: string,
    input: StaffInput & { loginId: string; password: string },
  ): Promise<{ account: StaffAccount; totp: { secret: string; otpauthUri: string } | null }> {
    await this.assertValid(municipalityId, input);
    await assertStrongPassword(input.password, [input.loginId, input.displayName]);
    const id = randomUUID();
    const now = this.clock.now();
    const secret = input.roles.includes('administrator') ? new Secret({ size: 20 }).base32 : null;
    const inserted = await this.staff.insert(municipalityId, {
      ...input,
      id,
      passwordHash: await hashPassword(input.password),
      totpSecretEnc: secret ? this.cipher.encrypt(secret, totpContext(municipalityId, id)) : null,
      totpEnabledAt: secret ? now : null,
      now,
    });
    if (!inserted) throw IdentityError.conflict(`Staff login "${input.loginId}"`);
    await this.audit.staffChanged(municipalityId, adminId, id, 'created', ['loginId', 'roles', 'approvalLevel', 'departments']);
    return {
      account: await this.get(municipalityId, id),
      totp: secret ? { secret, otpauthUri: totpFor(secret, input.loginId).toString() } : null,
    };
  }

  async update(municipalityId: MunicipalityId, adminId: string, id: string, input: StaffInput): Promise<StaffAccount> {
    await this.assertValid(municipalityId, input);
    const before = await this.get(municipalityId, id);
    if (input.roles.includes('administrator') && !before.totpEnabledAt) {
      throw new IdentityError(422, 'IDENTITY_TOTP_REQUIRED_FOR_ADMINISTRATOR', {
        ja: '管理者にするには、先に本人が二要素認証を設定する必要があります。',
        en: 'The staff member must set up two-factor authentication before becoming an administrator.',
      });
    }
    if (!(await this.staff.update(municipalityId, id, input, this.clock.now()))) throw IdentityError.notFound();
    const changed = (['displayName', 'roles', 'approvalLevel', 'departments', 'active'] as const).filter(
      (field) => JSON.stringify(before[field]) !== JSON.stringify(input[field]),
    );
    // Fewer rights or a deactivated account take effect now, not at token expiry.
    if (changed.some((field) => field !== 'displayName')) await this.sessions.revokeAllOf(municipalityId, { kind: 'staff', id }, 'account changed');
    await this.audit.staffChanged(municipalityId, adminId, id, 'updated', changed);
    return this.get(municipalityId, id);
  }

  /** Staff locked now (too many failed sign-ins), for administrators to look into. */
  listLocked(municipalityId: MunicipalityId): Promise<StaffAccount[]> {
    return this.staff.listLocked(municipalityId, this.clock.now());
  }

  async unlock(municipalityId: MunicipalityId, adminId: string, id: string): Promise<void> {
    await this.get(municipalityId, id);
    if (!(await this.staff.unlock(municipalityId, id, this.clock.now()))) {
      throw new IdentityError(409, 'IDENTITY_STAFF_NOT_LOCKED', { ja: 'このアカウントはロックされていません。', en: 'This account is not locked.' });
    }
    await this.audit.staffUnlocked(municipalityId, adminId, id);
  }

  /**
   * For someone who lost their authenticator: a new secret, active at once,
   * shown once to the resetting administrator to hand over in person. Safer
   * than clearing the enrolment for the owner to redo: in between, the
   * password alone would open the account (and for an administrator, would
   * let whoever holds the password enrol their own authenticator). The old
   * secret stops working and every session of the account ends. Nobody
   * resets their own: that needs a second administrator.
   */
  async resetTotp(municipalityId: MunicipalityId, adminId: string, id: string): Promise<{ secret: string; otpauthUri: string }> {
    if (id === adminId) throw IdentityError.cannotResetOwnTotp();
    const account = await this.get(municipalityId, id);
    const secret = new Secret({ size: 20 }).base32;
    const now = this.clock.now();
    await this.staff.setTotp(municipalityId, id, this.cipher.encrypt(secret, totpContext(municipalityId, id)), now, now);
    await this.sessions.revokeAllOf(municipalityId, { kind: 'staff', id }, 'totp reset');
    await this.audit.staffTotpReset(municipalityId, adminId, id);
    return { secret, otpauthUri: totpFor(secret, account.loginId).toString() };
  }

  /** At boot: departments named in the settings files that the table lacks. */
  async seedDepartments(municipalities: Array<{ id: string; departments: Array<{ code: string; name: { ja: string; en: string } }> }>): Promise<void> {
    for (const municipality of municipalities) {
      await this.departments.seed(municipality.id as MunicipalityId, municipality.departments, this.clock.now());
    }
  }

  listDepartments(municipalityId: MunicipalityId): Promise<Department[]> {
    return this.departments.list(municipalityId);
  }

  async createDepartment(municipalityId: MunicipalityId, adminId: string, department: Department): Promise<void> {
    if (!(await this.departments.insert(municipalityId, department, this.clock.now()))) throw IdentityError.conflict(`Department "${department.code}"`);
    await this.audit.departmentChanged(municipalityId, adminId, department.code, 'created');
  }

  async updateDepartment(municipalityId: MunicipalityId, adminId: string, department: Department): Promise<void> {
    if (!(await this.departments.update(municipalityId, department, this.clock.now()))) throw IdentityError.notFound();
    await this.audit.departmentChanged(municipalityId, adminId, department.code, 'updated');
  }

  /**
   * The first administrator, from the command line: TOTP is enrolled on the
   * spot because administrators cannot sign in without it.
   */
  async bootstrapAdministrator(
    municipalityId: MunicipalityId,
    input: { loginId: string; displayName: string; password: string },
  ): Promise<{ id: string; totpSecret: string; otpauthUri: string }> {
    await assertStrongPassword(input.password, [input.loginId, input.displayName]);
    const id = randomUUID();
    const secret = new Secret({ size: 20 }).base32;
    const now = this.clock.now();
    const inserted = await this.staff.insert(municipalityId, {
      id,
      loginId: input.loginId,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      roles: ['administrator'],
      approvalLevel: null,
      departments: [],
      active: true,
      totpSecretEnc: this.cipher.encrypt(secret, totpContext(municipalityId, id)),
      totpEnabledAt: now,
      now,
    });
    if (!inserted) throw IdentityError.conflict(`Staff login "${input.loginId}"`);
    await this.audit.staffChanged(municipalityId, 'bootstrap', id, 'created', ['loginId', 'roles']);
    return { id, totpSecret: secret, otpauthUri: totpFor(secret, input.loginId).toString() };
  }

  private async assertValid(municipalityId: MunicipalityId, input: StaffInput): Promise<void> {
    if (input.roles.includes('approver') !== (input.approvalLevel !== null)) {
      throw new IdentityError(422, 'IDENTITY_STAFF_INVALID', {
        ja: '決裁者には決裁区分（係長・課長・部長）が必要で、決裁者以外には設定できません。',
        en: 'Approvers need an approval level, and only approvers may have one.',
      });
    }
    const known = await this.departments.existing(municipalityId, input.departments);
    const unknown = input.departments.filter((code) => !known.includes(code));
    if (unknown.length > 0) {
      throw new IdentityError(422, 'IDENTITY_UNKNOWN_DEPARTMENT', { ja: '存在しない課が指定されています。', en: 'Unknown department.' }, { departments: unknown });
    }
  }
}
