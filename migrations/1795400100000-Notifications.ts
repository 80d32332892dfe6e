import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What was sent to residents about their applications, and what failed. */
export class Notifications1795400100000 implements MigrationInterface {
  name = 'Notifications1795400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        application_id uuid NOT NULL,
        kind text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL CHECK (status IN ('sent', 'failed', 'skipped')),
        attempts integer NOT NULL DEFAULT 1,
        last_error text,
        dedupe_key text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        UNIQUE (municipality_id, dedupe_key),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );
      CREATE INDEX notifications_failed ON notifications (municipality_id, updated_at) WHERE status = 'failed';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notifications;`);
  }
}
