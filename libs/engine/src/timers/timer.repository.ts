import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { EntityManager } from 'typeorm';

export interface DueTimer {
  municipalityId: MunicipalityId;
  id: string;
  applicationId: string;
  eventType: string;
  state: string;
  fireAt: Date;
}

/**
 * Deadlines are rows, never XState `after`: a restored snapshot does not bring
 * back pending delayed events, a row survives any restart.
 */
@Injectable()
export class TimerRepository {
  async schedule(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    timer: { applicationId: string; eventType: string; state: string; fireAt: Date; now: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO timers (municipality_id, application_id, event_type, state, fire_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [municipalityId, timer.applicationId, timer.eventType, timer.state, timer.fireAt, timer.now],
    );
  }

  /** When the application's scheduled `eventType` timer fires (a payment deadline, say); null when none is scheduled. */
  async scheduledFireAt(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, eventType: string): Promise<Date | null> {
    const rows: Array<{ fire_at: Date }> = await manager.query(
      `SELECT fire_at FROM timers
        WHERE municipality_id = $1 AND application_id = $2 AND event_type = $3 AND status = 'scheduled'
        ORDER BY fire_at DESC LIMIT 1`,
      [municipalityId, applicationId, eventType],
    );
    return rows[0]?.fire_at ?? null;
  }

  /** Cancels the scheduled timers of an application that left their state. */
  async cancelForApplication(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, now: Date): Promise<number> {
    const result: [unknown[], number] = await manager.query(
      `UPDATE timers SET status = 'cancelled', settled_at = $3
        WHERE municipality_id = $1 AND application_id = $2 AND status = 'scheduled'`,
      [municipalityId, applicationId, now],
    );
    return result[1];
  }

  /**
   * Locks the earliest due timer for the caller's transaction. SKIP LOCKED lets
   * any number of workers poll together; the status change commits with the
   * transition it causes, so a timer fires once.
   */
  async lockNextDue(manager: EntityManager, now: Date): Promise<DueTimer | null> {
    const rows: Array<{ municipality_id: MunicipalityId; id: string; application_id: string; event_type: string; state: string; fire_at: Date }> =
      await manager.query(
        `SELECT municipality_id, id::text AS id, application_id, event_type, state, fire_at
           FROM timers
          WHERE status = 'scheduled' AND fire_at <= $1
          ORDER BY fire_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        [now],
      );
    const row = rows[0];
    return row
      ? { municipalityId: row.municipality_id, id: row.id, applicationId: row.application_id, eventType: row.event_type, state: row.state, fireAt: row.fire_at }
      : null;
  }

  /** Whether another deadline of the application is due too (a reminder then comes too late to help). */
  async otherDue(manager: EntityManager, timer: DueTimer, now: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM timers
        WHERE municipality_id = $1 AND application_id = $2 AND id <> $3 AND status = 'scheduled' AND fire_at <= $4 AND event_type NOT LIKE 'reminder.%'
        LIMIT 1`,
      [timer.municipalityId, timer.applicationId, timer.id, now],
    );
    return rows.length > 0;
  }

  async settle(manager: EntityManager, timer: DueTimer, status: 'fired' | 'void', now: Date): Promise<void> {
    await manager.query(`UPDATE timers SET status = $3, settled_at = $4 WHERE municipality_id = $1 AND id = $2`, [
      timer.municipalityId,
      timer.id,
      status,
      now,
    ]);
  }
}
