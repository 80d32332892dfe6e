import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';

export const IDENTITY_DOCUMENTS = ['myNumberCard', 'driversLicense', 'passport', 'residenceCard', 'healthInsuranceCard', 'other'] as const;
export type IdentityDocument = (typeof IDENTITY_DOCUMENTS)[number];

export interface IdentityCheck {
  id: string;
  applicationId: string;
  method: IdentityDocument;
  documentsShown: number | null;
  note: string | null;
  checkedBy: string;
  checkedAt: Date;
}

export interface HandoverRow {
  applicationId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

interface IdentityCheckRow {
  id: string;
  application_id: string;
  method: IdentityDocument;
  documents_shown: number | null;
  note: string | null;
  checked_by: string;
  checked_at: Date;
}

/**
 * The handover codes and identity checks of assisted entry, and the one
 * change counter entry makes to an application row itself: moving a draft
 * to the counter channel (the lifecycle stays with ApplicationRepository).
 */
@Injectable()
export class CounterEntryRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Replaces any earlier code of the draft: only the newest one opens it. A
   * code already used is never replaced (the draft went to the counter):
   * answers false then.
   */
  async saveHandover(
    municipalityId: MunicipalityId,
    handover: { applicationId: string; codeHash: string; requestedBy: string; createdAt: Date; expiresAt: Date },
  ): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO application_handovers (municipality_id, application_id, code_hash, requested_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (municipality_id, application_id) DO UPDATE
         SET code_hash = EXCLUDED.code_hash, requested_by = EXCLUDED.requested_by, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
         WHERE application_handovers.used_at IS NULL
       RETURNING application_id`,
      [municipalityId, handover.applicationId, handover.codeHash, handover.requestedBy, handover.createdAt, handover.expiresAt],
    );
    return rows.length === 1;
  }

  /**
   * Marks a live code used and answers its draft, or null. The conditional
   * UPDATE is the single-use guarantee: of two staff opening one code at
   * once, the second waits on the row and then matches nothing.
   */
  async consumeHandover(manager: EntityManager, municipalityId: MunicipalityId, codeHash: string, staffId: string, now: Date): Promise<string | null> {
    const [rows]: [Array<{ application_id: string }>, number] = await manager.query(
      `UPDATE application_handovers SET used_at = $4, used_by = $3
        WHERE municipality_id = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > $4
        RETURNING application_id`,
      [municipalityId, codeHash, staffId, now],
    );
    return rows[0]?.application_id ?? null;
  }

  /** Why a code did not open: unknown, used or expired. */
  async findHandover(manager: EntityManager, municipalityId: MunicipalityId, codeHash: string): Promise<HandoverRow | null> {
    const rows: Array<{ application_id: string; expires_at: Date; used_at: Date | null }> = await manager.query(
      `SELECT application_id, expires_at, used_at FROM application_handovers WHERE municipality_id = $1 AND code_hash = $2`,
      [municipalityId, codeHash],
    );
    return rows[0] ? { applicationId: rows[0].application_id, expiresAt: rows[0].expires_at, usedAt: rows[0].used_at } : null;
  }

  /**
   * The draft becomes a counter application entered by `staffId`; the
   * revision moves so that anything the resident sends based on the online
   * draft is a conflict. The caller holds the row lock.
   */
  async moveToCounter(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, staffId: string, fromRevision: number, at: Date): Promise<boolean> {
    const [, count]: [unknown[], number] = await manager.query(
      `UPDATE applications SET channel = 'counter', entered_by = $3, revision = revision + 1, updated_at = $5
        WHERE municipality_id = $1 AND id = $2 AND revision = $4 AND phase = 'draft' AND channel = 'online'`,
      [municipalityId, applicationId, staffId, fromRevision, at],
    );
    return count === 1;
  }

  async insertIdentityCheck(manager: EntityManager, municipalityId: MunicipalityId, check: IdentityCheck): Promise<void> {
    await manager.query(
      `INSERT INTO application_identity_checks (municipality_id, id, application_id, method, documents_shown, note, checked_by, checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [municipalityId, check.id, check.applicationId, check.method, check.documentsShown, check.note, check.checkedBy, check.checkedAt],
    );
  }

  async identityChecks(municipalityId: MunicipalityId, applicationId: string, manager: EntityManager = this.dataSource.manager): Promise<IdentityCheck[]> {
    const rows: IdentityCheckRow[] = await manager.query(
      `SELECT id, application_id, method, documents_shown, note, checked_by, checked_at FROM application_identity_checks
        WHERE municipality_id = $1 AND application_id = $2 ORDER BY checked_at, id`,
      [municipalityId, applicationId],
    );
    return rows.map((row) => ({
      id: row.id,
      applicationId: row.application_id,
      method: row.method,
      documentsShown: row.documents_shown,
      note: row.note,
      checkedBy: row.checked_by,
      checkedAt: row.checked_at,
    }));
  }
}
