import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '../tenancy/municipality-id';
import type { EntityManager } from 'typeorm';
import type { OutboxTopic } from './outbox-topic';

export interface OutboxMessage {
  municipalityId: MunicipalityId;
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  applicationId: string | null;
  attempts: number;
}

interface OutboxRow {
  municipality_id: MunicipalityId;
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  application_id: string | null;
  attempts: number;
}

/** The only code that touches the outbox table. */
@Injectable()
export class OutboxRepository {
  /** Written inside the caller's transaction, so it exists only if that commits. */
  async enqueue(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    message: { topic: OutboxTopic; payload: Record<string, unknown>; applicationId?: string; availableAt: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO outbox (municipality_id, topic, payload, application_id, available_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $5)`,
      [municipalityId, message.topic, JSON.stringify(message.payload), message.applicationId ?? null, message.availableAt],
    );
  }

  /**
   * Leases up to `limit` due messages: pushes their availability past `leaseUntil`
   * and counts the attempt, in one statement. Another worker skips rows being
   * leased; a worker that dies mid-delivery loses its lease and the message is
   * delivered again (at least once).
   */
  async lease(manager: EntityManager, now: Date, leaseUntil: Date, limit: number): Promise<OutboxMessage[]> {
    // For UPDATE … RETURNING the postgres driver answers [rows, affectedCount].
    const [rows]: [OutboxRow[], number] = await manager.query(
      `UPDATE outbox o SET available_at = $2, attempts = o.attempts + 1
         FROM (SELECT municipality_id, id FROM outbox
                WHERE status = 'pending' AND available_at <= $1
                ORDER BY available_at
                LIMIT $3
                FOR UPDATE SKIP LOCKED) due
        WHERE o.municipality_id = due.municipality_id AND o.id = due.id
        RETURNING o.municipality_id, o.id::text AS id, o.topic, o.payload, o.application_id, o.attempts`,
      [now, leaseUntil, limit],
    );
    return rows.map((row) => ({
      municipalityId: row.municipality_id,
      id: row.id,
      topic: row.topic,
      payload: row.payload,
      applicationId: row.application_id,
      attempts: row.attempts,
    }));
  }

  async markDelivered(manager: EntityManager, municipalityId: MunicipalityId, id: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE outbox SET status = 'delivered', delivered_at = $3, last_error = NULL
        WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, now],
    );
  }

  async markFailed(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    id: string,
    failure: { error: string; retryAt: Date | null },
  ): Promise<void> {
    await manager.query(
      `UPDATE outbox SET last_error = $3,
              status = CASE WHEN $4::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
              available_at = COALESCE($4::timestamptz, available_at)
        WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, failure.error.slice(0, 1000), failure.retryAt],
    );
  }
}
