import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention of closed cases' personal data by procedure (文書保存年限),
 * legal holds, and the residents' access log.
 *
 * Erasure passes through one SECURITY DEFINER function owned by the schema
 * owner, `erase_case_personal_data`: the service role keeps no right to
 * delete a submission, a note or a signature, or to change an issued
 * document, on its own. The append-only triggers on those tables let a
 * change through only inside that function (the current user is the
 * table's owner and `madoguchi.erasure` is set for the transaction), so
 * the service can erase after the retention period and nothing else.
 * What statistics and KPIs read (procedure, channel, state, dates, fee in
 * the snapshot, department, events' types and times) is never touched.
 */
export class PersonalDataRetention1795680000000 implements MigrationInterface {
  name = 'PersonalDataRetention1795680000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE application_legal_holds (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        placed_by uuid NOT NULL,
        placed_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, application_id),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );

      -- One row per case and category erased: makes the job idempotent and says what is gone.
      CREATE TABLE application_erasures (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        category text NOT NULL CHECK (category IN ('formAnswers', 'attachments', 'signatures', 'documents')),
        erased_at timestamptz NOT NULL,
        reason text NOT NULL CHECK (reason IN ('retention')),
        PRIMARY KEY (municipality_id, application_id, category),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );
      REVOKE UPDATE, DELETE, TRUNCATE ON application_erasures FROM madoguchi_app;

      -- A closed account stays as a tombstone: its id (which cases, bookings and the
      -- audit log refer to) with no e-mail, password, card subject or individual number.
      ALTER TABLE residents ADD COLUMN closed_at timestamptz;
      DO $$
      DECLARE c text;
      BEGIN
        SELECT conname INTO c FROM pg_constraint
         WHERE conrelid = 'residents'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%email IS NOT NULL%jpki_subject IS NOT NULL%';
        IF c IS NOT NULL THEN EXECUTE format('ALTER TABLE residents DROP CONSTRAINT %I', c); END IF;
      END $$;
      ALTER TABLE residents ADD CONSTRAINT residents_reachable_or_closed CHECK (
        (closed_at IS NULL AND (email IS NOT NULL OR jpki_subject IS NOT NULL))
        OR (closed_at IS NOT NULL AND email IS NULL AND password_hash IS NULL AND jpki_subject IS NULL AND individual_number_enc IS NULL));

      -- Staff reads name the resident they read (details.subject): the access log looks them up by it.
      CREATE INDEX audit_log_subject ON audit_log (municipality_id, (details->>'subject'), seq DESC) WHERE details ? 'subject';
      CREATE INDEX applications_closed ON applications (municipality_id, closed_at) WHERE closed_at IS NOT NULL;

      CREATE FUNCTION erasure_in_progress() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce(current_setting('madoguchi.erasure', true), '') = 'on'
           AND current_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'applications')
      $$;

      CREATE FUNCTION forbid_update_delete_except_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND erasure_in_progress() THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$;
      DROP TRIGGER application_submissions_append_only ON application_submissions;
      CREATE TRIGGER application_submissions_append_only BEFORE UPDATE OR DELETE ON application_submissions
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete_except_erasure();
      DROP TRIGGER application_notes_append_only ON application_notes;
      CREATE TRIGGER application_notes_append_only BEFORE UPDATE OR DELETE ON application_notes
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete_except_erasure();

      -- An issued document's PDF and printed fields may be emptied by erasure; its serial, hash and status stay.
      CREATE OR REPLACE FUNCTION documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'documents are never deleted';
        END IF;
        IF erasure_in_progress() AND NEW.pdf = ''::bytea AND NEW.printed = '{}'::jsonb
           AND (NEW.pdf, NEW.printed) IS DISTINCT FROM (OLD.pdf, OLD.printed)
           AND NEW.sha256 = OLD.sha256 AND NEW.serial = OLD.serial AND NEW.verification_code = OLD.verification_code
           AND NEW.application_id = OLD.application_id AND NEW.issued_at = OLD.issued_at AND NEW.status = OLD.status THEN
          RETURN NEW;
        END IF;
        IF NEW.pdf IS DISTINCT FROM OLD.pdf OR NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.serial IS DISTINCT FROM OLD.serial
           OR NEW.verification_code IS DISTINCT FROM OLD.verification_code OR NEW.printed IS DISTINCT FROM OLD.printed
           OR NEW.application_id IS DISTINCT FROM OLD.application_id OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
           OR (OLD.status = 'revoked' AND NEW IS DISTINCT FROM OLD) THEN
          RAISE EXCEPTION 'an issued document is immutable; revoke it and issue a new one';
        END IF;
        RETURN NEW;
      END $$;

      -- Erases one category of one closed case, unless a legal hold stands; returns whether it did.
      CREATE FUNCTION erase_case_personal_data(p_municipality text, p_application uuid, p_category text, p_at timestamptz)
        RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        PERFORM 1 FROM applications WHERE municipality_id = p_municipality AND id = p_application AND closed_at IS NOT NULL FOR UPDATE;
        IF NOT FOUND THEN RAISE EXCEPTION 'application % is not closed', p_application; END IF;
        IF EXISTS (SELECT 1 FROM application_legal_holds WHERE municipality_id = p_municipality AND application_id = p_application) THEN
          RETURN false;
        END IF;
        IF EXISTS (SELECT 1 FROM application_erasures WHERE municipality_id = p_municipality AND application_id = p_application AND category = p_category) THEN
          RETURN false;
        END IF;
        PERFORM set_config('madoguchi.erasure', 'on', true);
        IF p_category = 'formAnswers' THEN
          UPDATE applications SET form_data = '{}'::jsonb WHERE municipality_id = p_municipality AND id = p_application;
          DELETE FROM application_submissions WHERE municipality_id = p_municipality AND application_id = p_application;
          DELETE FROM application_notes WHERE municipality_id = p_municipality AND application_id = p_application;
          DELETE FROM application_identity_checks WHERE municipality_id = p_municipality AND application_id = p_application;
        ELSIF p_category = 'attachments' THEN
          CREATE TEMP TABLE IF NOT EXISTS erased_attachments (attachment_id uuid) ON COMMIT DROP;
          DELETE FROM erased_attachments;
          WITH gone AS (
            DELETE FROM application_attachments WHERE municipality_id = p_municipality AND application_id = p_application RETURNING attachment_id)
          INSERT INTO erased_attachments SELECT attachment_id FROM gone;
          -- A file the resident also attached to a case still kept stays for that case.
          DELETE FROM attachments a USING erased_attachments e
           WHERE a.municipality_id = p_municipality AND a.id = e.attachment_id
             AND NOT EXISTS (SELECT 1 FROM application_attachments l WHERE l.municipality_id = a.municipality_id AND l.attachment_id = a.id);
        ELSIF p_category = 'signatures' THEN
          DELETE FROM application_signatures WHERE municipality_id = p_municipality AND application_id = p_application;
        ELSIF p_category = 'documents' THEN
          UPDATE documents SET pdf = ''::bytea, printed = '{}'::jsonb WHERE municipality_id = p_municipality AND application_id = p_application;
        ELSE
          RAISE EXCEPTION 'unknown category %', p_category;
        END IF;
        PERFORM set_config('madoguchi.erasure', '', true);
        INSERT INTO application_erasures (municipality_id, application_id, category, erased_at, reason)
          VALUES (p_municipality, p_application, p_category, p_at, 'retention');
        RETURN true;
      END $$;
      REVOKE ALL ON FUNCTION erase_case_personal_data(text, uuid, text, timestamptz) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION erase_case_personal_data(text, uuid, text, timestamptz) TO madoguchi_app;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP FUNCTION erase_case_personal_data(text, uuid, text, timestamptz);
      DROP TRIGGER application_submissions_append_only ON application_submissions;
      CREATE TRIGGER application_submissions_append_only BEFORE UPDATE OR DELETE ON application_submissions FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();
      DROP TRIGGER application_notes_append_only ON application_notes;
      CREATE TRIGGER application_notes_append_only BEFORE UPDATE OR DELETE ON application_notes FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();
      DROP FUNCTION forbid_update_delete_except_erasure();
      DROP INDEX applications_closed;
      DROP INDEX audit_log_subject;
      DROP TABLE application_erasures, application_legal_holds;
      DELETE FROM residents WHERE closed_at IS NOT NULL;
      ALTER TABLE residents DROP CONSTRAINT residents_reachable_or_closed;
      ALTER TABLE residents ADD CHECK (email IS NOT NULL OR jpki_subject IS NOT NULL);
      ALTER TABLE residents DROP COLUMN closed_at;
    `);
  }
}
