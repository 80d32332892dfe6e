import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type CardSecretKind = 'pin' | 'signingPassword';

/** Wrong PIN / password counts of the simulated cards (table simulated_digital_auth_card_locks). */
@Injectable()
export class CardLockRepository {
  constructor(private readonly dataSource: DataSource) {}

  async isLocked(cardId: string, kind: CardSecretKind): Promise<boolean> {
    const rows: Array<{ locked_at: Date | null }> = await this.dataSource.query(
      `SELECT locked_at FROM simulated_digital_auth_card_locks WHERE card_id = $1 AND secret_kind = $2`,
      [cardId, kind],
    );
    return Boolean(rows[0]?.locked_at);
  }

  /** Counts one wrong entry; locks at `limit`. Returns the attempts left (0: locked). */
  async fail(cardId: string, kind: CardSecretKind, limit: number, now: Date): Promise<number> {
    const [row]: Array<{ failures: number }> = await this.dataSource.query(
      `INSERT INTO simulated_digital_auth_card_locks (card_id, secret_kind, failures, locked_at, updated_at)
       VALUES ($1, $2, 1, CASE WHEN $3 <= 1 THEN $4::timestamptz END, $4)
       ON CONFLICT (card_id, secret_kind) DO UPDATE
         SET failures = simulated_digital_auth_card_locks.failures + 1,
             locked_at = COALESCE(simulated_digital_auth_card_locks.locked_at,
                                  CASE WHEN simulated_digital_auth_card_locks.failures + 1 >= $3 THEN $4::timestamptz END),
             updated_at = $4
       RETURNING failures`,
      [cardId, kind, limit, now],
    );
    return Math.max(0, limit - row.failures);
  }

  /** A right entry resets the count, as on the card; a locked card stays locked. */
  async succeed(cardId: string, kind: CardSecretKind, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE simulated_digital_auth_card_locks SET failures = 0, updated_at = $3 WHERE card_id = $1 AND secret_kind = $2 AND locked_at IS NULL`,
      [cardId, kind, now],
    );
  }
}
