import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service stops being able to rewrite its own records. Migrations run as
 * the schema owner; the service runs as `madoguchi_app` (or a login role that
 * is a member of it), which owns nothing: it cannot ALTER TABLE … DISABLE
 * TRIGGER, and without superuser it cannot SET session_replication_role.
 *
 * What it may do: read and write every table, except
 * - audit_log and approval_decisions: SELECT and INSERT only (append-only
 *   hash chains; the triggers stay as a second line for owner mistakes);
 * - documents: SELECT, INSERT, and UPDATE of the revocation columns alone
 *   (an issued document's content, serial and hash never change);
 * - schema_migrations: SELECT only.
 *
 * Future tables: default privileges give the role SELECT, INSERT, UPDATE and
 * DELETE on tables (USAGE and SELECT on sequences) that the role running
 * migrations creates from now on, so a new table works without a grant of
 * its own. A new append-only table must revoke what it does not need, as
 * below (REVOKE UPDATE, DELETE, TRUNCATE ON <table> FROM madoguchi_app).
 */
export class ServiceRolePrivileges1795530000000 implements MigrationInterface {
  name = 'ServiceRolePrivileges1795530000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'madoguchi_app') THEN
          -- A group role: the DBA gives the service's login membership in it.
          CREATE ROLE madoguchi_app NOLOGIN;
        END IF;
      EXCEPTION
        WHEN duplicate_object OR unique_violation THEN NULL;
        WHEN insufficient_privilege THEN
          RAISE EXCEPTION 'role madoguchi_app does not exist and % may not create it: create it (CREATE ROLE madoguchi_app NOLOGIN) and migrate again', current_user;
      END $$;

      GRANT USAGE ON SCHEMA public TO madoguchi_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO madoguchi_app;
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO madoguchi_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO madoguchi_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO madoguchi_app;

      REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM madoguchi_app;
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, approval_decisions FROM madoguchi_app;
      REVOKE UPDATE, DELETE, TRUNCATE ON documents FROM madoguchi_app;
      -- Revocation (and replacement on reissue) is the one change an issued
      -- document undergoes; the documents_immutable trigger checks how.
      -- Column UPDATE also lets SELECT … FOR UPDATE lock the row.
      GRANT UPDATE (status, revoked_at, revoked_by, revoked_reason, replaced_by) ON documents TO madoguchi_app;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM madoguchi_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM madoguchi_app;
      REVOKE ALL ON ALL TABLES IN SCHEMA public FROM madoguchi_app;
      REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM madoguchi_app;
      REVOKE USAGE ON SCHEMA public FROM madoguchi_app;
    `);
  }
}
