import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '../tenancy/municipality-id';
import type { EntityManager } from 'typeorm';
import { LeasedDelivery } from '../delivery/leased-delivery';
import type { OutboxTopic } from './outbox-topic';

export interface OutboxMessage {
  municipalityId: MunicipalityId;
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  applicationId: string | null;
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
   * The outbox as a queue delivered with lease and backoff: a worker that
   * dies mid-delivery loses its lease and the message is delivered again
   * (at least once).
   */
  readonly queue = new LeasedDelivery<OutboxMessage>({
    table: 'outbox',
    dueColumn: 'available_at',
    columns: ['topic', 'payload', 'application_id'],
    toItem: (row) => ({
      municipalityId: row.municipality_id,
      id: row.id,
      topic: row.topic as string,
      payload: row.payload as Record<string, unknown>,
      applicationId: row.application_id as string | null,
      attempts: row.attempts,
    }),
  });
}
