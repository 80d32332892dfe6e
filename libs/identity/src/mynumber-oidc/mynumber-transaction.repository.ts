import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';

export interface MyNumberTransaction {
  municipalityId: MunicipalityId;
  purpose: 'login' | 'sign';
  nonce: string;
  codeVerifier: string;
  residentId: string | null;
  targetKind: string | null;
  targetId: string | null;
  contentHash: string | null;
  /** Sign-in only: the local path to go to afterwards. */
  returnPath: string | null;
}

interface Row {
  municipality_id: string;
  purpose: 'login' | 'sign';
  nonce: string;
  code_verifier: string;
  resident_id: string | null;
  target_kind: string | null;
  target_id: string | null;
  content_hash: string | null;
  return_path: string | null;
}

/** Portal-side OIDC round trips (table mynumber_oidc_transactions); only hashes of state and browser binding are kept. */
@Injectable()
export class MyNumberTransactionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(stateHash: string, browserHash: string, transaction: MyNumberTransaction, now: Date, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO mynumber_oidc_transactions (state_hash, municipality_id, purpose, browser_hash, nonce, code_verifier, resident_id, target_kind, target_id, content_hash, expires_at, created_at, return_path)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        stateHash,
        transaction.municipalityId,
        transaction.purpose,
        browserHash,
        transaction.nonce,
        transaction.codeVerifier,
        transaction.residentId,
        transaction.targetKind,
        transaction.targetId,
        transaction.contentHash,
        expiresAt,
        now,
        transaction.returnPath,
      ],
    );
  }

  /**
   * Takes the transaction once: unknown, used, expired or started in another
   * browser all answer null. By the primary key (municipality, state hash):
   * one shard on Citus.
   */
  async consume(municipalityId: MunicipalityId, stateHash: string, browserHash: string, now: Date): Promise<MyNumberTransaction | null> {
    const [rows]: [Row[], number] = await this.dataSource.query(
      `UPDATE mynumber_oidc_transactions SET used_at = $4
        WHERE municipality_id = $1 AND state_hash = $2 AND browser_hash = $3 AND used_at IS NULL AND expires_at > $4
        RETURNING municipality_id, purpose, nonce, code_verifier, resident_id, target_kind, target_id, content_hash, return_path`,
      [municipalityId, stateHash, browserHash, now],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      municipalityId: row.municipality_id as MunicipalityId,
      purpose: row.purpose,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      residentId: row.resident_id,
      targetKind: row.target_kind,
      targetId: row.target_id,
      contentHash: row.content_hash,
      returnPath: row.return_path,
    };
  }

  async purge(before: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(`DELETE FROM mynumber_oidc_transactions WHERE expires_at < $1`, [before]);
    return count;
  }
}
