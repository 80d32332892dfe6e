import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assisted entry at the counter (書かない窓口, issue 5): the QR handover of an
 * online draft to the counter, and the identity checks staff make in person.
 */
export class CounterEntry1795410300000 implements MigrationInterface {
  name = 'CounterEntry1795410300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- One live code per draft: a new request replaces the row. Only the
      -- SHA-256 of the code is kept, so a leaked table opens nothing.
      CREATE TABLE application_handovers (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        application_id uuid NOT NULL,
        code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
        requested_by text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_by text,
        PRIMARY KEY (municipality_id, application_id),
        UNIQUE (municipality_id, code_hash),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        CHECK (expires_at > created_at),
        CHECK ((used_at IS NULL) = (used_by IS NULL))
      );

      -- Who saw which kind of document, when; never the document's number.
      CREATE TABLE application_identity_checks (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        application_id uuid NOT NULL,
        method text NOT NULL CHECK (method IN ('myNumberCard', 'driversLicense', 'passport', 'residenceCard', 'healthInsuranceCard', 'other')),
        documents_shown smallint CHECK (documents_shown BETWEEN 1 AND 5),
        note text CHECK (char_length(note) <= 200),
        checked_by text NOT NULL,
        checked_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );
      CREATE INDEX application_identity_checks_application ON application_identity_checks (municipality_id, application_id, checked_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE application_identity_checks, application_handovers;`);
  }
}
