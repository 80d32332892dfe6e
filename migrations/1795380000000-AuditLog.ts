import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tamper-evident audit log: one hash chain per municipality, seq 1, 2, 3 …
 * with each entry holding the hash of the one before. Rows can only be
 * inserted: row triggers refuse UPDATE and DELETE, a statement trigger refuses
 * TRUNCATE (which skips row triggers), for every role, the owner included.
 */
export class AuditLog1795380000000 implements MigrationInterface {
  name = 'AuditLog1795380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_log (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        seq bigint NOT NULL CHECK (seq >= 1),
        occurred_at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'system', 'anonymous')),
        actor_id text,
        action text NOT NULL CHECK (action ~ '^[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)+$'),
        target_type text,
        target_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object'),
        prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        PRIMARY KEY (municipality_id, seq),
        CHECK ((target_type IS NULL) = (target_id IS NULL))
      );
      CREATE INDEX audit_log_target ON audit_log (municipality_id, target_type, target_id, seq DESC)
        WHERE target_type IS NOT NULL;
      CREATE INDEX audit_log_action ON audit_log (municipality_id, action, seq DESC);

      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_update_delete();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // DROP TABLE fires no trigger; the function belongs to the initial schema.
    await queryRunner.query(`DROP TABLE audit_log;`);
  }
}
