import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public facility booking (公共施設予約, issue 6): facilities and their rooms
 * or courts, bookings from the provisional hold (仮予約) to the confirmed
 * booking (本予約), staff blocks, and the booking's own event log.
 *
 * No double booking is a database rule, not only a code path: an exclusion
 * constraint (btree_gist for the text columns) refuses two live bookings
 * whose slots overlap in one room, and another refuses two live blocks that
 * overlap. A hold that lapses, is released or cancelled leaves the
 * constraint's WHERE and frees its slots in the same statement.
 *
 * Kept open for a lottery (抽選): `bookings.origin` names where a booking
 * came from; a lottery adds its own tables and its value to that CHECK.
 */
export class Bookings1795420100000 implements MigrationInterface {
  name = 'Bookings1795420100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- Trusted since PostgreSQL 13, so a database owner without superuser may create it.
      CREATE EXTENSION IF NOT EXISTS btree_gist;

      -- One row per facility. The opening rules (hours per weekday, closed
      -- days, holidays, slot length, holds, cancellation policy, reductions)
      -- are one jsonb document validated by libs/bookings (facility-rules.ts)
      -- on every write: they are read whole, never queried piecemeal.
      CREATE TABLE facilities (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
        name_ja text NOT NULL CHECK (char_length(name_ja) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 100),
        kind text NOT NULL CHECK (kind IN ('gymnasium', 'meetingRoom', 'sportsGround', 'hall', 'other')),
        department text NOT NULL,
        procedure_code text NOT NULL,
        rules jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'object'),
        active boolean NOT NULL,
        -- config: seeded from config/facilities/<municipality>.yaml; admin: last changed over the admin API.
        source text NOT NULL CHECK (source IN ('config', 'admin')),
        -- The checksum of the config entry last applied: a restart re-applies a
        -- facility only when its file entry changed, so admin edits survive.
        config_checksum text,
        revision integer NOT NULL CHECK (revision >= 1),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, code)
      );

      -- Rooms or courts. Never deleted (bookings point at them): retired with active = false.
      CREATE TABLE facility_rooms (
        municipality_id text NOT NULL,
        facility_code text NOT NULL,
        code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
        name_ja text NOT NULL CHECK (char_length(name_ja) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 100),
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
        resident_rate integer NOT NULL CHECK (resident_rate BETWEEN 0 AND 10000000),
        non_resident_rate integer NOT NULL CHECK (non_resident_rate BETWEEN 0 AND 10000000),
        position smallint NOT NULL CHECK (position >= 0),
        active boolean NOT NULL,
        PRIMARY KEY (municipality_id, facility_code, code),
        FOREIGN KEY (municipality_id, facility_code) REFERENCES facilities (municipality_id, code)
      );

      CREATE TABLE booking_number_sequences (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
        last_number integer NOT NULL CHECK (last_number >= 1),
        PRIMARY KEY (municipality_id, year)
      );

      -- A booking of one room on one day, for one or more slots. status:
      --   held       仮予約: the slots are taken; it lapses at expires_at unless confirmed
      --   confirmed  本予約: the fee is settled (or waived) and the permit follows
      --   expired    the hold lapsed      released  given up before confirmation
      --   cancelled  a confirmed booking cancelled, with the refund the policy allowed
      CREATE TABLE bookings (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        booking_number text NOT NULL,
        facility_code text NOT NULL,
        room_code text NOT NULL,
        use_date date NOT NULL,
        -- The slots as chosen ('HH:MM', local time) and their length: what the permit prints.
        slot_starts text[] NOT NULL CHECK (cardinality(slot_starts) BETWEEN 1 AND 48),
        slot_minutes smallint NOT NULL CHECK (slot_minutes BETWEEN 5 AND 1440),
        -- The same slots as instants, for the exclusion constraint (adjacent slots merge; that is fine there).
        slots tstzmultirange NOT NULL CHECK (NOT isempty(slots)),
        starts_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('held', 'confirmed', 'expired', 'released', 'cancelled')),
        origin text NOT NULL CHECK (origin IN ('hold')),
        channel text NOT NULL CHECK (channel IN ('online', 'counter')),
        holder_kind text NOT NULL CHECK (holder_kind IN ('resident', 'staff')),
        holder_id text NOT NULL,
        application_id uuid,
        expires_at timestamptz,
        residency text CHECK (residency IN ('resident', 'nonResident')),
        reduction_code text,
        reduction_percent smallint CHECK (reduction_percent BETWEEN 1 AND 100),
        fee_base integer CHECK (fee_base >= 0),
        fee_amount integer CHECK (fee_amount >= 0),
        organizer_name text CHECK (char_length(organizer_name) <= 100),
        purpose text CHECK (char_length(purpose) <= 200),
        attendees integer CHECK (attendees >= 1),
        needs_attention boolean NOT NULL,
        attention_reason text CHECK (char_length(attention_reason) <= 200),
        use_outcome text CHECK (use_outcome IN ('used', 'noShow')),
        use_marked_by text,
        use_marked_at timestamptz,
        cancelled_at timestamptz,
        cancelled_by_kind text CHECK (cancelled_by_kind IN ('resident', 'staff')),
        cancelled_by text,
        cancel_reason text CHECK (char_length(cancel_reason) <= 200),
        refund_percent smallint CHECK (refund_percent BETWEEN 0 AND 100),
        refund_amount integer CHECK (refund_amount >= 0),
        revision integer NOT NULL CHECK (revision >= 1),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        UNIQUE (municipality_id, booking_number),
        -- One booking per application, ever: a retried submission cannot attach a second.
        UNIQUE (municipality_id, application_id),
        FOREIGN KEY (municipality_id, facility_code, room_code) REFERENCES facility_rooms (municipality_id, facility_code, code),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id),
        -- A hold nobody has applied with always lapses.
        CHECK (status <> 'held' OR expires_at IS NOT NULL OR application_id IS NOT NULL),
        CHECK ((reduction_code IS NULL) = (reduction_percent IS NULL)),
        CHECK ((use_outcome IS NULL) = (use_marked_at IS NULL) AND (use_marked_at IS NULL) = (use_marked_by IS NULL)),
        CHECK (use_outcome IS NULL OR status = 'confirmed'),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL) AND (cancelled_at IS NULL) = (cancelled_by_kind IS NULL)),
        CHECK ((attention_reason IS NOT NULL) OR NOT needs_attention),
        -- No double booking, ever.
        CONSTRAINT bookings_no_double_booking
          EXCLUDE USING gist (municipality_id WITH =, facility_code WITH =, room_code WITH =, slots WITH &&)
          WHERE (status IN ('held', 'confirmed'))
      );
      -- Availability: the live bookings of a facility over a date range (never a scan of every booking).
      CREATE INDEX bookings_live_by_day ON bookings (municipality_id, facility_code, use_date) WHERE status IN ('held', 'confirmed');
      -- Staff's day list (every status).
      CREATE INDEX bookings_by_day ON bookings (municipality_id, facility_code, use_date, starts_at);
      -- The worker's sweep of lapsed holds, across municipalities.
      CREATE INDEX bookings_holds_due ON bookings (expires_at) WHERE status = 'held' AND expires_at IS NOT NULL;
      -- A resident's bookings, newest first.
      CREATE INDEX bookings_by_holder ON bookings (municipality_id, holder_kind, holder_id, created_at DESC);

      -- Append-only history of each booking.
      CREATE TABLE booking_events (
        municipality_id text NOT NULL,
        booking_id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq >= 1),
        type text NOT NULL CHECK (type ~ '^[a-z][A-Za-z]*(\\.[a-z][A-Za-z]*)*$'),
        from_status text,
        to_status text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'system')),
        actor_id text NOT NULL,
        details jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, booking_id, seq),
        FOREIGN KEY (municipality_id, booking_id) REFERENCES bookings (municipality_id, id)
      );

      -- Slots staff take out of booking (municipal use, maintenance). A block
      -- may land on existing bookings (they are flagged for handling, never
      -- dropped); two live blocks never overlap in one room.
      CREATE TABLE facility_blocks (
        municipality_id text NOT NULL,
        id uuid NOT NULL,
        facility_code text NOT NULL,
        room_code text NOT NULL,
        use_date date NOT NULL,
        during tstzrange NOT NULL CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
        reason text NOT NULL CHECK (reason IN ('municipalUse', 'maintenance')),
        note text CHECK (char_length(note) <= 200),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        lifted_by text,
        lifted_at timestamptz,
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, facility_code, room_code) REFERENCES facility_rooms (municipality_id, facility_code, code),
        CHECK ((lifted_at IS NULL) = (lifted_by IS NULL)),
        CONSTRAINT facility_blocks_no_overlap
          EXCLUDE USING gist (municipality_id WITH =, facility_code WITH =, room_code WITH =, during WITH &&)
          WHERE (lifted_at IS NULL)
      );
      CREATE INDEX facility_blocks_live_by_day ON facility_blocks (municipality_id, facility_code, use_date) WHERE lifted_at IS NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // btree_gist stays: it may have been there before, and other schemas may use it.
    await queryRunner.query(`DROP TABLE facility_blocks, booking_events, bookings, booking_number_sequences, facility_rooms, facilities;`);
  }
}
