import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Queue tickets at the counter (受付発券): the services residents queue for,
 * the counters (service points) that serve them, tickets with a number per
 * service per local day, and the append-only event log of every ticket
 * status change that waiting and service statistics are computed from.
 *
 * A ticket keeps its queue position (queue_at, queue_seq) for life, so a
 * transfer to another service does not send the resident to the back.
 */
export class Counter1795400000000 implements MigrationInterface {
  name = 'Counter1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE counter_services (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9-]{1,31}$'),
        name_ja text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        -- The letter in front of the number on the slip: A-001.
        ticket_prefix text NOT NULL CHECK (ticket_prefix ~ '^[A-Z]$'),
        -- Online bookings taken per slot; 0 means no online booking.
        slot_capacity integer NOT NULL DEFAULT 0 CHECK (slot_capacity BETWEEN 0 AND 100),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, code)
      );
      -- Two services never print the same number on a slip the same day.
      CREATE UNIQUE INDEX counter_services_prefix ON counter_services (municipality_id, ticket_prefix) WHERE active;

      CREATE TABLE counters (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        name_ja text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        -- Staffed right now; counts towards the estimated wait.
        is_open boolean NOT NULL DEFAULT true,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id)
      );

      CREATE TABLE counter_service_links (
        municipality_id text NOT NULL,
        counter_id uuid NOT NULL,
        service_code text NOT NULL,
        PRIMARY KEY (municipality_id, counter_id, service_code),
        FOREIGN KEY (municipality_id, counter_id) REFERENCES counters (municipality_id, id) ON DELETE CASCADE,
        FOREIGN KEY (municipality_id, service_code) REFERENCES counter_services (municipality_id, code)
      );
      CREATE INDEX counter_service_links_service ON counter_service_links (municipality_id, service_code);

      -- Last number handed out per service and local day; the row lock of the
      -- upsert serialises issuing within one service and day, nothing wider.
      CREATE TABLE counter_ticket_sequences (
        municipality_id text NOT NULL,
        service_code text NOT NULL,
        service_day date NOT NULL,
        last_value integer NOT NULL CHECK (last_value >= 1),
        PRIMARY KEY (municipality_id, service_code, service_day),
        FOREIGN KEY (municipality_id, service_code) REFERENCES counter_services (municipality_id, code)
      );

      CREATE TABLE counter_tickets (
        municipality_id text NOT NULL,
        id uuid NOT NULL,
        -- Tie-breaker of the queue for tickets that arrived at the same instant.
        queue_seq bigint GENERATED ALWAYS AS IDENTITY,
        -- The service the ticket waits for or is served at now.
        service_code text NOT NULL,
        -- The service that numbered it; the slip keeps that number.
        issued_service_code text NOT NULL,
        service_day date NOT NULL,
        number integer NOT NULL CHECK (number >= 1),
        display_number text NOT NULL,
        source text NOT NULL CHECK (source IN ('kiosk', 'staff', 'online')),
        priority_reason text CHECK (priority_reason IN ('pregnant', 'disability', 'elderly', 'infant', 'other')),
        appointment_at timestamptz,
        -- Position in the queue: arrival, or the slot time of an appointment.
        queue_at timestamptz NOT NULL,
        resident_id uuid,
        application_id uuid,
        status text NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'noShow', 'cancelled')),
        -- After a transfer to a named counter, only that counter calls it.
        assigned_counter_id uuid,
        -- The counter that called it in the current visit.
        counter_id uuid,
        called_at timestamptz,
        serving_started_at timestamptz,
        closed_at timestamptz,
        call_count integer NOT NULL DEFAULT 0 CHECK (call_count >= 0),
        -- Number of events: the seq of the last one.
        revision integer NOT NULL CHECK (revision >= 1),
        issued_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        UNIQUE (municipality_id, issued_service_code, service_day, number),
        FOREIGN KEY (municipality_id, service_code) REFERENCES counter_services (municipality_id, code),
        FOREIGN KEY (municipality_id, issued_service_code) REFERENCES counter_services (municipality_id, code),
        FOREIGN KEY (municipality_id, counter_id) REFERENCES counters (municipality_id, id),
        FOREIGN KEY (municipality_id, assigned_counter_id) REFERENCES counters (municipality_id, id),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        FOREIGN KEY (municipality_id, resident_id) REFERENCES residents (municipality_id, id),
        CHECK ((source = 'online') = (appointment_at IS NOT NULL)),
        CHECK (source <> 'online' OR resident_id IS NOT NULL),
        CHECK (status NOT IN ('called', 'serving') OR (counter_id IS NOT NULL AND called_at IS NOT NULL)),
        CHECK (status <> 'serving' OR serving_started_at IS NOT NULL),
        CHECK ((status IN ('done', 'noShow', 'cancelled')) = (closed_at IS NOT NULL))
      );
      -- "Call next": the waiting tickets of a service in call order.
      CREATE INDEX counter_tickets_waiting ON counter_tickets (municipality_id, service_code, (priority_reason IS NOT NULL) DESC, (appointment_at IS NOT NULL) DESC, queue_at, queue_seq)
        WHERE status = 'waiting';
      CREATE INDEX counter_tickets_active ON counter_tickets (municipality_id, service_code, counter_id) WHERE status IN ('called', 'serving');
      CREATE INDEX counter_tickets_resident ON counter_tickets (municipality_id, resident_id, service_day) WHERE resident_id IS NOT NULL;
      CREATE INDEX counter_tickets_slots ON counter_tickets (municipality_id, issued_service_code, appointment_at)
        WHERE appointment_at IS NOT NULL AND status <> 'cancelled';

      CREATE TABLE counter_ticket_events (
        municipality_id text NOT NULL,
        ticket_id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq >= 1),
        type text NOT NULL CHECK (type IN ('issued', 'called', 'recalled', 'started', 'finished', 'noShow', 'transferred', 'requeued', 'cancelled')),
        from_status text,
        to_status text NOT NULL,
        -- The service the ticket was at when the event happened (for requeued: the new one).
        service_code text NOT NULL,
        counter_id uuid,
        actor_kind text NOT NULL CHECK (actor_kind IN ('kiosk', 'resident', 'staff')),
        actor_id text,
        -- On issued and requeued only: the instant the wait at service_code counts from.
        waiting_since timestamptz,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, ticket_id, seq),
        FOREIGN KEY (municipality_id, ticket_id) REFERENCES counter_tickets (municipality_id, id),
        CHECK ((type IN ('issued', 'requeued')) = (waiting_since IS NOT NULL))
      );
      CREATE INDEX counter_ticket_events_recent ON counter_ticket_events (municipality_id, service_code, type, occurred_at DESC);
      CREATE INDEX counter_ticket_events_visits ON counter_ticket_events (municipality_id, waiting_since) WHERE waiting_since IS NOT NULL;
      CREATE TRIGGER counter_ticket_events_append_only BEFORE UPDATE OR DELETE ON counter_ticket_events
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();
      CREATE TRIGGER counter_ticket_events_no_truncate BEFORE TRUNCATE ON counter_ticket_events
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_update_delete();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TABLE counter_ticket_events, counter_tickets, counter_ticket_sequences, counter_service_links, counters, counter_services;`,
    );
  }
}
