import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `procedure_drafts`: a definition text an administrator is trying before it
 * goes live. The last dry run is kept with the hash of the text it saw and
 * the version it was run against, so publishing can refuse a text edited
 * after its dry run, or a dry run made against a version since replaced.
 * Ordinary table: a draft is edited in place until it is published.
 */
export class ProcedureDrafts1795630000000 implements MigrationInterface {
  name = 'ProcedureDrafts1795630000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE procedure_drafts (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        code text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        source_text text NOT NULL,
        text_hash text NOT NULL CHECK (text_hash ~ '^[0-9a-f]{64}$'),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        dry_run jsonb,
        dry_run_text_hash text,
        dry_run_base_version integer,
        dry_run_at timestamptz,
        published_version integer,
        published_by text,
        published_at timestamptz,
        PRIMARY KEY (municipality_id, id),
        CHECK ((dry_run IS NULL) = (dry_run_text_hash IS NULL)),
        CHECK ((published_version IS NULL) = (published_at IS NULL))
      );
      CREATE INDEX procedure_drafts_code ON procedure_drafts (municipality_id, code, created_at DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE procedure_drafts;`);
  }
}
