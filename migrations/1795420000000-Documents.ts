import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issued documents: serials, hashes, verification codes and revocation (issue 6).
 *
 * One row per issued PDF, kept with its bytes: the SHA-256 and the
 * verification code printed on it answer the public verification page, and
 * `printed` holds exactly the fields printed on it (what that page may show).
 * A document is never deleted or re-rendered; a correction revokes it and
 * issues a new one with a new serial (`replaced_by` / `replaces`).
 */
export class Documents1795420000000 implements MigrationInterface {
  name = 'Documents1795420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- Serial numbers restart every fiscal year; one series for issued documents (C), one for receipts (U).
      CREATE TABLE document_serials (
        municipality_id text NOT NULL,
        series text NOT NULL CHECK (series IN ('C', 'U')),
        fiscal_year integer NOT NULL,
        last_value integer NOT NULL CHECK (last_value > 0),
        PRIMARY KEY (municipality_id, series, fiscal_year)
      );

      CREATE TABLE documents (
        municipality_id text NOT NULL,
        id uuid NOT NULL,
        application_id uuid NOT NULL,
        -- The template: residenceCertificate, sealCertificate, incomeTaxCertificate, taxPaymentCertificate,
        -- disasterCertificate, grantDecision, nonGrantDecision, usePermit, notice, receipt.
        kind text NOT NULL,
        title_ja text NOT NULL,
        title_en text NOT NULL,
        serial text NOT NULL,
        fiscal_year integer NOT NULL,
        -- What made it, unique per application: a redelivered outbox message or a replayed reissue finds the row it made.
        issue_key text NOT NULL,
        -- Normalised (upper case, no separators); printed in groups of four.
        verification_code text NOT NULL CHECK (verification_code ~ '^[0-9A-HJKMNP-TV-Z]{16}$'),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        byte_size integer NOT NULL CHECK (byte_size > 0),
        pdf bytea NOT NULL,
        printed jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('issued', 'revoked')),
        issued_at timestamptz NOT NULL,
        issued_by_kind text NOT NULL CHECK (issued_by_kind IN ('system', 'staff', 'resident')),
        issued_by_id text,
        revoked_at timestamptz,
        revoked_by text,
        revoked_reason text,
        replaces uuid,
        replaced_by uuid,
        PRIMARY KEY (municipality_id, id),
        UNIQUE (municipality_id, serial),
        UNIQUE (municipality_id, verification_code),
        UNIQUE (municipality_id, application_id, issue_key),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        FOREIGN KEY (municipality_id, replaces) REFERENCES documents (municipality_id, id),
        FOREIGN KEY (municipality_id, replaced_by) REFERENCES documents (municipality_id, id),
        CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
        CHECK (status = 'issued' OR (revoked_reason IS NOT NULL AND revoked_by IS NOT NULL)),
        CHECK (replaced_by IS NULL OR status = 'revoked')
      );

      CREATE INDEX documents_by_application ON documents (municipality_id, application_id, issued_at);
      -- A PDF presented without its code is found by its hash.
      CREATE INDEX documents_by_sha256 ON documents (municipality_id, sha256);

      -- What was issued never changes; only the revocation columns may be set, once.
      CREATE FUNCTION documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'documents are never deleted';
        END IF;
        IF NEW.pdf IS DISTINCT FROM OLD.pdf OR NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.serial IS DISTINCT FROM OLD.serial
           OR NEW.verification_code IS DISTINCT FROM OLD.verification_code OR NEW.printed IS DISTINCT FROM OLD.printed
           OR NEW.application_id IS DISTINCT FROM OLD.application_id OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
           OR (OLD.status = 'revoked' AND NEW IS DISTINCT FROM OLD) THEN
          RAISE EXCEPTION 'an issued document is immutable; revoke it and issue a new one';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER documents_immutable BEFORE UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION documents_immutable();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE documents;
      DROP FUNCTION documents_immutable();
      DROP TABLE document_serials;
    `);
  }
}
