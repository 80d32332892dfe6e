import {
  COLOCATION_TABLE,
  COORDINATOR_TABLES,
  dataSourceOptions,
  distributionPlan,
  type DistributionViolation,
  findDistributionViolations,
  REFERENCE_TABLES,
} from '@madoguchi/kernel';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { CitusReadyKeys1795920000000 } from '../../migrations/1795920000000-CitusReadyKeys';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The schema can be distributed by municipality on Citus without change
 * (issue 14): read from the catalog of the migrated database, every key and
 * foreign key of a distributed table includes municipality_id, and the
 * tables that are not distributed are the few declared, with reasons, in
 * libs/kernel/src/database/distribution.ts.
 */

const byTableAndConstraint = (a: DistributionViolation, b: DistributionViolation) =>
  `${a.table} ${a.constraint}`.localeCompare(`${b.table} ${b.constraint}`) || a.problem.localeCompare(b.problem);

describe('Citus-ready keys (real PostgreSQL, the migrated schema)', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.ownerUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('finds nothing a Citus cluster distributed by municipality_id would refuse', async () => {
    expect(await findDistributionViolations(client)).toEqual([]);
  });

  it('keeps the tables that are not distributed few, each with its reason', () => {
    expect(Object.keys(REFERENCE_TABLES)).toEqual(['kpi_business_days']);
    expect(Object.keys(COORDINATOR_TABLES).sort()).toEqual(['schema_migrations', 'simulated_digital_auth_card_locks']);
    for (const reason of [...Object.values(REFERENCE_TABLES), ...Object.values(COORDINATOR_TABLES)]) expect(reason.length).toBeGreaterThan(40);
  });

  it('looks at enough of the schema to mean something', async () => {
    const { rows } = await client.query<{ tables: number; keys: number; foreign_keys: number }>(`
      SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p'))::int AS tables,
             (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND (i.indisunique OR i.indisexclusion))::int AS keys,
             (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace)::int AS foreign_keys`);
    // Counts as of issue 14, after tenant_sequences replaced five per-feature sequence tables; the schema only grows from here.
    expect(rows[0].tables).toBeGreaterThanOrEqual(68);
    expect(rows[0].keys).toBeGreaterThanOrEqual(85);
    expect(rows[0].foreign_keys).toBeGreaterThanOrEqual(75);
  });

  it('reports each kind of violation it looks for (scratch tables, rolled back)', async () => {
    await client.query('BEGIN');
    try {
      await client.query(`
        CREATE TABLE scratch_no_tenant (id integer PRIMARY KEY);
        CREATE TABLE scratch_parent (
          municipality_id text NOT NULL,
          id uuid NOT NULL,
          code text NOT NULL,
          CONSTRAINT scratch_parent_pkey PRIMARY KEY (id),
          CONSTRAINT scratch_parent_tenant_key UNIQUE (municipality_id, id),
          CONSTRAINT scratch_parent_code_tenant_key UNIQUE (code, municipality_id),
          CONSTRAINT scratch_parent_code_key UNIQUE (code) INCLUDE (municipality_id)
        );
        CREATE UNIQUE INDEX scratch_parent_lower_tenant ON scratch_parent (lower(municipality_id), code);
        CREATE TABLE scratch_child (
          municipality_id varchar(6),
          id uuid NOT NULL,
          parent_id uuid,
          parent_code text,
          migration_id integer,
          during tstzrange NOT NULL,
          UNIQUE (municipality_id, id),
          CONSTRAINT scratch_child_parent_fkey FOREIGN KEY (parent_id) REFERENCES scratch_parent (id),
          CONSTRAINT scratch_child_crossed_fkey FOREIGN KEY (municipality_id, parent_code) REFERENCES scratch_parent (code, municipality_id),
          CONSTRAINT scratch_child_set_null_fkey FOREIGN KEY (municipality_id, parent_id) REFERENCES scratch_parent (municipality_id, id) ON DELETE SET NULL (parent_id),
          CONSTRAINT scratch_child_cascade_fkey FOREIGN KEY (municipality_id) REFERENCES municipalities (municipality_id) ON UPDATE CASCADE,
          CONSTRAINT scratch_child_migration_fkey FOREIGN KEY (migration_id) REFERENCES schema_migrations (id),
          CONSTRAINT scratch_child_overlap EXCLUDE USING gist (municipality_id WITH <>, during WITH &&)
        );
        ALTER TABLE kpi_business_days ADD COLUMN municipality_id text REFERENCES municipalities (municipality_id);
        ALTER TABLE simulated_digital_auth_card_locks ADD COLUMN day date REFERENCES kpi_business_days (day);
      `);
      const violations = (await findDistributionViolations(client)).sort(byTableAndConstraint);
      expect(violations.map(({ table, constraint }) => `${table} ${constraint ?? '-'}`)).toEqual([
        'kpi_business_days kpi_business_days_municipality_id_fkey',
        'scratch_child -',
        'scratch_child -',
        'scratch_child scratch_child_cascade_fkey',
        'scratch_child scratch_child_crossed_fkey',
        'scratch_child scratch_child_migration_fkey',
        'scratch_child scratch_child_overlap',
        'scratch_child scratch_child_parent_fkey',
        'scratch_child scratch_child_set_null_fkey',
        'scratch_no_tenant -',
        'scratch_no_tenant scratch_no_tenant_pkey',
        'scratch_parent scratch_parent_code_key',
        'scratch_parent scratch_parent_lower_tenant',
        'scratch_parent scratch_parent_pkey',
        'simulated_digital_auth_card_locks simulated_digital_auth_card_locks_day_fkey',
      ]);
      expect(violations.map((violation) => violation.problem)).toEqual([
        'foreign key (municipality_id) → municipalities (municipality_id): a reference table cannot reference a distributed table',
        'municipality_id is character varying(6) COLLATE "default", municipalities.municipality_id is text COLLATE "default": Citus colocates only columns of one type',
        'municipality_id is nullable',
        'foreign key (municipality_id) → municipalities (municipality_id): ON UPDATE CASCADE on a key that includes municipality_id',
        'foreign key (municipality_id, parent_code) → scratch_parent (code, municipality_id): does not pair municipality_id with scratch_parent.municipality_id',
        'foreign key (migration_id) → schema_migrations (id): a distributed table and a coordinator table cannot be linked by a foreign key',
        'exclusion constraint (municipality_id, during) compares municipality_id with <>, not =',
        'foreign key (parent_id) → scratch_parent (id): does not pair municipality_id with scratch_parent.municipality_id',
        'foreign key (municipality_id, parent_id) → scratch_parent (municipality_id, id): ON DELETE SET NULL on a key that includes municipality_id',
        'has no municipality_id column',
        'primary key (id) does not include municipality_id',
        'unique constraint (code) does not include municipality_id',
        'unique index ((expression), code) does not include municipality_id',
        'primary key (id) does not include municipality_id',
        'foreign key (day) → kpi_business_days (day): a coordinator table and a reference table cannot be linked by a foreign key',
      ]);
    } finally {
      await client.query('ROLLBACK');
    }
    // Rolled back: the schema is clean again.
    expect(await findDistributionViolations(client)).toEqual([]);
  });

  it('migrates the OIDC round trips to a key with municipality_id, and back', async () => {
    const primaryKey = async () =>
      (
        await client.query<{ columns: string[] }>(
          `SELECT ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
             FROM pg_constraint con WHERE con.conrelid = 'mynumber_oidc_transactions'::regclass AND con.contype = 'p'`,
        )
      ).rows[0].columns;
    expect(await primaryKey()).toEqual(['municipality_id', 'state_hash']);

    const dataSource = new DataSource(dataSourceOptions({ url: database.ownerUrl, migrations: MIGRATIONS, poolSize: 1, applicationName: 'citus-ready-keys' }));
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      await new CitusReadyKeys1795920000000().down(runner);
      expect(await primaryKey()).toEqual(['state_hash']);
      expect(await findDistributionViolations(client)).toEqual([
        { table: 'mynumber_oidc_transactions', constraint: 'mynumber_oidc_transactions_pkey', problem: 'primary key (state_hash) does not include municipality_id' },
      ]);
      await new CitusReadyKeys1795920000000().up(runner);
      expect(await primaryKey()).toEqual(['municipality_id', 'state_hash']);
      expect(await findDistributionViolations(client)).toEqual([]);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
  });

  it('reports a declared table that is not in the schema, and the colocation table missing', async () => {
    await client.query('BEGIN');
    try {
      await client.query(`ALTER TABLE kpi_business_days RENAME TO kpi_business_days_renamed`);
      await client.query(`ALTER TABLE municipalities RENAME TO municipalities_renamed`);
      const violations = await findDistributionViolations(client);
      expect(violations).toEqual(
        expect.arrayContaining([
          { table: 'kpi_business_days', constraint: null, problem: 'named in REFERENCE_TABLES but not a table in the schema' },
          { table: 'kpi_business_days_renamed', constraint: 'kpi_business_days_pkey', problem: 'primary key (day) does not include municipality_id' },
          { table: COLOCATION_TABLE, constraint: null, problem: 'the colocation table is not in the schema' },
        ]),
      );
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('plans the distribution: reference tables, municipalities, then each table after those it references', async () => {
    const plan = await distributionPlan(client);
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    const distributed = tables.map((table) => table.name).filter((name) => !Object.hasOwn(REFERENCE_TABLES, name) && !Object.hasOwn(COORDINATOR_TABLES, name));

    expect(plan[0]).toBe("SELECT create_reference_table('kpi_business_days');");
    expect(plan[1]).toBe("SELECT create_distributed_table('municipalities', 'municipality_id', colocate_with => 'none');");
    expect(plan).toContain("SELECT create_distributed_table('applications', 'municipality_id', colocate_with => 'municipalities');");
    const created = plan.filter((statement) => statement.startsWith('SELECT create_')).map((statement) => /'([a-z_]+)'/.exec(statement)![1]);
    expect([...created].sort()).toEqual([...Object.keys(REFERENCE_TABLES), ...distributed].sort());

    // The one cycle (a booking and its lottery entry name each other): one of its keys is
    // dropped before its table is distributed and added back once both are.
    const altered = plan.filter((statement) => statement.startsWith('ALTER TABLE'));
    expect(altered).toEqual([
      'ALTER TABLE lottery_entries DROP CONSTRAINT lottery_entries_booking_fk;',
      'ALTER TABLE lottery_entries ADD CONSTRAINT lottery_entries_booking_fk FOREIGN KEY (municipality_id, booking_id) REFERENCES bookings(municipality_id, id);',
    ]);
    expect(plan.indexOf(altered[0])).toBe(plan.indexOf("SELECT create_distributed_table('lottery_entries', 'municipality_id', colocate_with => 'municipalities');") - 1);
    expect(plan.at(-1)).toBe(altered[1]);

    const position = new Map(created.map((name, index) => [name, index]));
    const { rows: references } = await client.query<{ name: string; referencing: string; referenced: string }>(
      `SELECT conname AS name, conrelid::regclass::text AS referencing, confrelid::regclass::text AS referenced FROM pg_constraint
        WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conrelid <> confrelid`,
    );
    expect(references.length).toBeGreaterThanOrEqual(74);
    const outOfOrder = references.filter(({ name, referencing, referenced }) => name !== 'lottery_entries_booking_fk' && position.get(referencing)! <= position.get(referenced)!);
    expect(outOfOrder).toEqual([]);
  });
});
