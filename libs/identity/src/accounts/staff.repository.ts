import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { ApprovalLevel, StaffRole } from '@madoguchi/workflow';
import { DataSource } from 'typeorm';
import type { StaffAccount } from './account.types';

interface Row {
  id: string;
  login_id: string;
  display_name: string;
  password_hash: string;
  roles: StaffRole[];
  approval_level: ApprovalLevel | null;
  departments: string[];
  totp_secret_enc: string | null;
  totp_enabled_at: Date | null;
  failed_logins: number;
  locked_until: Date | null;
  totp_last_step: string | null;
  active: boolean;
  created_at: Date;
}

const COLUMNS =
  'id, login_id, display_name, password_hash, roles, approval_level, departments, totp_secret_enc, totp_enabled_at, failed_logins, locked_until, totp_last_step, active, created_at';

const toAccount = (row: Row): StaffAccount => ({
  id: row.id,
  loginId: row.login_id,
  displayName: row.display_name,
  passwordHash: row.password_hash,
  roles: row.roles,
  approvalLevel: row.approval_level,
  departments: row.departments,
  totpSecretEnc: row.totp_secret_enc,
  totpEnabledAt: row.totp_enabled_at,
  failedLogins: row.failed_logins,
  lockedUntil: row.locked_until,
  totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  active: row.active,
  createdAt: row.created_at,
});

export interface StaffWrite {
  displayName: string;
  roles: StaffRole[];
  approvalLevel: ApprovalLevel | null;
  departments: string[];
  active: boolean;
}

@Injectable()
export class StaffRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(municipalityId: MunicipalityId, id: string): Promise<StaffAccount | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM staff WHERE municipality_id = $1 AND id = $2`, [municipalityId, id]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findByLoginId(municipalityId: MunicipalityId, loginId: string): Promise<StaffAccount | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM staff WHERE municipality_id = $1 AND login_id = $2`, [municipalityId, loginId]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async list(municipalityId: MunicipalityId): Promise<StaffAccount[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM staff WHERE municipality_id = $1 ORDER BY login_id`, [municipalityId]);
    return rows.map(toAccount);
  }

  async insert(
    municipalityId: MunicipalityId,
    account: StaffWrite & { id: string; loginId: string; passwordHash: string; totpSecretEnc: string | null; totpEnabledAt: Date | null; now: Date },
  ): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO staff (municipality_id, id, login_id, display_name, password_hash, password_changed_at, roles, approval_level, departments,
                          totp_secret_enc, totp_enabled_at, active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $6, $6)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        municipalityId,
        account.id,
        account.loginId,
        account.displayName,
        account.passwordHash,
        account.now,
        account.roles,
        account.approvalLevel,
        account.departments,
        account.totpSecretEnc,
        account.totpEnabledAt,
        account.active,
      ],
    );
    return rows.length === 1;
  }

  async update(municipalityId: MunicipalityId, id: string, write: StaffWrite, now: Date): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE staff SET display_name = $3, roles = $4, approval_level = $5, departments = $6, active = $7, updated_at = $8
        WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, write.displayName, write.roles, write.approvalLevel, write.departments, write.active, now],
    );
    return count === 1;
  }

  /**
   * Counts a failed sign-in in one statement; reaching the threshold locks
   * the account and restarts the count. Says whether this failure locked it,
   * so the lock is reported once.
   */
  async recordFailedLogin(municipalityId: MunicipalityId, id: string, threshold: number, lockUntil: Date): Promise<{ locked: boolean }> {
    const [rows]: [Array<{ failed_logins: number }>, number] = await this.dataSource.query(
      `UPDATE staff SET failed_logins = CASE WHEN failed_logins + 1 >= $3 THEN 0 ELSE failed_logins + 1 END,
                        locked_until = CASE WHEN failed_logins + 1 >= $3 THEN $4 ELSE locked_until END
        WHERE municipality_id = $1 AND id = $2 RETURNING failed_logins`,
      [municipalityId, id, threshold, lockUntil],
    );
    return { locked: rows[0]?.failed_logins === 0 };
  }

  async recordSuccessfulLogin(municipalityId: MunicipalityId, id: string): Promise<void> {
    await this.dataSource.query(`UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE municipality_id = $1 AND id = $2`, [municipalityId, id]);
  }

  /** Ends a lock; false when the account was not locked at `now`. */
  async unlock(municipalityId: MunicipalityId, id: string, now: Date): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE staff SET failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE municipality_id = $1 AND id = $2 AND locked_until > $3`,
      [municipalityId, id, now],
    );
    return count === 1;
  }

  async listLocked(municipalityId: MunicipalityId, now: Date): Promise<StaffAccount[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM staff WHERE municipality_id = $1 AND locked_until > $2 ORDER BY locked_until, login_id`, [
      municipalityId,
      now,
    ]);
    return rows.map(toAccount);
  }

  /**
   * Claims a TOTP time step for a sign-in. The row lock of the UPDATE makes
   * two concurrent sign-ins with the same code queue; the second finds the
   * step taken and gets false.
   */
  async claimTotpStep(municipalityId: MunicipalityId, id: string, step: number): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE staff SET totp_last_step = $3 WHERE municipality_id = $1 AND id = $2 AND (totp_last_step IS NULL OR totp_last_step < $3)`,
      [municipalityId, id, step],
    );
    return count === 1;
  }

  async setPassword(municipalityId: MunicipalityId, id: string, passwordHash: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE staff SET password_hash = $3, password_changed_at = $4, failed_logins = 0, locked_until = NULL, updated_at = $4
        WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, passwordHash, now],
    );
  }

  /** A new secret (or none) forgets the last step used, which belonged to the old one. */
  async setTotp(municipalityId: MunicipalityId, id: string, secretEnc: string | null, enabledAt: Date | null, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE staff SET totp_secret_enc = $3, totp_enabled_at = $4, totp_last_step = NULL, updated_at = $5 WHERE municipality_id = $1 AND id = $2`, [
      municipalityId,
      id,
      secretEnc,
      enabledAt,
      now,
    ]);
  }
}
