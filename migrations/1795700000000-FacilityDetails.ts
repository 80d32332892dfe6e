import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `facilities.details`: what the public-facility list (公共施設一覧) publishes
 * beyond the booking rules: name in kana, address, latitude and longitude,
 * phone, URL. Optional, so one jsonb object (keys absent = not known) rather
 * than six nullable columns nothing queries by.
 */
export class FacilityDetails1795700000000 implements MigrationInterface {
  name = 'FacilityDetails1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE facilities ADD COLUMN details jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE facilities DROP COLUMN details`);
  }
}
