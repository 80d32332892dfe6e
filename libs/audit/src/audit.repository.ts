import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditActorKind, AuditEntry } from './audit-entry';

/**
 * Namespace (first key) of the two-key advisory locks that serialise appends
 * to one municipality's chain; the second key is the municipality id, which
 * is six digits, so two municipalities never share a lock. Two-key locks do
 * not overlap the single-key migration lock.
 */
export const AUDIT_CHAIN_LOCK_CLASS = 7_342_002;
/** Namespace of the session locks that let one process at a time write a municipality's checkpoint. */
export const AUDIT_CHECKPOINT_LOCK_CLASS = 7_342_003;

const COLUMNS = `municipality_id, seq, occurred_at, actor_kind, actor_id, action,
  target_type, target_id, details, prev_hash, hash`;

interface AuditRow {
  municipality_id: MunicipalityId;
  /** bigint: the driver hands it over as a string. (Never alias a cast to "seq": ORDER BY seq would sort text.) */
  seq: string;
  occurred_at: Date;
  actor_kind: AuditActorKind;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    municipalityId: row.municipality_id,
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actor: { kind: row.actor_kind, id: row.actor_id },
    action: row.action,
    target: row.target_type !== null && row.target_id !== null ? { type: row.target_type, id: row.target_id } : null,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function entryParams(municipalityId: MunicipalityId, entry: Omit<AuditEntry, 'municipalityId'>): unknown[] {
  return [
    municipalityId,
    entry.seq,
    entry.occurredAt,
    entry.actor.kind,
    entry.actor.id,
    entry.action,
    entry.target?.type ?? null,
    entry.target?.id ?? null,
    JSON.stringify(entry.details),
    entry.prevHash,
    entry.hash,
  ];
}

/** The only code that touches audit_log. It inserts and reads; the table refuses anything else. */
@Injectable()
export class AuditRepository {
  /**
   * Takes the municipality's chain lock until the caller's transaction ends.
   * Must run in a transaction, as its own statement before head(): under READ
   * COMMITTED the next statement then sees every append committed before.
   */
  async lockChain(manager: EntityManager, municipalityId: MunicipalityId): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [AUDIT_CHAIN_LOCK_CLASS, Number(municipalityId)]);
  }

  /**
   * Runs `work` holding the municipality's checkpoint lock (a session lock on
   * a connection of its own, so no transaction stays open during file I/O).
   */
  async withCheckpointLock<T>(dataSource: DataSource, municipalityId: MunicipalityId, work: () => Promise<T>): Promise<T> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1::int, $2::int)', [AUDIT_CHECKPOINT_LOCK_CLASS, Number(municipalityId)]);
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1::int, $2::int)', [AUDIT_CHECKPOINT_LOCK_CLASS, Number(municipalityId)]);
      }
    } finally {
      await runner.release();
    }
  }

  /** The stored hash of one entry, or null when there is no such entry. */
  async hashAt(manager: EntityManager, municipalityId: MunicipalityId, seq: number): Promise<string | null> {
    const rows: Array<{ hash: string }> = await manager.query(`SELECT hash FROM audit_log WHERE municipality_id = $1 AND seq = $2`, [municipalityId, seq]);
    return rows[0]?.hash ?? null;
  }

  /** The newest entry's seq and hash, or null for an empty chain. */
  async head(manager: EntityManager, municipalityId: MunicipalityId): Promise<{ seq: number; hash: string } | null> {
    const rows: Array<{ seq: string; hash: string }> = await manager.query(
      `SELECT seq, hash FROM audit_log WHERE municipality_id = $1 ORDER BY seq DESC LIMIT 1`,
      [municipalityId],
    );
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
  }

  async insert(manager: EntityManager, municipalityId: MunicipalityId, entry: Omit<AuditEntry, 'municipalityId'>): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (municipality_id, seq, occurred_at, actor_kind, actor_id, action, target_type, target_id, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      entryParams(municipalityId, entry),
    );
  }

  /**
   * Appends `entry` in one statement of its own (no transaction around it)
   * if, and only if, the chain's head is still the entry it links to
   * (`entry.seq - 1` with hash `entry.prevHash`). Answers false, having
   * written nothing, when the head has moved on: the caller then appends
   * the long way (lockChain, head, insert).
   *
   * The statement takes the chain lock before it produces its row, so it
   * waits for an append in an open transaction and never slips in between
   * that transaction's head() and insert(); the primary key then refuses a
   * seq that transaction took. Must not run inside a transaction: a refused
   * insert would abort it.
   */
  async insertAtHead(manager: EntityManager, municipalityId: MunicipalityId, entry: Omit<AuditEntry, 'municipalityId'>): Promise<boolean> {
    try {
      const inserted: unknown[] = await manager.query(
        `WITH chain AS (SELECT pg_advisory_xact_lock($12::int, $13::int))
         INSERT INTO audit_log (municipality_id, seq, occurred_at, actor_kind, actor_id, action, target_type, target_id, details, prev_hash, hash)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM chain
          WHERE $2::bigint = 1 OR EXISTS (SELECT 1 FROM audit_log WHERE municipality_id = $1 AND seq = $2::bigint - 1 AND hash = $10)
         RETURNING 1`,
        [...entryParams(municipalityId, entry), AUDIT_CHAIN_LOCK_CLASS, Number(municipalityId)],
      );
      return inserted.length === 1;
    } catch (error) {
      if ((error as { code?: string; constraint?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'audit_log_pkey') return false;
      throw error;
    }
  }

  /** Up to `limit` entries after `afterSeq`, oldest first: one batch of a chain walk. */
  async batchAfter(manager: EntityManager, municipalityId: MunicipalityId, afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM audit_log WHERE municipality_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [municipalityId, afterSeq, limit],
    );
    return rows.map(toEntry);
  }

  /** Newest first, optionally filtered; `before` pages by seq. */
  async list(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    filter: { targetType?: string; targetId?: string; action?: string; actorId?: string; from?: Date; to?: Date; before?: number; limit: number },
  ): Promise<AuditEntry[]> {
    const conditions = ['municipality_id = $1'];
    const params: unknown[] = [municipalityId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(`${sql} $${params.length}`);
    };
    if (filter.targetType !== undefined) add('target_type =', filter.targetType);
    if (filter.targetId !== undefined) add('target_id =', filter.targetId);
    if (filter.action !== undefined) add('action =', filter.action);
    if (filter.actorId !== undefined) add('actor_id =', filter.actorId);
    if (filter.from !== undefined) add('occurred_at >=', filter.from);
    if (filter.to !== undefined) add('occurred_at <', filter.to);
    if (filter.before !== undefined) add('seq <', filter.before);
    params.push(filter.limit);
    const rows: AuditRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }

  /**
   * The one cross-tenant read: which municipalities have a chain at all, for
   * the operator's verify command. Never reachable from a request.
   */
  async municipalitiesWithEntries(manager: EntityManager): Promise<MunicipalityId[]> {
    const rows: Array<{ municipality_id: MunicipalityId }> = await manager.query(
      `SELECT m.municipality_id FROM municipalities m
        WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.municipality_id = m.municipality_id)
        ORDER BY m.municipality_id`,
    );
    return rows.map((row) => row.municipality_id);
  }
}
