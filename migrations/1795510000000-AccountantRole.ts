import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 会計課 (`accountant`, issue 10): a staff role whose reach over money
 * (payments, refunds, the accounting export) is municipality-wide where a
 * money route declares it so. Other staff reach only their departments'
 * money. The role list is checked in SQL as well as in the API.
 */
export class AccountantRole1795510000000 implements MigrationInterface {
  name = 'AccountantRole1795510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE staff DROP CONSTRAINT staff_roles_check`);
    await queryRunner.query(
      `ALTER TABLE staff ADD CONSTRAINT staff_roles_check
         CHECK (roles <@ ARRAY['clerk', 'reviewer', 'approver', 'manager', 'administrator', 'accountant'] AND cardinality(roles) > 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE staff DROP CONSTRAINT staff_roles_check`);
    await queryRunner.query(
      `ALTER TABLE staff ADD CONSTRAINT staff_roles_check
         CHECK (roles <@ ARRAY['clerk', 'reviewer', 'approver', 'manager', 'administrator'] AND cardinality(roles) > 0)`,
    );
  }
}
