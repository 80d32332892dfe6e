import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-approval (電子決裁). `approval_progress` is where each application's
 * route stands (one row per application, replaced each round);
 * `approval_decisions` is the append-only record, each row hashed over the
 * application content, the previous row's hash and itself; delegations
 * (代決) and the grant decisions (交付決定 / 不交付決定) of subsidies.
 */
export class Approvals1795410200000 implements MigrationInterface {
  name = 'Approvals1795410200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE approval_progress (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        round integer NOT NULL CHECK (round >= 1),
        -- The route resolved when the round began (rules applied to the form then).
        route jsonb NOT NULL,
        step_index integer NOT NULL CHECK (step_index >= 0),
        -- Approvals that count in this round: [{ step, department, approverId }].
        approvals jsonb NOT NULL DEFAULT '[]'::jsonb,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        -- The owning department and, for a 合議 step, the departments still to agree: what "pending" filters on.
        department text NOT NULL,
        waiting_departments text[] NOT NULL,
        required_level text CHECK (required_level IN ('kakaricho', 'kacho', 'bucho')),
        opened_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, application_id),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );
      CREATE INDEX approval_progress_waiting ON approval_progress USING gin (waiting_departments) WHERE status = 'open';
      CREATE INDEX approval_progress_open ON approval_progress (municipality_id, opened_at) WHERE status = 'open';

      CREATE TABLE approval_decisions (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq >= 1),
        round integer NOT NULL CHECK (round >= 1),
        step_index integer NOT NULL CHECK (step_index >= 0),
        step_kind text NOT NULL CHECK (step_kind IN ('level', 'consultation')),
        department text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('approved', 'returnedToPrevious', 'returnedToClerk', 'rejected')),
        approver_id text NOT NULL,
        approver_level text CHECK (approver_level IN ('kakaricho', 'kacho', 'bucho')),
        on_behalf_of text,
        delegation_id uuid,
        comment text,
        content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
        previous_hash text CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        decided_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, application_id, seq),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        CHECK ((seq = 1) = (previous_hash IS NULL)),
        CHECK ((on_behalf_of IS NULL) = (delegation_id IS NULL))
      );
      CREATE TRIGGER approval_decisions_append_only BEFORE UPDATE OR DELETE ON approval_decisions
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();
      CREATE INDEX approval_decisions_approver ON approval_decisions (municipality_id, approver_id, decided_at DESC);

      CREATE TABLE approval_delegations (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        delegator_id uuid NOT NULL,
        delegate_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, delegator_id) REFERENCES staff (municipality_id, id),
        FOREIGN KEY (municipality_id, delegate_id) REFERENCES staff (municipality_id, id),
        CHECK (delegator_id <> delegate_id),
        CHECK (ends_at > starts_at)
      );
      CREATE INDEX approval_delegations_delegate ON approval_delegations (municipality_id, delegate_id, ends_at) WHERE revoked_at IS NULL;

      CREATE TABLE grant_decisions (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        decision_number text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('grant', 'nonGrant')),
        amount integer CHECK (amount >= 0),
        requested_amount integer CHECK (requested_amount >= 0),
        reason text,
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL,
        -- The approval chain's last hash when decided (null when rejected at review).
        approval_hash text,
        PRIMARY KEY (municipality_id, application_id),
        UNIQUE (municipality_id, decision_number),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        CHECK ((kind = 'grant') = (amount IS NOT NULL)),
        CHECK (kind = 'grant' OR reason IS NOT NULL)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE grant_decisions;
      DROP TABLE approval_delegations;
      DROP TABLE approval_decisions;
      DROP TABLE approval_progress;
    `);
  }
}
