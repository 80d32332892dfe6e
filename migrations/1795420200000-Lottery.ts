import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lottery (抽選, issue 6) for popular facilities: staff open a lottery
 * over some rooms and a period of use dates; residents enter until the
 * deadline; the draw orders the entries by HMAC-SHA256(seed, "<lottery
 * id>:<entry number>") with a seed published when the lottery is created, so
 * anyone can reproduce it from the seed and the public list of entries.
 * Winners get a hold (origin 'lottery') that lapses at their payment
 * deadline; an unpaid win is forfeited and its slots go down the waitlist in
 * draw order.
 *
 * `status` stores only what a write decides (open, drawn). "Closed" (after
 * the deadline, before the draw) follows from the clock and entry_closes_at,
 * so no job has to flip a row for it to be true.
 */
export class Lottery1795420200000 implements MigrationInterface {
  name = 'Lottery1795420200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE lotteries (
        municipality_id text NOT NULL,
        id uuid NOT NULL,
        facility_code text NOT NULL,
        -- The rooms in the lottery, fixed at creation (all active rooms when staff named none).
        room_codes text[] NOT NULL CHECK (cardinality(room_codes) BETWEEN 1 AND 50),
        period_from date NOT NULL,
        period_to date NOT NULL,
        entry_opens_at timestamptz NOT NULL,
        entry_closes_at timestamptz NOT NULL,
        -- 32 random bytes, hex; public from creation, i.e. before any entry exists.
        seed text NOT NULL CHECK (seed ~ '^[0-9a-f]{64}$'),
        status text NOT NULL CHECK (status IN ('open', 'drawn')),
        payment_hours smallint NOT NULL CHECK (payment_hours BETWEEN 1 AND 336),
        max_entries_per_resident smallint NOT NULL CHECK (max_entries_per_resident BETWEEN 1 AND 20),
        -- Entry numbers are handed out from here under the lottery's row lock: sequential, public.
        last_entry_number integer NOT NULL DEFAULT 0 CHECK (last_entry_number >= 0),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        drawn_at timestamptz,
        drawn_by text,
        entry_count integer CHECK (entry_count >= 0),
        -- SHA-256 of the ordered result (see lottery-draw.ts), also in the audit log.
        result_hash text CHECK (result_hash ~ '^[0-9a-f]{64}$'),
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, facility_code) REFERENCES facilities (municipality_id, code),
        CHECK (period_to >= period_from AND period_to - period_from <= 92),
        CHECK (entry_closes_at > entry_opens_at),
        CHECK ((status = 'drawn') = (drawn_at IS NOT NULL)),
        CHECK ((drawn_at IS NULL) = (drawn_by IS NULL) AND (drawn_at IS NULL) = (result_hash IS NULL) AND (drawn_at IS NULL) = (entry_count IS NULL))
      );
      CREATE INDEX lotteries_by_facility ON lotteries (municipality_id, facility_code, period_from);
      -- The worker's draw of lotteries past their deadline, across municipalities.
      CREATE INDEX lotteries_due ON lotteries (entry_closes_at) WHERE status = 'open';

      -- One entry: a resident's request for one room, one day, one or more slots.
      --   entered     waiting for the draw         withdrawn  given up before the deadline
      --   won         drawn with its slots free: holds them until the payment deadline
      --   waitlisted  drawn after an entry that took its slots (or they were taken)
      --   promoted    a waitlisted entry that got the slots of a forfeited win
      --   forfeited   won or promoted, and the hold lapsed unpaid
      CREATE TABLE lottery_entries (
        municipality_id text NOT NULL,
        lottery_id uuid NOT NULL,
        entry_number integer NOT NULL CHECK (entry_number >= 1),
        resident_id text NOT NULL,
        room_code text NOT NULL,
        use_date date NOT NULL,
        slot_starts text[] NOT NULL CHECK (cardinality(slot_starts) BETWEEN 1 AND 12),
        organizer_name text NOT NULL CHECK (char_length(organizer_name) BETWEEN 1 AND 100),
        purpose text NOT NULL CHECK (char_length(purpose) BETWEEN 1 AND 200),
        attendees integer NOT NULL CHECK (attendees >= 1),
        status text NOT NULL CHECK (status IN ('entered', 'withdrawn', 'won', 'waitlisted', 'promoted', 'forfeited')),
        -- Set by the draw and never changed: the public result.
        draw_key text CHECK (draw_key ~ '^[0-9a-f]{64}$'),
        draw_position integer CHECK (draw_position >= 1),
        draw_outcome text CHECK (draw_outcome IN ('won', 'waitlisted')),
        booking_id uuid,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, lottery_id, entry_number),
        FOREIGN KEY (municipality_id, lottery_id) REFERENCES lotteries (municipality_id, id),
        UNIQUE (municipality_id, lottery_id, draw_position),
        CHECK ((draw_key IS NULL) = (draw_position IS NULL) AND (draw_key IS NULL) = (draw_outcome IS NULL)),
        CHECK (status IN ('entered', 'withdrawn') OR draw_key IS NOT NULL),
        CHECK (status NOT IN ('won', 'promoted', 'forfeited') OR booking_id IS NOT NULL)
      );
      -- The same request twice from one resident is one entry (the service says 409 first; this is the last word).
      CREATE UNIQUE INDEX lottery_entries_no_duplicate ON lottery_entries (municipality_id, lottery_id, resident_id, room_code, use_date, slot_starts)
        WHERE status <> 'withdrawn';
      CREATE INDEX lottery_entries_by_resident ON lottery_entries (municipality_id, lottery_id, resident_id);

      -- A booking may now come from a lottery win: it names its entry.
      ALTER TABLE bookings DROP CONSTRAINT bookings_origin_check;
      ALTER TABLE bookings ADD CONSTRAINT bookings_origin_check CHECK (origin IN ('hold', 'lottery'));
      ALTER TABLE bookings ADD COLUMN lottery_id uuid, ADD COLUMN lottery_entry_number integer;
      ALTER TABLE bookings ADD CONSTRAINT bookings_lottery_entry_fk
        FOREIGN KEY (municipality_id, lottery_id, lottery_entry_number) REFERENCES lottery_entries (municipality_id, lottery_id, entry_number);
      ALTER TABLE bookings ADD CONSTRAINT bookings_lottery_origin_check
        CHECK ((origin = 'lottery') = (lottery_id IS NOT NULL) AND (lottery_id IS NULL) = (lottery_entry_number IS NULL));
      ALTER TABLE lottery_entries ADD CONSTRAINT lottery_entries_booking_fk FOREIGN KEY (municipality_id, booking_id) REFERENCES bookings (municipality_id, id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DELETE FROM booking_events WHERE (municipality_id, booking_id) IN (SELECT municipality_id, id FROM bookings WHERE origin = 'lottery');
      ALTER TABLE lottery_entries DROP CONSTRAINT lottery_entries_booking_fk;
      DELETE FROM bookings WHERE origin = 'lottery';
      ALTER TABLE bookings DROP CONSTRAINT bookings_lottery_origin_check, DROP CONSTRAINT bookings_lottery_entry_fk;
      ALTER TABLE bookings DROP COLUMN lottery_entry_number, DROP COLUMN lottery_id;
      ALTER TABLE bookings DROP CONSTRAINT bookings_origin_check;
      ALTER TABLE bookings ADD CONSTRAINT bookings_origin_check CHECK (origin IN ('hold'));
      DROP TABLE lottery_entries, lotteries;
    `);
  }
}
