import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { ApprovalLevel } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChainedDecision } from './approval-chain';
import type { CountedApproval, ResolvedStep } from './approval-route';

export interface ProgressRow {
  applicationId: string;
  round: number;
  route: ResolvedStep[];
  stepIndex: number;
  approvals: CountedApproval[];
  status: 'open' | 'closed';
  department: string;
  waitingDepartments: string[];
  requiredLevel: ApprovalLevel | null;
  openedAt: Date;
}

export interface PendingRow extends ProgressRow {
  procedureCode: string;
  procedureVersion: number;
  referenceNumber: string | null;
  revision: number;
  enteredBy: string | null;
  submittedAt: Date | null;
}

export interface DelegationRow {
  id: string;
  delegatorId: string;
  delegateId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface GrantDecisionRow {
  applicationId: string;
  decisionNumber: string;
  kind: 'grant' | 'nonGrant';
  amount: number | null;
  requestedAmount: number | null;
  reason: string | null;
  decidedBy: string;
  decidedAt: Date;
  approvalHash: string | null;
}

const PROGRESS_COLUMNS = `p.application_id, p.round, p.route, p.step_index, p.approvals, p.status, p.department, p.waiting_departments, p.required_level, p.opened_at`;

interface ProgressSqlRow {
  application_id: string;
  round: number;
  route: ResolvedStep[];
  step_index: number;
  approvals: CountedApproval[];
  status: 'open' | 'closed';
  department: string;
  waiting_departments: string[];
  required_level: ApprovalLevel | null;
  opened_at: Date;
}

const toProgress = (row: ProgressSqlRow): ProgressRow => ({
  applicationId: row.application_id,
  round: row.round,
  route: row.route,
  stepIndex: row.step_index,
  approvals: row.approvals,
  status: row.status,
  department: row.department,
  waitingDepartments: row.waiting_departments,
  requiredLevel: row.required_level,
  openedAt: row.opened_at,
});

/** The only code that touches the approval tables. */
@Injectable()
export class ApprovalRepository {
  constructor(private readonly dataSource: DataSource) {}

  async progress(municipalityId: MunicipalityId, applicationId: string, manager: EntityManager = this.dataSource.manager): Promise<ProgressRow | null> {
    const rows: ProgressSqlRow[] = await manager.query(`SELECT ${PROGRESS_COLUMNS} FROM approval_progress p WHERE p.municipality_id = $1 AND p.application_id = $2`, [
      municipalityId,
      applicationId,
    ]);
    return rows[0] ? toProgress(rows[0]) : null;
  }

  /** Starts a round (the first, or the next after a return to the clerk). */
  async openRound(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    write: { applicationId: string; route: ResolvedStep[]; department: string; waitingDepartments: string[]; requiredLevel: ApprovalLevel | null; at: Date },
  ): Promise<number> {
    const rows: Array<{ round: number }> = await manager.query(
      `INSERT INTO approval_progress (municipality_id, application_id, round, route, step_index, approvals, status, department, waiting_departments, required_level, opened_at, updated_at)
       VALUES ($1, $2, 1, $3, 0, '[]'::jsonb, 'open', $4, $5, $6, $7, $7)
       ON CONFLICT (municipality_id, application_id) DO UPDATE
         SET round = approval_progress.round + 1, route = EXCLUDED.route, step_index = 0, approvals = '[]'::jsonb, status = 'open',
             department = EXCLUDED.department, waiting_departments = EXCLUDED.waiting_departments, required_level = EXCLUDED.required_level,
             opened_at = EXCLUDED.opened_at, updated_at = EXCLUDED.updated_at
       RETURNING round`,
      [municipalityId, write.applicationId, JSON.stringify(write.route), write.department, write.waitingDepartments, write.requiredLevel, write.at],
    );
    return rows[0].round;
  }

  async updateProgress(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    applicationId: string,
    write: { stepIndex: number; approvals: CountedApproval[]; waitingDepartments: string[]; requiredLevel: ApprovalLevel | null; at: Date },
  ): Promise<void> {
    await manager.query(
      `UPDATE approval_progress SET step_index = $3, approvals = $4, waiting_departments = $5, required_level = $6, updated_at = $7
        WHERE municipality_id = $1 AND application_id = $2 AND status = 'open'`,
      [municipalityId, applicationId, write.stepIndex, JSON.stringify(write.approvals), write.waitingDepartments, write.requiredLevel, write.at],
    );
  }

  async closeRound(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE approval_progress SET status = 'closed', waiting_departments = '{}', updated_at = $3 WHERE municipality_id = $1 AND application_id = $2 AND status = 'open'`,
      [municipalityId, applicationId, at],
    );
  }

  /** Open rounds waiting for any of the departments, oldest first. */
  async pendingFor(municipalityId: MunicipalityId, departments: string[], limit: number): Promise<PendingRow[]> {
    const rows: Array<ProgressSqlRow & { procedure_code: string; procedure_version: number; reference_number: string | null; revision: number; entered_by: string | null; submitted_at: Date | null }> =
      await this.dataSource.query(
        `SELECT ${PROGRESS_COLUMNS}, a.procedure_code, a.procedure_version, a.reference_number, a.revision, a.entered_by, a.submitted_at
           FROM approval_progress p
           JOIN applications a ON a.municipality_id = p.municipality_id AND a.id = p.application_id
          WHERE p.municipality_id = $1 AND p.status = 'open' AND p.waiting_departments && $2::text[]
          ORDER BY p.opened_at, p.application_id
          LIMIT $3`,
        [municipalityId, departments, limit],
      );
    return rows.map((row) => ({
      ...toProgress(row),
      procedureCode: row.procedure_code,
      procedureVersion: row.procedure_version,
      referenceNumber: row.reference_number,
      revision: row.revision,
      enteredBy: row.entered_by,
      submittedAt: row.submitted_at,
    }));
  }

  /** Staff who took part in the case before approval (sent a staff.* event): never its approvers. */
  async reviewersOf(municipalityId: MunicipalityId, applicationIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, Set<string>>> {
    const rows: Array<{ application_id: string; actor_id: string }> = await manager.query(
      `SELECT DISTINCT application_id, actor_id FROM application_events
        WHERE municipality_id = $1 AND application_id = ANY($2::uuid[]) AND actor_kind = 'staff' AND type LIKE 'staff.%'`,
      [municipalityId, applicationIds],
    );
    const byApplication = new Map<string, Set<string>>();
    for (const row of rows) {
      const set = byApplication.get(row.application_id) ?? new Set<string>();
      set.add(row.actor_id);
      byApplication.set(row.application_id, set);
    }
    return byApplication;
  }

  async attachmentHashes(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string): Promise<string[]> {
    const rows: Array<{ sha256: string }> = await manager.query(
      `SELECT a.sha256 FROM application_attachments l JOIN attachments a ON a.municipality_id = l.municipality_id AND a.id = l.attachment_id
        WHERE l.municipality_id = $1 AND l.application_id = $2`,
      [municipalityId, applicationId],
    );
    return rows.map((row) => row.sha256);
  }

  async decisions(municipalityId: MunicipalityId, applicationId: string, manager: EntityManager = this.dataSource.manager): Promise<ChainedDecision[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT application_id, seq, round, step_index, step_kind, department, outcome, approver_id, approver_level, on_behalf_of, delegation_id, comment,
              content_hash, previous_hash, hash, decided_at
         FROM approval_decisions WHERE municipality_id = $1 AND application_id = $2 ORDER BY seq`,
      [municipalityId, applicationId],
    );
    return rows.map((row) => ({
      applicationId: row.application_id as string,
      seq: row.seq as number,
      round: row.round as number,
      stepIndex: row.step_index as number,
      stepKind: row.step_kind as ChainedDecision['stepKind'],
      department: row.department as string,
      outcome: row.outcome as ChainedDecision['outcome'],
      approverId: row.approver_id as string,
      approverLevel: row.approver_level as string | null,
      onBehalfOf: row.on_behalf_of as string | null,
      delegationId: row.delegation_id as string | null,
      comment: row.comment as string | null,
      decidedAt: (row.decided_at as Date).toISOString(),
      contentHash: row.content_hash as string,
      previousHash: row.previous_hash as string | null,
      hash: row.hash as string,
    }));
  }

  /** The caller holds the application's row lock, so seq cannot race. */
  async lastDecisionHash(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string): Promise<{ seq: number; hash: string } | null> {
    const rows: Array<{ seq: number; hash: string }> = await manager.query(
      `SELECT seq, hash FROM approval_decisions WHERE municipality_id = $1 AND application_id = $2 ORDER BY seq DESC LIMIT 1`,
      [municipalityId, applicationId],
    );
    return rows[0] ?? null;
  }

  async insertDecision(manager: EntityManager, municipalityId: MunicipalityId, decision: ChainedDecision): Promise<void> {
    await manager.query(
      `INSERT INTO approval_decisions (municipality_id, application_id, seq, round, step_index, step_kind, department, outcome, approver_id, approver_level,
         on_behalf_of, delegation_id, comment, content_hash, previous_hash, hash, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        municipalityId,
        decision.applicationId,
        decision.seq,
        decision.round,
        decision.stepIndex,
        decision.stepKind,
        decision.department,
        decision.outcome,
        decision.approverId,
        decision.approverLevel,
        decision.onBehalfOf,
        decision.delegationId,
        decision.comment,
        decision.contentHash,
        decision.previousHash,
        decision.hash,
        new Date(decision.decidedAt),
      ],
    );
  }

  // Delegations (代決)

  async insertDelegation(municipalityId: MunicipalityId, delegation: DelegationRow): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO approval_delegations (municipality_id, id, delegator_id, delegate_id, starts_at, ends_at, reason, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [municipalityId, delegation.id, delegation.delegatorId, delegation.delegateId, delegation.startsAt, delegation.endsAt, delegation.reason, delegation.createdAt],
    );
  }

  /** Delegations given or received by the staff member that have not ended. */
  async delegationsOf(municipalityId: MunicipalityId, staffId: string, now: Date): Promise<DelegationRow[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, delegator_id, delegate_id, starts_at, ends_at, reason, created_at, revoked_at FROM approval_delegations
        WHERE municipality_id = $1 AND (delegator_id = $2 OR delegate_id = $2) AND revoked_at IS NULL AND ends_at > $3
        ORDER BY starts_at, id`,
      [municipalityId, staffId, now],
    );
    return rows.map(toDelegation);
  }

  /** Delegations to the staff member in force at `now`. */
  async activeDelegationsTo(municipalityId: MunicipalityId, delegateId: string, now: Date, manager: EntityManager = this.dataSource.manager): Promise<DelegationRow[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT id, delegator_id, delegate_id, starts_at, ends_at, reason, created_at, revoked_at FROM approval_delegations
        WHERE municipality_id = $1 AND delegate_id = $2 AND revoked_at IS NULL AND starts_at <= $3 AND ends_at > $3
        ORDER BY starts_at, id`,
      [municipalityId, delegateId, now],
    );
    return rows.map(toDelegation);
  }

  /** Revokes a delegation the staff member gave; false when there is none to revoke. */
  async revokeDelegation(municipalityId: MunicipalityId, id: string, delegatorId: string, now: Date): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE approval_delegations SET revoked_at = $4 WHERE municipality_id = $1 AND id = $2 AND delegator_id = $3 AND revoked_at IS NULL`,
      [municipalityId, id, delegatorId, now],
    );
    return result[1] === 1;
  }

  // Grant decisions (交付決定)

  async insertGrantDecision(manager: EntityManager, municipalityId: MunicipalityId, decision: GrantDecisionRow): Promise<void> {
    await manager.query(
      `INSERT INTO grant_decisions (municipality_id, application_id, decision_number, kind, amount, requested_amount, reason, decided_by, decided_at, approval_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        municipalityId,
        decision.applicationId,
        decision.decisionNumber,
        decision.kind,
        decision.amount,
        decision.requestedAmount,
        decision.reason,
        decision.decidedBy,
        decision.decidedAt,
        decision.approvalHash,
      ],
    );
  }

  async grantDecision(municipalityId: MunicipalityId, applicationId: string): Promise<GrantDecisionRow | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT application_id, decision_number, kind, amount, requested_amount, reason, decided_by, decided_at, approval_hash
         FROM grant_decisions WHERE municipality_id = $1 AND application_id = $2`,
      [municipalityId, applicationId],
    );
    const row = rows[0];
    return row
      ? {
          applicationId: row.application_id as string,
          decisionNumber: row.decision_number as string,
          kind: row.kind as GrantDecisionRow['kind'],
          amount: row.amount as number | null,
          requestedAmount: row.requested_amount as number | null,
          reason: row.reason as string | null,
          decidedBy: row.decided_by as string,
          decidedAt: row.decided_at as Date,
          approvalHash: row.approval_hash as string | null,
        }
      : null;
  }
}

function toDelegation(row: Record<string, unknown>): DelegationRow {
  return {
    id: row.id as string,
    delegatorId: row.delegator_id as string,
    delegateId: row.delegate_id as string,
    startsAt: row.starts_at as Date,
    endsAt: row.ends_at as Date,
    reason: row.reason as string,
    createdAt: row.created_at as Date,
    revokedAt: row.revoked_at as Date | null,
  };
}
