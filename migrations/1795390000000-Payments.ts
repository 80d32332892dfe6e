import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments of fees: one row per attempt to pay an application, its
 * append-only event log (every status change of a payment or a refund is one
 * row, so captured − refunded can always be recomputed), refunds, and the
 * receipts of provider webhooks for deduplication.
 *
 * The sim_* tables belong to the built-in simulated payment provider: its own
 * payments, refunds, money ledger and webhook queue. A deployment on a real
 * provider leaves them empty.
 */
export class Payments1795390000000 implements MigrationInterface {
  name = 'Payments1795390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE payments (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        application_id uuid NOT NULL,
        -- The application's revision when it entered awaitingPayment, and the
        -- resident's attempt at paying it: the idempotency key of creation.
        application_revision integer NOT NULL CHECK (application_revision >= 1),
        attempt integer NOT NULL CHECK (attempt >= 1),
        procedure_code text NOT NULL,
        reference_number text NOT NULL,
        revenue_account_code text NOT NULL,
        amount integer NOT NULL CHECK (amount > 0),
        method text CHECK (method IN ('card', 'paypay', 'dpay', 'aupay', 'rakutenpay', 'payeasy', 'konbini')),
        status text NOT NULL CHECK (status IN ('created', 'started', 'authorised', 'succeeded', 'failed', 'cancelled', 'expired')),
        provider text NOT NULL,
        provider_payment_id text,
        -- The provider's version of the payment last applied: older news is ignored.
        provider_version integer NOT NULL DEFAULT 0 CHECK (provider_version >= 0),
        redirect_url text,
        konbini_payment_number text,
        konbini_deadline timestamptz,
        instructions jsonb,
        captured_amount integer NOT NULL DEFAULT 0 CHECK (captured_amount >= 0),
        -- Refunds requested or done; a failed refund gives its amount back.
        refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
        failure_code text,
        expires_at timestamptz,
        last_polled_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        UNIQUE (municipality_id, application_id, application_revision, attempt),
        UNIQUE (municipality_id, provider, provider_payment_id),
        CHECK (refunded_amount <= captured_amount),
        CHECK (status NOT IN ('started', 'authorised', 'succeeded') OR method IS NOT NULL),
        CHECK (method IS DISTINCT FROM 'konbini' OR (konbini_payment_number IS NOT NULL AND konbini_deadline IS NOT NULL))
      );
      -- One payment in flight per application at a time.
      CREATE UNIQUE INDEX payments_one_open_per_application ON payments (municipality_id, application_id)
        WHERE status IN ('created', 'started', 'authorised');
      CREATE INDEX payments_open ON payments (coalesce(last_polled_at, updated_at))
        WHERE status IN ('created', 'started', 'authorised');

      CREATE TABLE refunds (
        municipality_id text NOT NULL,
        id uuid NOT NULL,
        payment_id uuid NOT NULL,
        amount integer NOT NULL CHECK (amount > 0),
        status text NOT NULL CHECK (status IN ('requested', 'succeeded', 'failed')),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        -- Why an automatic refund was made; at most one per payment and cause.
        cause text,
        requested_by_kind text NOT NULL CHECK (requested_by_kind IN ('staff', 'system', 'provider')),
        requested_by_id text NOT NULL,
        provider_refund_id text,
        failure_code text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, payment_id) REFERENCES payments (municipality_id, id)
      );
      CREATE UNIQUE INDEX refunds_cause ON refunds (municipality_id, payment_id, cause) WHERE cause IS NOT NULL;
      CREATE UNIQUE INDEX refunds_provider_refund ON refunds (municipality_id, provider_refund_id) WHERE provider_refund_id IS NOT NULL;
      CREATE INDEX refunds_requested ON refunds (updated_at) WHERE status = 'requested';

      CREATE TABLE payment_events (
        municipality_id text NOT NULL,
        payment_id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq >= 1),
        -- Set for a refund's status change, null for the payment's own.
        refund_id uuid,
        from_status text,
        to_status text NOT NULL,
        amount integer NOT NULL CHECK (amount >= 0),
        method text,
        provider_event_id text,
        source text NOT NULL CHECK (source IN ('system', 'provider-api', 'webhook', 'reconciliation', 'staff')),
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, payment_id, seq),
        FOREIGN KEY (municipality_id, payment_id) REFERENCES payments (municipality_id, id),
        FOREIGN KEY (municipality_id, refund_id) REFERENCES refunds (municipality_id, id)
      );
      CREATE TRIGGER payment_events_append_only BEFORE UPDATE OR DELETE ON payment_events
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();
      CREATE INDEX payment_events_settled ON payment_events (municipality_id, occurred_at) WHERE to_status = 'succeeded';

      CREATE TABLE webhook_receipts (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        provider text NOT NULL,
        provider_event_id text NOT NULL,
        event_type text NOT NULL,
        provider_payment_id text,
        outcome text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, provider, provider_event_id)
      );

      CREATE TABLE sim_payments (
        municipality_id text NOT NULL,
        id text NOT NULL,
        idempotency_key text NOT NULL,
        amount integer NOT NULL CHECK (amount > 0),
        status text NOT NULL CHECK (status IN ('created', 'started', 'authorised', 'succeeded', 'failed', 'cancelled', 'expired')),
        version integer NOT NULL CHECK (version >= 1),
        method text,
        order_reference text NOT NULL,
        description text NOT NULL,
        metadata jsonb NOT NULL,
        return_url text,
        expires_at timestamptz NOT NULL,
        konbini_payment_number text,
        instructions jsonb,
        card_brand text,
        card_last4 text,
        challenge_pending boolean NOT NULL DEFAULT false,
        captured_amount integer NOT NULL DEFAULT 0 CHECK (captured_amount >= 0),
        refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
        failure_code text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        UNIQUE (municipality_id, idempotency_key),
        CHECK (refunded_amount <= captured_amount)
      );
      CREATE UNIQUE INDEX sim_payments_konbini_number ON sim_payments (municipality_id, konbini_payment_number) WHERE konbini_payment_number IS NOT NULL;
      CREATE INDEX sim_payments_expiring ON sim_payments (expires_at) WHERE status IN ('created', 'started');

      CREATE TABLE sim_refunds (
        municipality_id text NOT NULL,
        id text NOT NULL,
        payment_id text NOT NULL,
        idempotency_key text NOT NULL,
        amount integer NOT NULL CHECK (amount > 0),
        status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
        created_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        UNIQUE (municipality_id, idempotency_key),
        FOREIGN KEY (municipality_id, payment_id) REFERENCES sim_payments (municipality_id, id)
      );

      -- The money the simulated provider holds for each merchant: + captures, − refunds.
      CREATE TABLE sim_ledger (
        municipality_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        payment_id text NOT NULL,
        refund_id text,
        amount integer NOT NULL CHECK (amount <> 0),
        at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id)
      );
      CREATE TRIGGER sim_ledger_append_only BEFORE UPDATE OR DELETE ON sim_ledger
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();

      CREATE TABLE sim_webhook_deliveries (
        municipality_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        event_id text NOT NULL,
        event_type text NOT NULL,
        payment_id text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'dropped')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_response_status integer,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        PRIMARY KEY (municipality_id, id)
      );
      CREATE INDEX sim_webhook_deliveries_due ON sim_webhook_deliveries (next_attempt_at) WHERE status = 'pending';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE sim_webhook_deliveries, sim_ledger, sim_refunds, sim_payments;
      DROP TABLE webhook_receipts, payment_events, refunds, payments;
    `);
  }
}
