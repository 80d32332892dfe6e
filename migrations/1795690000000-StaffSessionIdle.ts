import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12 (the office in the browser): staff cookie sessions end after a
 * period without use (SessionService, STAFF_IDLE_TIMEOUT_MS), not only at
 * their absolute expiry. `last_seen_at` is when the session was last used
 * (refreshed at most once a minute); NULL for sessions from before this
 * migration, which count from `created_at`.
 */
export class StaffSessionIdle1795690000000 implements MigrationInterface {
  name = 'StaffSessionIdle1795690000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sessions DROP COLUMN last_seen_at`);
  }
}
