import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Account closure, in one place: what an account holds (e-mail, password
 * hash, card subject, individual number, sessions, one-time tokens, sign-in
 * transactions, files uploaded but never attached to a case) goes at once;
 * the residents row stays as a tombstone (its id, closed_at) because cases,
 * bookings and the audit log refer to that id. Cases keep their procedures'
 * schedules.
 */
@Injectable()
export class AccountClosureRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async passwordHash(municipalityId: MunicipalityId, residentId: string): Promise<string | null | undefined> {
    const rows = await this.dataSource.query(`SELECT password_hash FROM residents WHERE municipality_id = $1 AND id = $2 AND closed_at IS NULL`, [municipalityId, residentId]);
    return rows[0] ? rows[0].password_hash : undefined;
  }

  async close(manager: EntityManager, municipalityId: MunicipalityId, residentId: string, at: Date): Promise<{ attachmentsDeleted: number }> {
    await manager.query(`DELETE FROM sessions WHERE municipality_id = $1 AND subject_kind = 'resident' AND subject_id = $2`, [municipalityId, residentId]);
    await manager.query(`DELETE FROM one_time_tokens WHERE municipality_id = $1 AND subject_kind = 'resident' AND subject_id = $2`, [municipalityId, residentId]);
    await manager.query(`DELETE FROM mynumber_oidc_transactions WHERE municipality_id = $1 AND resident_id = $2`, [municipalityId, residentId]);
    const [, attachmentsDeleted]: [unknown, number] = await manager.query(
      `DELETE FROM attachments a WHERE a.municipality_id = $1 AND a.owner_resident_id = $2
          AND NOT EXISTS (SELECT 1 FROM application_attachments l WHERE l.municipality_id = a.municipality_id AND l.attachment_id = a.id)`,
      [municipalityId, residentId],
    );
    await manager.query(
      `UPDATE residents SET email = NULL, email_verified_at = NULL, password_hash = NULL, password_changed_at = NULL, jpki_subject = NULL,
              individual_number_enc = NULL, name = NULL, name_kana = NULL, failed_logins = 0, locked_until = NULL, closed_at = $3, updated_at = $3
        WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, residentId, at],
    );
    return { attachmentsDeleted };
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
