import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { TimerRepository } from '@madoguchi/engine';
import { DataSource } from 'typeorm';

export interface FailedNotification {
  id: string;
  applicationId: string;
  kind: string;
  channel: string;
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
}

@Injectable()
export class NotificationRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly timers: TimerRepository,
  ) {}

  /** The payment deadline of an application waiting for its fee: its `deadline.reached` timer row. */
  paymentDeadline(municipalityId: MunicipalityId, applicationId: string): Promise<Date | null> {
    return this.timers.scheduledFireAt(this.dataSource.manager, municipalityId, applicationId, 'deadline.reached');
  }

  async wasSent(municipalityId: MunicipalityId, dedupeKey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM notifications WHERE municipality_id = $1 AND dedupe_key = $2 AND status IN ('sent', 'skipped')`,
      [municipalityId, dedupeKey],
    );
    return rows.length > 0;
  }

  /** One row per notification: a retry updates it, so staff see attempts and the last error. */
  async record(
    municipalityId: MunicipalityId,
    entry: { applicationId: string; kind: string; channel: string; status: 'sent' | 'failed' | 'skipped'; error: string | null; dedupeKey: string; now: Date },
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notifications (municipality_id, id, application_id, kind, channel, status, last_error, dedupe_key, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT (municipality_id, dedupe_key) DO UPDATE
         SET status = EXCLUDED.status, last_error = EXCLUDED.last_error, attempts = notifications.attempts + 1, updated_at = EXCLUDED.updated_at`,
      [municipalityId, randomUUID(), entry.applicationId, entry.kind, entry.channel, entry.status, entry.error?.slice(0, 500) ?? null, entry.dedupeKey, entry.now],
    );
  }

  async failed(municipalityId: MunicipalityId, limit = 100): Promise<FailedNotification[]> {
    const rows: Array<{ id: string; application_id: string; kind: string; channel: string; attempts: number; last_error: string | null; updated_at: Date }> =
      await this.dataSource.query(
        `SELECT id, application_id, kind, channel, attempts, last_error, updated_at FROM notifications
          WHERE municipality_id = $1 AND status = 'failed' ORDER BY updated_at DESC LIMIT $2`,
        [municipalityId, limit],
      );
    return rows.map((row) => ({
      id: row.id,
      applicationId: row.application_id,
      kind: row.kind,
      channel: row.channel,
      attempts: row.attempts,
      lastError: row.last_error,
      updatedAt: row.updated_at,
    }));
  }
}
