import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotent requests, and attachments kept in PostgreSQL by content hash so
 * a resident can reuse a document already submitted (ワンスオンリー).
 */
export class Submission1795390100000 implements MigrationInterface {
  name = 'Submission1795390100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        owner text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, owner, key)
      );

      CREATE TABLE attachments (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        owner_resident_id uuid NOT NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        data bytea NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id)
      );
      CREATE UNIQUE INDEX attachments_owner_content ON attachments (municipality_id, owner_resident_id, sha256);

      CREATE TABLE application_attachments (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        attachment_id uuid NOT NULL,
        attached_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, application_id, attachment_id),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        FOREIGN KEY (municipality_id, attachment_id) REFERENCES attachments (municipality_id, id)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE application_attachments, attachments, idempotency_keys;`);
  }
}
