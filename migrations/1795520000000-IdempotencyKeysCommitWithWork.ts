import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys now commit in the same transaction as their work and
 * response (libs/applications/src/idempotency.service.ts), so a row without
 * a response can no longer be written. Rows left that way are claims of
 * requests that died between the old separate claim and its response: they
 * answered 409 "in progress" forever. Removing them lets the retry run (a
 * submission that did commit is then refused by its state, not stuck).
 */
export class IdempotencyKeysCommitWithWork1795520000000 implements MigrationInterface {
  name = 'IdempotencyKeysCommitWithWork1795520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM idempotency_keys WHERE status_code IS NULL;`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the deleted claims had no outcome to keep.
  }
}
