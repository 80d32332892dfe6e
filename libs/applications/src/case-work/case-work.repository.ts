import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { ActorKind, StatePhase, WorkflowActor } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';

/** Who holds an application, next to the facts that decide whether it can be held. */
export interface ClaimState {
  /** The department owning the case (the procedure version's, kept on the row). */
  department: string;
  state: string;
  phase: StatePhase;
  claimedBy: string | null;
  claimedAt: Date | null;
  activeAt: Date | null;
}

export interface NoteRecord {
  id: string;
  authorId: string;
  body: string;
  createdAt: Date;
}

export interface SubmissionRecord {
  seq: number;
  /** Sealed, as stored on the application (the individual number encrypted). */
  formData: Record<string, unknown>;
  submittedAt: Date;
  actorKind: ActorKind;
  actorId: string;
}

interface ClaimRow {
  department: string;
  state: string;
  phase: StatePhase;
  claimed_by: string | null;
  claimed_at: Date | null;
  claim_active_at: Date | null;
}

const toClaim = (row: ClaimRow): ClaimState => ({
  department: row.department,
  state: row.state,
  phase: row.phase,
  claimedBy: row.claimed_by,
  claimedAt: row.claimed_at,
  activeAt: row.claim_active_at,
});

/**
 * The claim columns of `applications`, and the `application_notes` and
 * `application_submissions` tables. Claims never touch the revision or
 * `updated_at`: holding a case is not a change to the application.
 */
@Injectable()
export class CaseWorkRepository {
  constructor(private readonly dataSource: DataSource) {}

  // Claims

  /**
   * Takes the claim unless someone else holds it, in one conditional UPDATE:
   * of two staff claiming at once, the second finds the first's claim in the
   * WHERE clause and updates nothing. Returns the previous holder (null: it
   * was free; the caller: a refresh), or undefined when refused.
   */
  async claim(manager: EntityManager, municipalityId: MunicipalityId, id: string, staffId: string, at: Date): Promise<{ previous: string | null } | undefined> {
    // The CTE's row lock makes `previous` the holder this UPDATE replaced, even after waiting on a concurrent claim.
    const [rows]: [Array<{ previous: string | null }>, number] = await manager.query(
      `WITH current AS (
         SELECT claimed_by FROM applications WHERE municipality_id = $1 AND id = $2 FOR UPDATE
       )
       UPDATE applications AS a
          SET claimed_by = $3,
              claimed_at = CASE WHEN a.claimed_by = $3 THEN a.claimed_at ELSE $4 END,
              claim_active_at = $4
         FROM current
        WHERE a.municipality_id = $1 AND a.id = $2 AND a.phase = 'active'
          AND (a.claimed_by IS NULL OR a.claimed_by = $3)
       RETURNING current.claimed_by AS previous`,
      [municipalityId, id, staffId, at],
    );
    return rows[0] ? { previous: rows[0].previous } : undefined;
  }

  async claimState(municipalityId: MunicipalityId, id: string, manager: EntityManager = this.dataSource.manager): Promise<ClaimState | null> {
    const rows: ClaimRow[] = await manager.query(
      `SELECT department, state, phase, claimed_by, claimed_at, claim_active_at FROM applications WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id],
    );
    return rows[0] ? toClaim(rows[0]) : null;
  }

  /** The claim, with the row locked until the caller's transaction ends (release and assign decide on it). */
  async lockClaim(manager: EntityManager, municipalityId: MunicipalityId, id: string): Promise<ClaimState | null> {
    const rows: ClaimRow[] = await manager.query(
      `SELECT department, state, phase, claimed_by, claimed_at, claim_active_at FROM applications WHERE municipality_id = $1 AND id = $2 FOR UPDATE`,
      [municipalityId, id],
    );
    return rows[0] ? toClaim(rows[0]) : null;
  }

  /** Hands the claim to `holder` (null: frees it); the caller holds the row lock. */
  async setClaim(manager: EntityManager, municipalityId: MunicipalityId, id: string, holder: string | null, at: Date): Promise<void> {
    await manager.query(
      `UPDATE applications SET claimed_by = $3, claimed_at = $4, claim_active_at = $4 WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, holder, holder === null ? null : at],
    );
  }

  /** The holder acted: their idle time starts again. */
  async touchClaim(manager: EntityManager, municipalityId: MunicipalityId, id: string, holder: string, at: Date): Promise<void> {
    await manager.query(`UPDATE applications SET claim_active_at = $4 WHERE municipality_id = $1 AND id = $2 AND claimed_by = $3`, [
      municipalityId,
      id,
      holder,
      at,
    ]);
  }

  /**
   * Claims whose holder has not acted since `before`, oldest first. Claims
   * on returned applications wait for the resident, not for their holder,
   * and are left alone.
   */
  async idleClaims(municipalityId: MunicipalityId, before: Date, limit: number): Promise<Array<{ id: string; claimedBy: string }>> {
    const rows: Array<{ id: string; claimed_by: string }> = await this.dataSource.query(
      `SELECT id, claimed_by FROM applications
        WHERE municipality_id = $1 AND claimed_by IS NOT NULL AND claim_active_at < $2 AND state <> 'returned'
        ORDER BY claim_active_at LIMIT $3`,
      [municipalityId, before, limit],
    );
    return rows.map((row) => ({ id: row.id, claimedBy: row.claimed_by }));
  }

  /** Frees an idle claim if it is still the same holder's and still idle (another worker, or the holder, may have got there first). */
  async releaseIdle(manager: EntityManager, municipalityId: MunicipalityId, id: string, holder: string, before: Date): Promise<boolean> {
    const [, count]: [unknown[], number] = await manager.query(
      `UPDATE applications SET claimed_by = NULL, claimed_at = NULL, claim_active_at = NULL
        WHERE municipality_id = $1 AND id = $2 AND claimed_by = $3 AND claim_active_at < $4 AND state <> 'returned'`,
      [municipalityId, id, holder, before],
    );
    return count === 1;
  }

  // Notes

  async insertNote(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, note: NoteRecord): Promise<void> {
    await manager.query(
      `INSERT INTO application_notes (municipality_id, application_id, id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [municipalityId, applicationId, note.id, note.authorId, note.body, note.createdAt],
    );
  }

  /** Oldest first. */
  async notes(municipalityId: MunicipalityId, applicationId: string, limit = 500): Promise<NoteRecord[]> {
    const rows: Array<{ id: string; author_id: string; body: string; created_at: Date }> = await this.dataSource.query(
      `SELECT id, author_id, body, created_at FROM application_notes
        WHERE municipality_id = $1 AND application_id = $2 ORDER BY created_at, seq LIMIT $3`,
      [municipalityId, applicationId, limit],
    );
    return rows.map((row) => ({ id: row.id, authorId: row.author_id, body: row.body, createdAt: row.created_at }));
  }

  // Submission snapshots

  async insertSubmission(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    applicationId: string,
    submission: { seq: number; formData: Record<string, unknown>; at: Date; actor: WorkflowActor },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO application_submissions (municipality_id, application_id, seq, form_data, submitted_at, actor_kind, actor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [municipalityId, applicationId, submission.seq, JSON.stringify(submission.formData), submission.at, submission.actor.kind, submission.actor.id],
    );
  }

  /** The newest `count` submissions, newest first. */
  async latestSubmissions(municipalityId: MunicipalityId, applicationId: string, count: number): Promise<SubmissionRecord[]> {
    const rows: Array<{ seq: number; form_data: Record<string, unknown>; submitted_at: Date; actor_kind: ActorKind; actor_id: string }> = await this.dataSource.query(
      `SELECT seq, form_data, submitted_at, actor_kind, actor_id FROM application_submissions
        WHERE municipality_id = $1 AND application_id = $2 ORDER BY seq DESC LIMIT $3`,
      [municipalityId, applicationId, count],
    );
    return rows.map((row) => ({ seq: row.seq, formData: row.form_data, submittedAt: row.submitted_at, actorKind: row.actor_kind, actorId: row.actor_id }));
  }
}
