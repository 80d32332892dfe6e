import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in throttling that an outsider cannot turn against an account's owner
 * (issue 10, "Trust"), and single-use TOTP codes.
 *
 * `login_failures` counts FAILED sign-ins per bucket: one bucket per pair of
 * account and address, one per address. Successes are never written here. A
 * bucket past its free allowance is blocked until `blocked_until`, a delay
 * that doubles with each further failure. Bucket names are SHA-256 hashes, so
 * neither an e-mail address nor an IP address is stored.
 *
 * `staff.totp_last_step` is the last TOTP time step (unix time / 30 s) that
 * signed the account in; a code of that step or an earlier one is refused,
 * and the conditional UPDATE that claims a step lets only one of two
 * concurrent sign-ins with the same code through.
 *
 * `residents.failed_logins` and `residents.locked_until` are no longer used
 * (residents are never locked, only slowed down per address); they stay so
 * that this migration drops nothing.
 */
export class LoginThrottling1795500000000 implements MigrationInterface {
  name = 'LoginThrottling1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_failures (
        municipality_id text NOT NULL,
        bucket text NOT NULL,
        failures integer NOT NULL CHECK (failures > 0),
        last_failed_at timestamptz NOT NULL,
        blocked_until timestamptz,
        PRIMARY KEY (municipality_id, bucket)
      );
      CREATE INDEX login_failures_last_failed ON login_failures (last_failed_at);
      ALTER TABLE staff ADD COLUMN totp_last_step bigint;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE staff DROP COLUMN totp_last_step; DROP TABLE login_failures;`);
  }
}
