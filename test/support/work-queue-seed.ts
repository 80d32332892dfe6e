/**
 * Bulk applications for the work-queue scale test and bench, written with
 * one INSERT … SELECT generate_series (no engine, no hooks: the point is
 * the shape of the table, not the lifecycle).
 *
 * Shape, per municipality: half the rows belong to 市民課 (shimin, the
 * certificate procedures; 40% of those open), the rest spread over the
 * other departments' procedures (20% open); open cases are underReview,
 * returned with a paused clock, awaitingPayment or underApproval, closed
 * ones completed, withdrawn or rejected, as in a municipality some months in; one in nine has no due date; one in forty is claimed by one
 * of three staff; submissions every five minutes over about a year. The
 * snapshot and form are padded to a realistic width, so a sequential scan
 * costs what it would in production.
 *
 * Needs the catalog synced for the municipality (procedure_definitions).
 */

export const SEED_STAFF = ['00000000-0000-4000-8000-00000000c001', '00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000c003'];

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

export async function seedQueueRows(query: Query, municipalityId: string, count: number): Promise<void> {
  await query(
    `WITH procs AS (
       SELECT code, version, definition->>'department' AS department,
              row_number() OVER (PARTITION BY definition->>'department' = 'shimin' ORDER BY code) - 1 AS n,
              count(*) OVER (PARTITION BY definition->>'department' = 'shimin') AS of,
              definition->>'department' = 'shimin' AS shimin
         FROM procedure_definitions d
        WHERE municipality_id = $1 AND version = (SELECT max(version) FROM procedure_definitions x WHERE x.municipality_id = d.municipality_id AND x.code = d.code)
     ),
     generated AS (
       SELECT g,
              timestamptz '2025-04-01 09:00+09' + g * interval '5 minutes' AS submitted_at,
              g % 10 < 3 AS open,
              (ARRAY['underReview', 'returned', 'awaitingPayment', 'underApproval'])[1 + g % 4] AS open_state,
              (ARRAY['completed', 'completed', 'withdrawn', 'rejected'])[1 + g % 4] AS closed_state
         FROM generate_series(1, $2::int) AS g
     )
     INSERT INTO applications (municipality_id, id, procedure_code, procedure_version, channel, state, phase, snapshot, form_data, revision,
                               created_at, updated_at, submitted_at, closed_at, department, due_on, due_paused_at, due_remaining_days, claimed_by)
     SELECT $1, gen_random_uuid(), p.code, p.version,
            (ARRAY['online', 'counter', 'mail', 'convenienceStore'])[1 + (r.g / 2) % 4],
            CASE WHEN r.open THEN r.open_state ELSE r.closed_state END,
            CASE WHEN r.open THEN 'active' ELSE 'final' END,
            jsonb_build_object('value', CASE WHEN r.open THEN r.open_state ELSE r.closed_state END, 'status', 'active', 'context', jsonb_build_object('padding', repeat('s', 600))),
            jsonb_build_object('name', '試験 太郎', 'address', repeat('住', 100)),
            3, r.submitted_at, r.submitted_at + (r.g % 1000) * interval '1 minute', r.submitted_at,
            CASE WHEN r.open THEN NULL ELSE r.submitted_at + interval '3 days' END,
            p.department,
            CASE WHEN r.g % 9 = 0 OR (r.open AND r.open_state = 'returned') THEN NULL ELSE (r.submitted_at AT TIME ZONE 'Asia/Tokyo')::date + (r.g % 30) END,
            CASE WHEN r.open AND r.open_state = 'returned' THEN r.submitted_at + interval '1 day' END,
            CASE WHEN r.open AND r.open_state = 'returned' THEN r.g % 5 END,
            CASE WHEN r.g % 40 = 0 THEN ($3::text[])[1 + (r.g / 40) % 3] END
       FROM generated r
       JOIN procs p ON p.shimin = (r.g % 2 = 0) AND p.n = (r.g / 2) % p.of`,
    [municipalityId, count, SEED_STAFF],
  );
}

/** Statistics and the visibility map, as autovacuum would leave them. */
export async function settle(query: Query): Promise<void> {
  await query('VACUUM (ANALYZE) applications');
}
