import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Internal notes and submission snapshots of applications (issue 5). The
 * claim columns themselves (`claimed_by`, `claimed_at`, `claim_active_at`)
 * come with the work queue (1795410000000-WorkQueue); this only indexes them
 * for the idle-release job.
 *
 * Both tables are append-only: a note is a record of what staff wrote at the
 * time, and a snapshot is the form exactly as it was submitted (sealed, the
 * individual number encrypted), which the resubmission diffs rely on.
 */
export class CaseWork1795410100000 implements MigrationInterface {
  name = 'CaseWork1795410100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE application_notes (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        id uuid NOT NULL,
        -- Insertion order: notes written within one clock tick still list oldest first.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        author_id uuid NOT NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
        created_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, application_id, id),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        FOREIGN KEY (municipality_id, author_id) REFERENCES staff (municipality_id, id)
      );
      CREATE INDEX application_notes_by_time ON application_notes (municipality_id, application_id, created_at, seq);
      CREATE TRIGGER application_notes_append_only BEFORE UPDATE OR DELETE ON application_notes
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();

      CREATE TABLE application_submissions (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        -- The application's revision after the submitting event (application_events.seq).
        seq integer NOT NULL CHECK (seq > 0),
        form_data jsonb NOT NULL,
        submitted_at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'system', 'provider')),
        actor_id text NOT NULL,
        PRIMARY KEY (municipality_id, application_id, seq),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );
      CREATE TRIGGER application_submissions_append_only BEFORE UPDATE OR DELETE ON application_submissions
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();

      CREATE INDEX applications_claims_by_activity ON applications (municipality_id, claim_active_at) WHERE claimed_by IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX applications_claims_by_activity;
      DROP TABLE application_submissions;
      DROP TABLE application_notes;
    `);
  }
}
