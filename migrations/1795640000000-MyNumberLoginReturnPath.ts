import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * My Number Card sign-in returns to the page that asked for it (issue 11,
 * account pages): the `next` path rides in the server-side OIDC
 * transaction, never in the state or a cookie. Only a local path can be
 * stored (the check repeats the application's rule so a bug upstream
 * cannot turn the callback into an open redirect).
 */
export class MyNumberLoginReturnPath1795640000000 implements MigrationInterface {
  name = 'MyNumberLoginReturnPath1795640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE mynumber_oidc_transactions
        ADD COLUMN return_path text
        CHECK (return_path IS NULL OR (return_path LIKE '/%' AND return_path NOT LIKE '//%' AND strpos(return_path, '\\') = 0 AND length(return_path) <= 1024))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE mynumber_oidc_transactions DROP COLUMN return_path`);
  }
}
