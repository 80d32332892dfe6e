import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';

export type OneTimePurpose = 'verifyEmail' | 'resetPassword';

@Injectable()
export class OneTimeTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    municipalityId: MunicipalityId,
    token: { hash: string; subjectKind: 'resident' | 'staff'; subjectId: string; purpose: OneTimePurpose; expiresAt: Date; now: Date },
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO one_time_tokens (municipality_id, token_hash, subject_kind, subject_id, purpose, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [municipalityId, token.hash, token.subjectKind, token.subjectId, token.purpose, token.expiresAt, token.now],
    );
  }

  /** The subject of a token that `consume` would accept now, without using it up. */
  async findUsable(municipalityId: MunicipalityId, hash: string, purpose: OneTimePurpose, now: Date): Promise<string | null> {
    const rows: Array<{ subject_id: string }> = await this.dataSource.query(
      `SELECT subject_id FROM one_time_tokens WHERE municipality_id = $1 AND token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4`,
      [municipalityId, hash, purpose, now],
    );
    return rows[0]?.subject_id ?? null;
  }

  /** Marks the token used and returns its subject; null if unknown, used, expired or for another purpose. */
  async consume(municipalityId: MunicipalityId, hash: string, purpose: OneTimePurpose, now: Date): Promise<string | null> {
    const [rows]: [Array<{ subject_id: string }>, number] = await this.dataSource.query(
      `UPDATE one_time_tokens SET used_at = $4
        WHERE municipality_id = $1 AND token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4
        RETURNING subject_id`,
      [municipalityId, hash, purpose, now],
    );
    return rows[0]?.subject_id ?? null;
  }

  async expireAll(municipalityId: MunicipalityId, subjectId: string, purpose: OneTimePurpose, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE one_time_tokens SET used_at = $4 WHERE municipality_id = $1 AND subject_id = $2 AND purpose = $3 AND used_at IS NULL`,
      [municipalityId, subjectId, purpose, now],
    );
  }
}
