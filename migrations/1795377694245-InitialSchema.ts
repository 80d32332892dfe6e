import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenancy, the procedure catalog, applications with their event log, and the
 * durable outbox and timers of the workflow engine. Every table carries
 * municipality_id and leads its primary key with it, so a distributed
 * PostgreSQL can shard by municipality.
 */
export class InitialSchema1795377694245 implements MigrationInterface {
  name = 'InitialSchema1795377694245';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION forbid_update_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$;

      CREATE TABLE municipalities (
        municipality_id text PRIMARY KEY CHECK (municipality_id ~ '^[0-9]{6}$'),
        name_ja text NOT NULL,
        name_en text NOT NULL,
        settings jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE procedure_definitions (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        code text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        definition jsonb NOT NULL,
        checksum text NOT NULL,
        source text NOT NULL CHECK (source IN ('catalog', 'published')),
        published_at timestamptz NOT NULL,
        published_by text,
        PRIMARY KEY (municipality_id, code, version)
      );

      CREATE TABLE reference_sequences (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        scope text NOT NULL,
        last_value bigint NOT NULL,
        PRIMARY KEY (municipality_id, scope)
      );

      CREATE TABLE applications (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        procedure_code text NOT NULL,
        procedure_version integer NOT NULL,
        reference_number text,
        channel text NOT NULL CHECK (channel IN ('online', 'counter', 'mail', 'convenienceStore')),
        applicant_id text,
        entered_by text,
        state text NOT NULL,
        phase text NOT NULL CHECK (phase IN ('draft', 'active', 'final')),
        snapshot jsonb NOT NULL,
        form_data jsonb NOT NULL DEFAULT '{}'::jsonb,
        revision integer NOT NULL CHECK (revision >= 0),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        submitted_at timestamptz,
        closed_at timestamptz,
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, procedure_code, procedure_version)
          REFERENCES procedure_definitions (municipality_id, code, version),
        UNIQUE (municipality_id, reference_number)
      );
      CREATE INDEX applications_state ON applications (municipality_id, state, procedure_code);
      CREATE INDEX applications_applicant ON applications (municipality_id, applicant_id) WHERE applicant_id IS NOT NULL;
      CREATE INDEX applications_procedure_channel ON applications (municipality_id, procedure_code, channel);

      CREATE TABLE application_events (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq >= 1),
        type text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        actor_kind text NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'system', 'provider')),
        actor_id text NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, application_id, seq),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );
      CREATE TRIGGER application_events_append_only BEFORE UPDATE OR DELETE ON application_events
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();

      CREATE TABLE outbox (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id bigint GENERATED ALWAYS AS IDENTITY,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        application_id uuid,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        PRIMARY KEY (municipality_id, id)
      );
      CREATE INDEX outbox_due ON outbox (available_at) WHERE status = 'pending';

      CREATE TABLE timers (
        municipality_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        application_id uuid NOT NULL,
        event_type text NOT NULL,
        state text NOT NULL,
        fire_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'fired', 'cancelled', 'void')),
        created_at timestamptz NOT NULL,
        settled_at timestamptz,
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );
      CREATE INDEX timers_due ON timers (fire_at) WHERE status = 'scheduled';
      CREATE INDEX timers_application ON timers (municipality_id, application_id) WHERE status = 'scheduled';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE timers;
      DROP TABLE outbox;
      DROP TABLE application_events;
      DROP TABLE applications;
      DROP TABLE reference_sequences;
      DROP TABLE procedure_definitions;
      DROP TABLE municipalities;
      DROP FUNCTION forbid_update_delete();
    `);
  }
}
