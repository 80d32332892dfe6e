import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fees taken at the counter (窓口収納): staff record cash or a payment on the
 * desk's own card or QR terminal as a payment of provider `counter`, with a
 * receipt (領収) numbered without gaps per municipality and fiscal year. A
 * refund of such a payment is handed back at the desk, not asked of a
 * provider: refund status `payableAtCounter`, then `succeeded` with who paid
 * it out.
 */
export class CounterPayments1795410400000 implements MigrationInterface {
  name = 'CounterPayments1795410400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE payments DROP CONSTRAINT payments_method_check;
      ALTER TABLE payments ADD CONSTRAINT payments_method_check
        CHECK (method IN ('card', 'paypay', 'dpay', 'aupay', 'rakutenpay', 'payeasy', 'konbini', 'cash', 'cardTerminal', 'qrTerminal'));
      -- Counter methods belong to the counter and nothing else does; the desk
      -- records only money it has in hand, so a counter payment is born
      -- captured and never has a provider id.
      ALTER TABLE payments ADD CONSTRAINT payments_counter_method
        CHECK ((provider = 'counter') = (coalesce(method, '') IN ('cash', 'cardTerminal', 'qrTerminal')));
      ALTER TABLE payments ADD CONSTRAINT payments_counter_captured
        CHECK (provider <> 'counter' OR (status = 'succeeded' AND captured_amount = amount AND provider_payment_id IS NULL));
      -- A backstop to the application row lock: one counter payment per application revision.
      CREATE UNIQUE INDEX payments_one_counter_payment ON payments (municipality_id, application_id, application_revision)
        WHERE provider = 'counter';

      ALTER TABLE refunds DROP CONSTRAINT refunds_status_check;
      ALTER TABLE refunds ADD CONSTRAINT refunds_status_check CHECK (status IN ('requested', 'payableAtCounter', 'succeeded', 'failed'));
      ALTER TABLE refunds ADD COLUMN paid_out_by text, ADD COLUMN paid_out_at timestamptz;
      ALTER TABLE refunds ADD CONSTRAINT refunds_paid_out
        CHECK ((paid_out_by IS NULL) = (paid_out_at IS NULL) AND (paid_out_by IS NULL OR status = 'succeeded'));
      CREATE INDEX refunds_payable_at_counter ON refunds (municipality_id, created_at) WHERE status = 'payableAtCounter';

      -- One counter per municipality and fiscal year; see PaymentRepository.nextReceiptSequence.
      CREATE TABLE payment_receipt_sequences (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 9999),
        last_number integer NOT NULL CHECK (last_number >= 1),
        PRIMARY KEY (municipality_id, fiscal_year)
      );

      -- The desk's cash book: what was due, what was handed over, the change.
      -- Append-only like the other money records.
      CREATE TABLE counter_receipts (
        municipality_id text NOT NULL,
        payment_id uuid NOT NULL,
        fiscal_year integer NOT NULL,
        receipt_seq integer NOT NULL CHECK (receipt_seq >= 1),
        receipt_number text NOT NULL,
        method text NOT NULL CHECK (method IN ('cash', 'cardTerminal', 'qrTerminal')),
        amount_due integer NOT NULL CHECK (amount_due > 0),
        amount_received integer NOT NULL,
        change_given integer NOT NULL CHECK (change_given >= 0),
        received_by text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, payment_id),
        FOREIGN KEY (municipality_id, payment_id) REFERENCES payments (municipality_id, id),
        UNIQUE (municipality_id, fiscal_year, receipt_seq),
        UNIQUE (municipality_id, receipt_number),
        CHECK (change_given = amount_received - amount_due),
        CHECK (method = 'cash' OR change_given = 0)
      );
      CREATE TRIGGER counter_receipts_append_only BEFORE UPDATE OR DELETE ON counter_receipts
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE counter_receipts, payment_receipt_sequences;
      DROP INDEX refunds_payable_at_counter;
      ALTER TABLE refunds DROP CONSTRAINT refunds_paid_out, DROP COLUMN paid_out_at, DROP COLUMN paid_out_by;
      ALTER TABLE refunds DROP CONSTRAINT refunds_status_check;
      ALTER TABLE refunds ADD CONSTRAINT refunds_status_check CHECK (status IN ('requested', 'succeeded', 'failed'));
      DROP INDEX payments_one_counter_payment;
      ALTER TABLE payments DROP CONSTRAINT payments_counter_captured, DROP CONSTRAINT payments_counter_method;
      ALTER TABLE payments DROP CONSTRAINT payments_method_check;
      ALTER TABLE payments ADD CONSTRAINT payments_method_check
        CHECK (method IN ('card', 'paypay', 'dpay', 'aupay', 'rakutenpay', 'payeasy', 'konbini'));
    `);
  }
}
