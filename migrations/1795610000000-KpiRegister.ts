import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plan KPIs (issue 13): the register, the values staff enter, the monthly
 * snapshots of measured KPIs, and the rollups the dashboard reads.
 *
 * - kpis: one row per KPI of a municipality's plan, edited by administrators;
 *   every edit is also appended to kpi_revisions, so the register's history
 *   is kept.
 * - kpi_values: monthly values of entered KPIs. Append-only: a correction is
 *   a new row for the same month, the latest (entered_at, id) wins and every
 *   row stays visible.
 * - kpi_snapshots: the measured value of each measured KPI at each month end.
 *   Append-only and unique per (municipality, kpi, month), so the job that
 *   takes them is idempotent and a value survives later catalog changes.
 * - kpi_*_rollup: counts per municipality, local month, procedure,
 *   department and channel / payment method / processing time, kept by
 *   triggers in the transaction that changes the application or records the
 *   payment event. Triggers rather than an engine hook: every write path is
 *   covered (engine transitions, counter entry, bulk loads), the rollup can
 *   never miss a commit or see one twice, and there is no watermark to get
 *   wrong. `shard` (from the application id) spreads concurrent submissions
 *   of one procedure on one day over 8 rows, so they do not queue on one row
 *   lock. Queries sum over shards.
 * - kpi_business_days: the kernel's business calendar as a table (filled at
 *   start from libs/kernel), so the processing-time trigger counts business
 *   days the way the rest of the system does.
 */
export class KpiRegister1795610000000 implements MigrationInterface {
  name = 'KpiRegister1795610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE kpis (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name_ja text NOT NULL,
        name_en text NOT NULL,
        unit text NOT NULL,
        baseline_value numeric NOT NULL,
        baseline_date date NOT NULL,
        target_value numeric NOT NULL,
        target_fiscal_year integer NOT NULL CHECK (target_fiscal_year BETWEEN 2000 AND 2100),
        direction text NOT NULL CHECK (direction IN ('up', 'down')),
        source text NOT NULL CHECK (source IN ('measured', 'entered')),
        measure text,
        procedure_codes text[] NOT NULL DEFAULT '{}',
        department text,
        sort_order integer NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true,
        config_checksum text,
        revision integer NOT NULL CHECK (revision >= 1),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, code),
        CHECK ((source = 'measured') = (measure IS NOT NULL))
      );

      CREATE TABLE kpi_revisions (
        municipality_id text NOT NULL,
        kpi_code text NOT NULL,
        revision integer NOT NULL,
        definition jsonb NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, kpi_code, revision),
        FOREIGN KEY (municipality_id, kpi_code) REFERENCES kpis (municipality_id, code)
      );

      CREATE TABLE kpi_values (
        municipality_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        kpi_code text NOT NULL,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        value numeric NOT NULL,
        note text,
        entered_by text NOT NULL,
        entered_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        FOREIGN KEY (municipality_id, kpi_code) REFERENCES kpis (municipality_id, code)
      );
      CREATE INDEX kpi_values_by_month ON kpi_values (municipality_id, kpi_code, month, entered_at, id);

      CREATE TABLE kpi_snapshots (
        municipality_id text NOT NULL,
        kpi_code text NOT NULL,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        measure text NOT NULL,
        value numeric,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        taken_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, kpi_code, month),
        FOREIGN KEY (municipality_id, kpi_code) REFERENCES kpis (municipality_id, code)
      );

      REVOKE UPDATE, DELETE, TRUNCATE ON kpi_revisions, kpi_values, kpi_snapshots FROM madoguchi_app;

      CREATE TABLE kpi_business_days (
        day date PRIMARY KEY,
        business boolean NOT NULL,
        -- Business days from the table's first day through this one.
        ordinal integer NOT NULL
      );

      CREATE TABLE kpi_submission_rollup (
        municipality_id text NOT NULL,
        -- First day of the local month: dashboard periods are fiscal years
        -- and months, so a finer grain only multiplies the rows read.
        month date NOT NULL,
        procedure_code text NOT NULL,
        department text NOT NULL,
        channel text NOT NULL,
        shard smallint NOT NULL,
        submitted integer NOT NULL,
        PRIMARY KEY (municipality_id, month, procedure_code, department, channel, shard)
      );

      CREATE TABLE kpi_processing_rollup (
        municipality_id text NOT NULL,
        month date NOT NULL,
        procedure_code text NOT NULL,
        department text NOT NULL,
        -- -1: a date outside kpi_business_days (not counted in the figures).
        business_days integer NOT NULL,
        shard smallint NOT NULL,
        closed integer NOT NULL,
        PRIMARY KEY (municipality_id, month, procedure_code, department, business_days, shard)
      );

      CREATE TABLE kpi_fee_payment_rollup (
        municipality_id text NOT NULL,
        month date NOT NULL,
        procedure_code text NOT NULL,
        department text NOT NULL,
        -- '' when the fee was reported paid without a payment of ours.
        method text NOT NULL,
        shard smallint NOT NULL,
        payments integer NOT NULL,
        PRIMARY KEY (municipality_id, month, procedure_code, department, method, shard)
      );

      CREATE FUNCTION kpi_local_zone(m text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT settings->>'timeZone' FROM municipalities WHERE municipality_id = m), 'Asia/Tokyo')
      $$;

      -- The kernel's rule (businessDaysBetween): business days in (start, to]
      -- where start is from_day or the next business day after it.
      CREATE FUNCTION kpi_business_days_between(from_day date, to_day date) RETURNS integer LANGUAGE sql STABLE AS $$
        SELECT t.ordinal - f.ordinal - CASE WHEN f.business THEN 0 ELSE 1 END
          FROM kpi_business_days f, kpi_business_days t WHERE f.day = from_day AND t.day = to_day
      $$;

      CREATE FUNCTION kpi_shard(id uuid) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
        SELECT (abs(hashtext(id::text)) % 8)::smallint
      $$;

      CREATE FUNCTION kpi_applications_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        zone text;
      BEGIN
        IF NEW.submitted_at IS NULL THEN RETURN NULL; END IF;
        zone := kpi_local_zone(NEW.municipality_id);
        IF TG_OP = 'INSERT' OR OLD.submitted_at IS NULL THEN
          INSERT INTO kpi_submission_rollup AS r (municipality_id, month, procedure_code, department, channel, shard, submitted)
          VALUES (NEW.municipality_id, date_trunc('month', NEW.submitted_at AT TIME ZONE zone)::date, NEW.procedure_code, coalesce(NEW.department, ''), NEW.channel, kpi_shard(NEW.id), 1)
          ON CONFLICT (municipality_id, month, procedure_code, department, channel, shard) DO UPDATE SET submitted = r.submitted + 1;
        END IF;
        IF NEW.closed_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.closed_at IS NULL OR OLD.submitted_at IS NULL) THEN
          INSERT INTO kpi_processing_rollup AS r (municipality_id, month, procedure_code, department, business_days, shard, closed)
          VALUES (NEW.municipality_id, date_trunc('month', NEW.closed_at AT TIME ZONE zone)::date, NEW.procedure_code, coalesce(NEW.department, ''),
                  coalesce(kpi_business_days_between((NEW.submitted_at AT TIME ZONE zone)::date, (NEW.closed_at AT TIME ZONE zone)::date), -1),
                  kpi_shard(NEW.id), 1)
          ON CONFLICT (municipality_id, month, procedure_code, department, business_days, shard) DO UPDATE SET closed = r.closed + 1;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER kpi_applications_rollup AFTER INSERT OR UPDATE OF submitted_at, closed_at ON applications
        FOR EACH ROW EXECUTE FUNCTION kpi_applications_rollup();

      -- Fee payments as the cashless KPI counts them: every payment.succeeded
      -- event, with the method of the succeeded payment it names (if any).
      -- The payment row is updated before the event is written, in the same
      -- transaction.
      CREATE FUNCTION kpi_fee_payments_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        app record;
        paid_with text;
      BEGIN
        IF NEW.type <> 'payment.succeeded' THEN RETURN NULL; END IF;
        SELECT procedure_code, department INTO app FROM applications WHERE municipality_id = NEW.municipality_id AND id = NEW.application_id;
        SELECT method INTO paid_with FROM payments
         WHERE municipality_id = NEW.municipality_id AND id::text = NEW.payload->>'paymentId' AND status = 'succeeded';
        INSERT INTO kpi_fee_payment_rollup AS r (municipality_id, month, procedure_code, department, method, shard, payments)
        VALUES (NEW.municipality_id, date_trunc('month', NEW.occurred_at AT TIME ZONE kpi_local_zone(NEW.municipality_id))::date, app.procedure_code, coalesce(app.department, ''),
                coalesce(paid_with, ''), kpi_shard(NEW.application_id), 1)
        ON CONFLICT (municipality_id, month, procedure_code, department, method, shard) DO UPDATE SET payments = r.payments + 1;
        RETURN NULL;
      END $$;

      CREATE TRIGGER kpi_fee_payments_rollup AFTER INSERT ON application_events
        FOR EACH ROW WHEN (NEW.type = 'payment.succeeded') EXECUTE FUNCTION kpi_fee_payments_rollup();
    `);
    // What was already there: the triggers only see what happens from now on.
    // The processing-time rollup is filled at start, once the business
    // calendar is in its table (KpiCalendarSync).
    await queryRunner.query(`
      INSERT INTO kpi_submission_rollup (municipality_id, month, procedure_code, department, channel, shard, submitted)
      SELECT municipality_id, date_trunc('month', submitted_at AT TIME ZONE kpi_local_zone(municipality_id))::date, procedure_code, coalesce(department, ''), channel, kpi_shard(id), count(*)
        FROM applications WHERE submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;
      INSERT INTO kpi_fee_payment_rollup (municipality_id, month, procedure_code, department, method, shard, payments)
      SELECT e.municipality_id, date_trunc('month', e.occurred_at AT TIME ZONE kpi_local_zone(e.municipality_id))::date, a.procedure_code, coalesce(a.department, ''),
             coalesce(p.method, ''), kpi_shard(e.application_id), count(*)
        FROM application_events e
        JOIN applications a ON a.municipality_id = e.municipality_id AND a.id = e.application_id
        LEFT JOIN payments p ON p.municipality_id = e.municipality_id AND p.id::text = e.payload->>'paymentId' AND p.status = 'succeeded'
       WHERE e.type = 'payment.succeeded' GROUP BY 1, 2, 3, 4, 5, 6;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER kpi_fee_payments_rollup ON application_events;
      DROP TRIGGER kpi_applications_rollup ON applications;
      DROP FUNCTION kpi_fee_payments_rollup(), kpi_applications_rollup(), kpi_shard(uuid), kpi_business_days_between(date, date), kpi_local_zone(text);
      DROP TABLE kpi_fee_payment_rollup, kpi_processing_rollup, kpi_submission_rollup, kpi_business_days,
                 kpi_snapshots, kpi_values, kpi_revisions, kpis;
    `);
  }
}
