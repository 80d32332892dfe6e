import { Injectable } from '@nestjs/common';
import { drawSequenceSql, type GaplessSequence, type MunicipalityId, queryPrepared } from '@madoguchi/kernel';
import type { PersistedSnapshot, StatePhase, WorkflowActor } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationEventEntity } from './application-event.entity';
import { ApplicationEntity } from './application.entity';
import { referenceNumberSql, type ReferenceNumberParts } from './reference-number';
import { CONTRIBUTED_APPLICATION_COLUMNS, type ContributedApplicationColumn, type TransitionWrites } from './transition-types';

export interface TransitionWrite {
  fromRevision: number;
  state: string;
  phase: StatePhase;
  snapshot: PersistedSnapshot;
  at: Date;
  submittedAt?: Date;
  closedAt?: Date;
  /** Draw the 受付番号 (sequence `reference`) in the write and render it this way, unless the application has one. */
  referenceNumber?: Omit<ReferenceNumberParts, 'render'>;
  /** The transition's event; its seq is the new revision. */
  event: Omit<EventWrite, 'seq' | 'at'>;
  /** Cancel the application's scheduled timers (it entered a state). */
  cancelTimers: boolean;
  timers: Array<{ eventType: string; state: string; fireAt: Date }>;
  /** Hooks' columns of the application row, outbox messages (the engine's own first) and rows. */
  writes: TransitionWrites;
}

export interface EventWrite {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  actor: WorkflowActor;
  fromState: string;
  toState: string;
  at: Date;
}

// due_on as text: node-postgres would turn a date into a local-midnight Date.
const APPLICATION_COLUMNS = `municipality_id, id, procedure_code, procedure_version, reference_number, channel, applicant_id,
  entered_by, state, phase, snapshot, form_data, revision, created_at, updated_at, submitted_at, closed_at,
  department, due_on::text AS due_on, due_paused_at, due_remaining_days, claimed_by, claimed_at, claim_active_at`;

interface ApplicationRow {
  municipality_id: string;
  id: string;
  procedure_code: string;
  procedure_version: number;
  reference_number: string | null;
  channel: ApplicationEntity['channel'];
  applicant_id: string | null;
  entered_by: string | null;
  state: string;
  phase: StatePhase;
  snapshot: PersistedSnapshot;
  form_data: Record<string, unknown>;
  revision: number;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  closed_at: Date | null;
  department: string;
  due_on: string | null;
  due_paused_at: Date | null;
  due_remaining_days: number | null;
  claimed_by: string | null;
  claimed_at: Date | null;
  claim_active_at: Date | null;
}

function toEntity(row: ApplicationRow): ApplicationEntity {
  return {
    municipalityId: row.municipality_id,
    id: row.id,
    procedureCode: row.procedure_code,
    procedureVersion: row.procedure_version,
    referenceNumber: row.reference_number,
    channel: row.channel,
    applicantId: row.applicant_id,
    enteredBy: row.entered_by,
    state: row.state,
    phase: row.phase,
    snapshot: row.snapshot,
    formData: row.form_data,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    closedAt: row.closed_at,
    department: row.department,
    dueOn: row.due_on,
    duePausedAt: row.due_paused_at,
    dueRemainingDays: row.due_remaining_days,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    claimActiveAt: row.claim_active_at,
  };
}

const REFERENCE_SEQUENCE: GaplessSequence = 'reference';

/** The only code that touches applications and their events (and draws 受付番号 in the transition's write). */
@Injectable()
export class ApplicationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, municipalityId: MunicipalityId, application: Omit<ApplicationEntity, 'municipalityId'>): Promise<void> {
    // TypeORM's deep-partial type cannot follow jsonb columns typed as records.
    await manager.getRepository(ApplicationEntity).insert({ ...application, municipalityId } as never);
  }

  async find(municipalityId: MunicipalityId, id: string, manager: EntityManager = this.dataSource.manager): Promise<ApplicationEntity | null> {
    // Plain SQL: read on every resident and staff request of a case.
    return this.readOne(manager, municipalityId, id, '');
  }

  /**
   * Serialises a resident's quota checks (drafts, attachment bytes) with
   * their writes: taken in the writing transaction, held until it ends, so
   * two concurrent requests at the cap cannot both see room.
   */
  async lockResidentQuota(manager: EntityManager, municipalityId: MunicipalityId, residentId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`resident-quota:${municipalityId}:${residentId}`]);
  }

  async listByApplicant(municipalityId: MunicipalityId, applicantId: string, limit = 200): Promise<ApplicationEntity[]> {
    const rows: ApplicationRow[] = await this.dataSource.query(
      `SELECT ${APPLICATION_COLUMNS} FROM applications WHERE municipality_id = $1 AND applicant_id = $2 ORDER BY created_at DESC LIMIT $3`,
      [municipalityId, applicantId, limit],
    );
    return rows.map(toEntity);
  }

  async hasSubmittedApplication(municipalityId: MunicipalityId, applicantId: string, procedureCodes: string[]): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM applications WHERE municipality_id = $1 AND applicant_id = $2 AND procedure_code = ANY($3) AND phase <> 'draft' LIMIT 1`,
      [municipalityId, applicantId, procedureCodes],
    );
    return rows.length > 0;
  }

  /**
   * The row and its version (`xmin`: every change of the row, whatever the
   * column, gives it a new one), for a transition written without the row
   * lock: writeTransition with `rowVersion` writes only if the row is still
   * exactly what was read.
   */
  async findVersioned(manager: EntityManager, municipalityId: MunicipalityId, id: string): Promise<{ application: ApplicationEntity; rowVersion: string } | null> {
    const rows = await queryPrepared<ApplicationRow & { row_version: string }>(
      manager,
      `SELECT ${APPLICATION_COLUMNS}, xmin::text AS row_version FROM applications WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id],
    );
    return rows[0] ? { application: toEntity(rows[0]), rowVersion: rows[0].row_version } : null;
  }

  /** Locks the row until the caller's transaction ends: one change at a time. */
  async lock(manager: EntityManager, municipalityId: MunicipalityId, id: string): Promise<ApplicationEntity | null> {
    // Plain SQL on the hot path: the query builder's hydration costs more
    // than the lock itself.
    return this.readOne(manager, municipalityId, id, ' FOR UPDATE');
  }

  private async readOne(manager: EntityManager, municipalityId: MunicipalityId, id: string, lock: '' | ' FOR UPDATE'): Promise<ApplicationEntity | null> {
    const rows = await queryPrepared<ApplicationRow>(manager, `SELECT ${APPLICATION_COLUMNS} FROM applications WHERE municipality_id = $1 AND id = $2${lock}`, [municipalityId, id]);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  /**
   * Writes a whole transition in one statement: the reference number drawn
   * on first submission (the gap-free sequence of libs/kernel, its row
   * locked until commit), the new state, the event, the timers, the outbox
   * messages and the hooks' columns and rows. Every part is written only if
   * the row still has `fromRevision` (and, with `rowVersion`, is still
   * exactly the version read: see findVersioned): the statement first locks
   * the row on that condition, so nothing at all is written, and no number
   * drawn, when it moved. Safe as a transaction of its own. Null when the
   * row moved; otherwise the row as written, so nobody reads it again.
   */
  async writeTransition(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    id: string,
    write: TransitionWrite,
    rowVersion?: string,
  ): Promise<ApplicationEntity | null> {
    const params: unknown[] = [municipalityId, id, write.fromRevision, write.at];
    const p = (value: unknown) => `$${params.push(value)}`;
    // Every other part reads `target`, so it runs first; FOR UPDATE rechecks the condition on the newest row version.
    const parts: string[] = [
      `target AS (SELECT 1 FROM applications WHERE municipality_id = $1 AND id = $2 AND revision = $3${rowVersion ? ` AND xmin = ${p(rowVersion)}::xid` : ''} FOR UPDATE)`,
    ];
    const onTarget = 'EXISTS (SELECT 1 FROM target)';
    let drawnReference = 'NULL';
    if (write.referenceNumber) {
      const { scope, prefix, width, suffix } = write.referenceNumber;
      parts.push(`drawn AS (${drawSequenceSql('$1', p(REFERENCE_SEQUENCE), p(scope), onTarget)})`);
      drawnReference = `(SELECT ${referenceNumberSql('last_value', p(prefix), p(width), p(suffix))} FROM drawn)`;
    }
    const set = [
      `state = ${p(write.state)}`,
      `phase = ${p(write.phase)}`,
      `snapshot = ${p(JSON.stringify(write.snapshot))}::jsonb`,
      'revision = revision + 1',
      'updated_at = $4',
      `submitted_at = COALESCE(submitted_at, ${p(write.submittedAt ?? null)}::timestamptz)`,
      `closed_at = COALESCE(closed_at, ${p(write.closedAt ?? null)}::timestamptz)`,
      `reference_number = COALESCE(reference_number, ${drawnReference})`,
    ];
    for (const [column, value] of Object.entries(write.writes.application) as Array<[ContributedApplicationColumn, unknown]>) {
      set.push(`${column} = ${p(value)}::${CONTRIBUTED_APPLICATION_COLUMNS[column]}`);
    }
    parts.push(
      `updated AS (UPDATE applications SET ${set.join(', ')} WHERE municipality_id = $1 AND id = $2 AND revision = $3 AND ${onTarget} RETURNING ${APPLICATION_COLUMNS})`,
    );
    const { event } = write;
    parts.push(
      `event AS (INSERT INTO application_events (municipality_id, application_id, seq, type, payload, actor_kind, actor_id, from_state, to_state, occurred_at)
       SELECT $1, $2, $3 + 1, ${p(event.type)}, ${p(JSON.stringify(event.payload))}::jsonb, ${p(event.actor.kind)}, ${p(event.actor.id)}, ${p(event.fromState)}, ${p(event.toState)}, $4 FROM target)`,
    );
    if (write.cancelTimers) {
      // The timers inserted below are not visible to this UPDATE (one snapshot per statement).
      parts.push(
        `cancelled AS (UPDATE timers SET status = 'cancelled', settled_at = $4 WHERE municipality_id = $1 AND application_id = $2 AND status = 'scheduled' AND ${onTarget})`,
      );
    }
    /** Rows of VALUES inserted only on target; text columns and the casts given. */
    const insertRows = (table: string, columns: string, rows: string[]) =>
      `INSERT INTO ${table} (${columns}) SELECT * FROM (VALUES ${rows.join(', ')}) AS added WHERE ${onTarget}`;
    if (write.timers.length > 0) {
      const values = write.timers.map((timer) => `($1, $2, ${p(timer.eventType)}, ${p(timer.state)}, ${p(timer.fireAt)}::timestamptz, $4::timestamptz)`);
      parts.push(`scheduled AS (${insertRows('timers', 'municipality_id, application_id, event_type, state, fire_at, created_at', values)})`);
    }
    if (write.writes.outbox.length > 0) {
      const values = write.writes.outbox.map((message) => `($1, ${p(message.topic)}, ${p(JSON.stringify(message.payload))}::jsonb, $2, $4::timestamptz, $4::timestamptz)`);
      parts.push(`messages AS (${insertRows('outbox', 'municipality_id, topic, payload, application_id, available_at, created_at', values)})`);
    }
    write.writes.rows.forEach((row, index) => {
      const columns = Object.keys(row.values);
      for (const name of [row.table, ...columns]) if (!/^[a-z_]+$/.test(name)) throw new Error(`not an identifier: ${name}`);
      parts.push(`row${index} AS (INSERT INTO ${row.table} (${columns.join(', ')}) SELECT ${columns.map((column) => p(row.values[column])).join(', ')} WHERE ${onTarget})`);
    });
    const rows = await queryPrepared<ApplicationRow>(manager, `WITH ${parts.join(',\n')}\nSELECT * FROM updated`, params);
    return rows.length === 1 ? toEntity(rows[0]) : null;
  }

  /** Replaces the answers (a draft, or a correction after 差戻し); the caller holds the row lock. */
  async updateForm(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    id: string,
    formData: Record<string, unknown>,
    fromRevision: number,
    at: Date,
  ): Promise<boolean> {
    const result: [unknown[], number] = await manager.query(
      `UPDATE applications SET form_data = $4, revision = revision + 1, updated_at = $5
        WHERE municipality_id = $1 AND id = $2 AND revision = $3`,
      [municipalityId, id, fromRevision, JSON.stringify(formData), at],
    );
    return result[1] === 1;
  }

  /** Drafts untouched since `before`, oldest first: the expiry job's work list. */
  async staleDrafts(before: Date, limit: number): Promise<Array<{ municipalityId: MunicipalityId; id: string }>> {
    const rows: Array<{ municipality_id: MunicipalityId; id: string }> = await this.dataSource.query(
      `SELECT municipality_id, id FROM applications WHERE phase = 'draft' AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((row) => ({ municipalityId: row.municipality_id, id: row.id }));
  }

  async appendEvent(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, event: EventWrite): Promise<void> {
    await manager.getRepository(ApplicationEventEntity).insert({
      municipalityId,
      applicationId,
      seq: event.seq,
      type: event.type,
      payload: event.payload,
      actorKind: event.actor.kind,
      actorId: event.actor.id,
      fromState: event.fromState,
      toState: event.toState,
      occurredAt: event.at,
    } as never);
  }

  /**
   * A new draft and its first event in one statement. With `quota`, only
   * while the resident has fewer than `max` open online drafts (the caller
   * holds lockResidentQuota, so this statement sees every committed draft);
   * false when the quota refused it.
   */
  async insertDraft(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    application: Omit<ApplicationEntity, 'municipalityId'>,
    event: Omit<EventWrite, 'seq' | 'at' | 'fromState' | 'toState'>,
    quota?: { max: number },
  ): Promise<boolean> {
    const rows: Array<{ n: number }> = await manager.query(
      `WITH draft AS (
         INSERT INTO applications (municipality_id, id, procedure_code, procedure_version, channel, applicant_id, entered_by, state, phase, snapshot, form_data, revision, created_at, updated_at, department)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $13, $14
          WHERE $15::integer IS NULL
             OR (SELECT count(*) FROM applications WHERE municipality_id = $1 AND applicant_id = $6 AND phase = 'draft' AND channel = 'online') < $15::integer
         RETURNING id
       ), event AS (
         INSERT INTO application_events (municipality_id, application_id, seq, type, payload, actor_kind, actor_id, from_state, to_state, occurred_at)
         SELECT $1, id, $12, $16, $17::jsonb, $18, $19, $8, $8, $13 FROM draft
       )
       SELECT count(*)::int AS n FROM draft`,
      [
        municipalityId,
        application.id,
        application.procedureCode,
        application.procedureVersion,
        application.channel,
        application.applicantId,
        application.enteredBy,
        application.state,
        application.phase,
        JSON.stringify(application.snapshot),
        JSON.stringify(application.formData),
        application.revision,
        application.createdAt,
        application.department,
        quota?.max ?? null,
        event.type,
        JSON.stringify(event.payload),
        event.actor.kind,
        event.actor.id,
      ],
    );
    return rows[0].n === 1;
  }

  /** The record and the time of the event that made its current revision, in one read. */
  async findEntered(municipalityId: MunicipalityId, id: string): Promise<{ application: ApplicationEntity; enteredAt: Date | null } | null> {
    const rows: Array<ApplicationRow & { entered_at: Date | null }> = await this.dataSource.query(
      `SELECT ${APPLICATION_COLUMNS},
              (SELECT occurred_at FROM application_events e
                WHERE e.municipality_id = applications.municipality_id AND e.application_id = applications.id AND e.seq = applications.revision) AS entered_at
         FROM applications WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id],
    );
    return rows[0] ? { application: toEntity(rows[0]), enteredAt: rows[0].entered_at } : null;
  }

  /** When the event that made revision `seq` happened; null if there is none. */
  async eventTime(municipalityId: MunicipalityId, applicationId: string, seq: number): Promise<Date | null> {
    const rows: Array<{ occurred_at: Date }> = await this.dataSource.query(
      `SELECT occurred_at FROM application_events WHERE municipality_id = $1 AND application_id = $2 AND seq = $3`,
      [municipalityId, applicationId, seq],
    );
    return rows[0]?.occurred_at ?? null;
  }

  async events(municipalityId: MunicipalityId, applicationId: string): Promise<ApplicationEventEntity[]> {
    return this.dataSource.getRepository(ApplicationEventEntity).find({
      where: { municipalityId, applicationId },
      order: { seq: 'ASC' },
    });
  }

}
