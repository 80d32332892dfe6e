import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Assisted entry at the counter: QR handovers and identity checks (issue 5). */
export class CounterEntry1795410300000 implements MigrationInterface {
  name = 'CounterEntry1795410300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }
}
