import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';
import type { ResidentAccount, ResidentName } from './account.types';

interface Row {
  id: string;
  email: string | null;
  email_verified_at: Date | null;
  password_hash: string | null;
  failed_logins: number;
  locked_until: Date | null;
  jpki_subject: string | null;
  individual_number_enc: string | null;
  name: string | null;
  name_kana: string | null;
  created_at: Date;
}

const COLUMNS = 'id, email, email_verified_at, password_hash, failed_logins, locked_until, jpki_subject, individual_number_enc, name, name_kana, created_at';

const toAccount = (row: Row): ResidentAccount => ({
  id: row.id,
  email: row.email,
  emailVerifiedAt: row.email_verified_at,
  passwordHash: row.password_hash,
  failedLogins: row.failed_logins,
  lockedUntil: row.locked_until,
  jpkiSubject: row.jpki_subject,
  individualNumberEnc: row.individual_number_enc,
  name: row.name,
  nameKana: row.name_kana,
  createdAt: row.created_at,
});

@Injectable()
export class ResidentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(municipalityId: MunicipalityId, id: string): Promise<ResidentAccount | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM residents WHERE municipality_id = $1 AND id = $2`, [municipalityId, id]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findByEmail(municipalityId: MunicipalityId, email: string): Promise<ResidentAccount | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM residents WHERE municipality_id = $1 AND lower(email) = lower($2)`, [
      municipalityId,
      email,
    ]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findByJpkiSubject(municipalityId: MunicipalityId, subject: string): Promise<ResidentAccount | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM residents WHERE municipality_id = $1 AND jpki_subject = $2`, [
      municipalityId,
      subject,
    ]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  /** Returns false when the e-mail (or card) is already registered. */
  async insert(
    municipalityId: MunicipalityId,
    account: { id: string; email: string | null; passwordHash: string | null; jpkiSubject: string | null; now: Date; name?: ResidentName | null },
  ): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO residents (municipality_id, id, email, password_hash, password_changed_at, jpki_subject, name, name_kana, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $5, $5)
       ON CONFLICT DO NOTHING RETURNING id`,
      [municipalityId, account.id, account.email, account.passwordHash, account.now, account.jpkiSubject, account.name?.name ?? null, account.name?.kana ?? null],
    );
    return rows.length === 1;
  }

  async markEmailVerified(municipalityId: MunicipalityId, id: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE residents SET email_verified_at = COALESCE(email_verified_at, $3), updated_at = $3 WHERE municipality_id = $1 AND id = $2`, [
      municipalityId,
      id,
      now,
    ]);
  }

  async setPassword(municipalityId: MunicipalityId, id: string, passwordHash: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE residents SET password_hash = $3, password_changed_at = $4, failed_logins = 0, locked_until = NULL, updated_at = $4
        WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, passwordHash, now],
    );
  }

  async setIndividualNumber(municipalityId: MunicipalityId, id: string, encrypted: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE residents SET individual_number_enc = $3, updated_at = $4 WHERE municipality_id = $1 AND id = $2`, [
      municipalityId,
      id,
      encrypted,
      now,
    ]);
  }

  async linkJpkiSubject(municipalityId: MunicipalityId, id: string, subject: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE residents SET jpki_subject = $3, updated_at = $4 WHERE municipality_id = $1 AND id = $2`, [municipalityId, id, subject, now]);
  }
}
