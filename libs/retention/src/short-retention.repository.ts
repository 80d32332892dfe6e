import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ShortRetentionKind } from '@madoguchi/config';

/**
 * The one place that deletes short-lived rows of every library, so that
 * "nothing grows forever" can be read in one file. Each statement deletes
 * at most `limit` rows whose retention ended before `cutoff`: a long
 * backlog goes in batches without holding locks for long.
 */
const STATEMENTS: Record<ShortRetentionKind, string> = {
  idempotencyKeys: `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT $2)`,
  sessions: `DELETE FROM sessions WHERE ctid IN (
      SELECT ctid FROM sessions
       WHERE greatest(access_expires_at, coalesce(refresh_expires_at, access_expires_at)) < $1
          OR revoked_at < $1
       LIMIT $2)`,
  oneTimeTokens: `DELETE FROM one_time_tokens WHERE ctid IN (SELECT ctid FROM one_time_tokens WHERE expires_at < $1 LIMIT $2)`,
  rateLimits: `DELETE FROM rate_limits WHERE ctid IN (SELECT ctid FROM rate_limits WHERE window_start < $1 LIMIT $2)`,
  loginFailures: `DELETE FROM login_failures WHERE ctid IN (
      SELECT ctid FROM login_failures WHERE last_failed_at < $1 AND (blocked_until IS NULL OR blocked_until < $1) LIMIT $2)`,
  webhookReceipts: `DELETE FROM webhook_receipts WHERE ctid IN (SELECT ctid FROM webhook_receipts WHERE received_at < $1 LIMIT $2)`,
  jpkiNonces: `DELETE FROM jpki_nonces WHERE ctid IN (SELECT ctid FROM jpki_nonces WHERE expires_at < $1 LIMIT $2)`,
  oidcTransactions: `DELETE FROM mynumber_oidc_transactions WHERE ctid IN (SELECT ctid FROM mynumber_oidc_transactions WHERE expires_at < $1 LIMIT $2)`,
  // A hold nobody turned into an application: its events go with it (no lottery entry refers to it).
  expiredHolds: `WITH gone AS (
        SELECT municipality_id, id FROM bookings b
         WHERE status IN ('expired', 'released') AND application_id IS NULL AND updated_at < $1
           AND NOT EXISTS (SELECT 1 FROM lottery_entries e WHERE e.municipality_id = b.municipality_id AND e.booking_id = b.id)
         LIMIT $2),
      events AS (DELETE FROM booking_events e USING gone WHERE e.municipality_id = gone.municipality_id AND e.booking_id = gone.id)
      DELETE FROM bookings b USING gone WHERE b.municipality_id = gone.municipality_id AND b.id = gone.id`,
  // Delivered only: a dead message is an operator's to look at, kept until handled.
  outbox: `DELETE FROM outbox WHERE ctid IN (SELECT ctid FROM outbox WHERE status = 'delivered' AND delivered_at < $1 LIMIT $2)`,
  simulatedWebhooks: `DELETE FROM sim_webhook_deliveries WHERE ctid IN (
      SELECT ctid FROM sim_webhook_deliveries WHERE status <> 'pending' AND coalesce(delivered_at, created_at) < $1 LIMIT $2)`,
};

@Injectable()
export class ShortRetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Deletes up to `limit` rows of `kind` whose retention ended before `cutoff`; returns how many. Every municipality at once: retention is the instance's. */
  async sweep(kind: ShortRetentionKind, cutoff: Date, limit: number): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(STATEMENTS[kind], [cutoff, limit]);
    return count;
  }
}
