import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One table for every gap-free per-municipality number (libs/kernel
 * sequences/gapless-sequence.ts), instead of five near-identical ones. The
 * rows of the old tables move over with their last values, so the next
 * number continues where the old table stopped. The scope is the old key
 * parts after the municipality, joined by `|` in this fixed order:
 *
 * | old table                  | sequence          | scope                          |
 * |----------------------------|-------------------|--------------------------------|
 * | reference_sequences        | `reference`       | scope, e.g. `R8-{seq}`         |
 * | reference_sequences        | `decision`        | scope without `grant:`         |
 * | counter_ticket_sequences   | `ticket`          | `service_code|service_day`     |
 * | payment_receipt_sequences  | `receipt`         | `fiscal_year`                  |
 * | booking_number_sequences   | `booking`         | `year`                         |
 * | document_serials           | `document-serial` | `series|fiscal_year`           |
 *
 * (指令番号 of grant decisions shared reference_sequences under a `grant:`
 * prefix; they are a sequence of their own now.) Down recreates the five
 * tables from these rows.
 */
export class TenantSequences1795930000000 implements MigrationInterface {
  name = 'TenantSequences1795930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_sequences (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        sequence text NOT NULL CHECK (sequence ~ '^[a-z][a-z-]{0,31}$'),
        scope text NOT NULL,
        last_value bigint NOT NULL CHECK (last_value >= 1),
        PRIMARY KEY (municipality_id, sequence, scope)
      );

      INSERT INTO tenant_sequences (municipality_id, sequence, scope, last_value)
      SELECT municipality_id,
             CASE WHEN scope LIKE 'grant:%' THEN 'decision' ELSE 'reference' END,
             CASE WHEN scope LIKE 'grant:%' THEN substr(scope, 7) ELSE scope END,
             last_value
        FROM reference_sequences
      UNION ALL
      SELECT municipality_id, 'ticket', service_code || '|' || to_char(service_day, 'YYYY-MM-DD'), last_value FROM counter_ticket_sequences
      UNION ALL
      SELECT municipality_id, 'receipt', fiscal_year::text, last_number FROM payment_receipt_sequences
      UNION ALL
      SELECT municipality_id, 'booking', year::text, last_number FROM booking_number_sequences
      UNION ALL
      SELECT municipality_id, 'document-serial', series || '|' || fiscal_year, last_value FROM document_serials;

      DROP TABLE reference_sequences, counter_ticket_sequences, payment_receipt_sequences, booking_number_sequences, document_serials;
    `);
    await grantToServiceRole(queryRunner, 'tenant_sequences');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reference_sequences (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        scope text NOT NULL,
        last_value bigint NOT NULL,
        PRIMARY KEY (municipality_id, scope)
      );
      CREATE TABLE counter_ticket_sequences (
        municipality_id text NOT NULL,
        service_code text NOT NULL,
        service_day date NOT NULL,
        last_value integer NOT NULL CHECK (last_value >= 1),
        PRIMARY KEY (municipality_id, service_code, service_day),
        FOREIGN KEY (municipality_id, service_code) REFERENCES counter_services (municipality_id, code)
      );
      CREATE TABLE payment_receipt_sequences (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 9999),
        last_number integer NOT NULL CHECK (last_number >= 1),
        PRIMARY KEY (municipality_id, fiscal_year)
      );
      CREATE TABLE booking_number_sequences (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
        last_number integer NOT NULL CHECK (last_number >= 1),
        PRIMARY KEY (municipality_id, year)
      );
      CREATE TABLE document_serials (
        municipality_id text NOT NULL,
        series text NOT NULL CHECK (series IN ('C', 'U')),
        fiscal_year integer NOT NULL,
        last_value integer NOT NULL CHECK (last_value > 0),
        PRIMARY KEY (municipality_id, series, fiscal_year)
      );

      INSERT INTO reference_sequences (municipality_id, scope, last_value)
      SELECT municipality_id, CASE sequence WHEN 'decision' THEN 'grant:' || scope ELSE scope END, last_value
        FROM tenant_sequences WHERE sequence IN ('reference', 'decision');
      INSERT INTO counter_ticket_sequences (municipality_id, service_code, service_day, last_value)
      SELECT municipality_id, split_part(scope, '|', 1), split_part(scope, '|', 2)::date, last_value FROM tenant_sequences WHERE sequence = 'ticket';
      INSERT INTO payment_receipt_sequences (municipality_id, fiscal_year, last_number)
      SELECT municipality_id, scope::integer, last_value FROM tenant_sequences WHERE sequence = 'receipt';
      INSERT INTO booking_number_sequences (municipality_id, year, last_number)
      SELECT municipality_id, scope::integer, last_value FROM tenant_sequences WHERE sequence = 'booking';
      INSERT INTO document_serials (municipality_id, series, fiscal_year, last_value)
      SELECT municipality_id, split_part(scope, '|', 1), split_part(scope, '|', 2)::integer, last_value FROM tenant_sequences WHERE sequence = 'document-serial';

      DROP TABLE tenant_sequences;
    `);
    await grantToServiceRole(queryRunner, 'reference_sequences, counter_ticket_sequences, payment_receipt_sequences, booking_number_sequences, document_serials');
  }
}

/**
 * What the service role had on the old tables (ServiceRolePrivileges): the
 * default privileges give it already when the migrating role is the one that
 * set them; said explicitly for a database migrated by another owner.
 */
async function grantToServiceRole(queryRunner: QueryRunner, tables: string): Promise<void> {
  await queryRunner.query(`
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'madoguchi_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON ${tables} TO madoguchi_app;
      END IF;
    END $$;
  `);
}
