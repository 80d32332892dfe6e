import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';

export interface SessionRow {
  id: string;
  subjectKind: 'resident' | 'staff';
  subjectId: string;
  transport: 'bearer' | 'cookie';
  authMethod: string;
  familyId: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date | null;
  csrfSecret: string | null;
  revokedAt: Date | null;
  createdAt: Date;
  /** Last use (refreshed at most once a minute); null for sessions older than the column. */
  lastSeenAt: Date | null;
}

interface Row {
  id: string;
  subject_kind: 'resident' | 'staff';
  subject_id: string;
  transport: 'bearer' | 'cookie';
  auth_method: string;
  family_id: string;
  access_expires_at: Date;
  refresh_expires_at: Date | null;
  csrf_secret: string | null;
  revoked_at: Date | null;
  created_at: Date;
  last_seen_at: Date | null;
}

const COLUMNS = 'id, subject_kind, subject_id, transport, auth_method, family_id, access_expires_at, refresh_expires_at, csrf_secret, revoked_at, created_at, last_seen_at';
const toSession = (row: Row): SessionRow => ({
  id: row.id,
  subjectKind: row.subject_kind,
  subjectId: row.subject_id,
  transport: row.transport,
  authMethod: row.auth_method,
  familyId: row.family_id,
  accessExpiresAt: row.access_expires_at,
  refreshExpiresAt: row.refresh_expires_at,
  csrfSecret: row.csrf_secret,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
});

@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    municipalityId: MunicipalityId,
    session: Omit<SessionRow, 'revokedAt' | 'createdAt' | 'lastSeenAt'> & { accessHash: string; refreshHash: string | null; now: Date },
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sessions (municipality_id, id, subject_kind, subject_id, transport, auth_method, family_id, access_hash, access_expires_at,
                             refresh_hash, refresh_expires_at, csrf_secret, created_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
      [
        municipalityId,
        session.id,
        session.subjectKind,
        session.subjectId,
        session.transport,
        session.authMethod,
        session.familyId,
        session.accessHash,
        session.accessExpiresAt,
        session.refreshHash,
        session.refreshExpiresAt,
        session.csrfSecret,
        session.now,
      ],
    );
  }

  async findByAccessHash(municipalityId: MunicipalityId, accessHash: string): Promise<SessionRow | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM sessions WHERE municipality_id = $1 AND access_hash = $2`, [municipalityId, accessHash]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  /**
   * Uses a refresh token once: clears it atomically and returns the session it
   * belonged to. A second use finds nothing here and is looked up by
   * `findFamilyOfUsedRefresh` to end the whole family.
   */
  async consumeRefresh(municipalityId: MunicipalityId, refreshHash: string, now: Date): Promise<SessionRow | null> {
    const [rows]: [Row[], number] = await this.dataSource.query(
      `UPDATE sessions SET refresh_hash = NULL, revoked_at = COALESCE(revoked_at, $3), revoked_reason = COALESCE(revoked_reason, 'rotated'),
              used_refresh_hash = $2
        WHERE municipality_id = $1 AND refresh_hash = $2 AND revoked_at IS NULL AND refresh_expires_at > $3
        RETURNING ${COLUMNS}`,
      [municipalityId, refreshHash, now],
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  async findFamilyOfUsedRefresh(municipalityId: MunicipalityId, refreshHash: string): Promise<string | null> {
    const rows: Array<{ family_id: string }> = await this.dataSource.query(
      `SELECT family_id FROM sessions WHERE municipality_id = $1 AND used_refresh_hash = $2`,
      [municipalityId, refreshHash],
    );
    return rows[0]?.family_id ?? null;
  }

  /** Marks the session as used now (an idle timeout counts from here). */
  async touch(municipalityId: MunicipalityId, id: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE sessions SET last_seen_at = $3 WHERE municipality_id = $1 AND id = $2 AND revoked_at IS NULL`, [municipalityId, id, now]);
  }

  async revoke(municipalityId: MunicipalityId, id: string, reason: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE sessions SET revoked_at = $3, revoked_reason = $4 WHERE municipality_id = $1 AND id = $2 AND revoked_at IS NULL`, [
      municipalityId,
      id,
      now,
      reason,
    ]);
  }

  async revokeFamily(municipalityId: MunicipalityId, familyId: string, reason: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET revoked_at = $3, revoked_reason = $4, refresh_hash = NULL WHERE municipality_id = $1 AND family_id = $2 AND revoked_at IS NULL`,
      [municipalityId, familyId, now, reason],
    );
  }

  async revokeSubject(municipalityId: MunicipalityId, subjectKind: 'resident' | 'staff', subjectId: string, reason: string, now: Date, exceptSessionId?: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET revoked_at = $4, revoked_reason = $5, refresh_hash = NULL
        WHERE municipality_id = $1 AND subject_kind = $2 AND subject_id = $3 AND revoked_at IS NULL AND id IS DISTINCT FROM $6`,
      [municipalityId, subjectKind, subjectId, now, reason, exceptSessionId ?? null],
    );
  }

  /** Sessions of one person still usable now, newest first (the "signed-in devices" list). */
  async listLive(
    municipalityId: MunicipalityId,
    subjectKind: 'resident' | 'staff',
    subjectId: string,
    now: Date,
  ): Promise<Array<{ id: string; transport: 'bearer' | 'cookie'; authMethod: string; createdAt: Date }>> {
    const rows: Array<{ id: string; transport: 'bearer' | 'cookie'; auth_method: string; created_at: Date }> = await this.dataSource.query(
      `SELECT id, transport, auth_method, created_at FROM sessions
        WHERE municipality_id = $1 AND subject_kind = $2 AND subject_id = $3 AND revoked_at IS NULL
          AND (access_expires_at > $4 OR refresh_expires_at > $4)
        ORDER BY created_at DESC, id
        LIMIT 100`,
      [municipalityId, subjectKind, subjectId, now],
    );
    return rows.map((row) => ({ id: row.id, transport: row.transport, authMethod: row.auth_method, createdAt: row.created_at }));
  }
}
