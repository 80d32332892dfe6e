import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The resident's name and its reading (氏名, フリガナ), asked at
 * registration, shown on the account page and put into the applicant-name
 * fields of a new application. Kept as text like every other name in the
 * database (applicants' names in form answers, staff names); only the
 * individual number and secrets are encrypted. A closed account keeps
 * neither: the tombstone check gains both columns.
 */
export class ResidentName1795870000000 implements MigrationInterface {
  name = 'ResidentName1795870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE residents
        ADD COLUMN name text CHECK (length(name) BETWEEN 1 AND 50),
        ADD COLUMN name_kana text CHECK (length(name_kana) BETWEEN 1 AND 100);
      ALTER TABLE residents DROP CONSTRAINT residents_reachable_or_closed;
      ALTER TABLE residents ADD CONSTRAINT residents_reachable_or_closed CHECK (
        (closed_at IS NULL AND (email IS NOT NULL OR jpki_subject IS NOT NULL))
        OR (closed_at IS NOT NULL AND email IS NULL AND password_hash IS NULL AND jpki_subject IS NULL AND individual_number_enc IS NULL
            AND name IS NULL AND name_kana IS NULL));
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE residents DROP CONSTRAINT residents_reachable_or_closed;
      ALTER TABLE residents DROP COLUMN name, DROP COLUMN name_kana;
      ALTER TABLE residents ADD CONSTRAINT residents_reachable_or_closed CHECK (
        (closed_at IS NULL AND (email IS NOT NULL OR jpki_subject IS NOT NULL))
        OR (closed_at IS NOT NULL AND email IS NULL AND password_hash IS NULL AND jpki_subject IS NULL AND individual_number_enc IS NULL));
    `);
  }
}
