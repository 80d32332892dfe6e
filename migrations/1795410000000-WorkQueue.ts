import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Due dates and work-queue columns on applications (issue 5).
 *
 * - `department`: the department owning the procedure version the
 *   application was started on. Copied from the definition so the queue
 *   filters on a plain indexed column instead of reading jsonb, and so a
 *   later version that moves the procedure does not move cases in flight.
 *   A trigger fills it in for writers that do not name it (raw fixture and
 *   bulk inserts), so no row is ever invisible to every queue.
 * - `due_on`: the standard processing time's due date (business days),
 *   NULL without a standard time and while the clock is paused.
 * - `due_paused_at`, `due_remaining_days`: set together while the
 *   application is returned for correction (差戻し); the remaining business
 *   days give the new due date on resubmission.
 * - `claimed_by`, `claimed_at`, `claim_active_at`: who works the case; the
 *   claim rules live with case work (1795410100000-CaseWork).
 *
 * Queue indexes: one per sort key (and one for the undated tail of the
 * due-date sort), each led by (municipality, department, phase) and ended by
 * id for the keyset tie-break, over submitted rows only (drafts and
 * discarded drafts never show in a queue). A page is then one ordered index
 * range scan with LIMIT per department and phase.
 *
 * Existing rows get no due date: their standard time would have to be
 * counted in business days, which SQL here does not know.
 */
export class WorkQueue1795410000000 implements MigrationInterface {
  name = 'WorkQueue1795410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE applications
        ADD COLUMN department text,
        ADD COLUMN due_on date,
        ADD COLUMN due_paused_at timestamptz,
        ADD COLUMN due_remaining_days integer,
        ADD COLUMN claimed_by text,
        ADD COLUMN claimed_at timestamptz,
        ADD COLUMN claim_active_at timestamptz;

      UPDATE applications a SET department = d.definition->>'department'
        FROM procedure_definitions d
       WHERE d.municipality_id = a.municipality_id AND d.code = a.procedure_code AND d.version = a.procedure_version;

      CREATE FUNCTION applications_department_of_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.department IS NULL THEN
          SELECT d.definition->>'department' INTO NEW.department FROM procedure_definitions d
           WHERE d.municipality_id = NEW.municipality_id AND d.code = NEW.procedure_code AND d.version = NEW.procedure_version;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER applications_department BEFORE INSERT ON applications
        FOR EACH ROW EXECUTE FUNCTION applications_department_of_version();

      ALTER TABLE applications
        ALTER COLUMN department SET NOT NULL,
        ADD CONSTRAINT applications_due_pause CHECK ((due_paused_at IS NULL) = (due_remaining_days IS NULL));

      CREATE INDEX applications_queue_due ON applications (municipality_id, department, phase, due_on, id)
        WHERE submitted_at IS NOT NULL;
      -- Undated cases in id order: btree does not treat IS NULL as an equality
      -- that leaves the next column ordered, so the due index alone would sort them.
      CREATE INDEX applications_queue_undated ON applications (municipality_id, department, phase, id)
        WHERE submitted_at IS NOT NULL AND due_on IS NULL;
      CREATE INDEX applications_queue_submitted ON applications (municipality_id, department, phase, submitted_at, id)
        WHERE submitted_at IS NOT NULL;
      CREATE INDEX applications_queue_updated ON applications (municipality_id, department, phase, updated_at, id)
        WHERE submitted_at IS NOT NULL;
      CREATE INDEX applications_queue_claimed ON applications (municipality_id, claimed_by, department)
        WHERE claimed_by IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX applications_queue_claimed, applications_queue_updated, applications_queue_submitted, applications_queue_undated, applications_queue_due;
      DROP TRIGGER applications_department ON applications;
      DROP FUNCTION applications_department_of_version();
      ALTER TABLE applications
        DROP CONSTRAINT applications_due_pause,
        DROP COLUMN claim_active_at,
        DROP COLUMN claimed_at,
        DROP COLUMN claimed_by,
        DROP COLUMN due_remaining_days,
        DROP COLUMN due_paused_at,
        DROP COLUMN due_on,
        DROP COLUMN department;
    `);
  }
}
