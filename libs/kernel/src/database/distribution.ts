import type { QueryResult, QueryResultRow } from 'pg';

/**
 * How the schema would be spread over a Citus cluster: every table is
 * distributed by municipality, in one colocation group, except the few named
 * below. `findDistributionViolations` reads the catalog and lists whatever
 * would stop `create_distributed_table` (or make a constraint unenforceable
 * across shards); `test/integration/citus-ready-keys.int-spec.ts` fails on
 * any. docs/scaling.md ("Citus-ready keys") explains the choices.
 */

/** The distribution column of every distributed table. */
export const DISTRIBUTION_COLUMN = 'municipality_id';

/**
 * The tenant table itself, distributed on its own key and created first: the
 * others join its colocation group (the group `applications` is in), so a
 * municipality's rows, its own `municipalities` row included, share one shard.
 */
export const COLOCATION_TABLE = 'municipalities';

/**
 * Replicated to every node (`create_reference_table`): data no municipality
 * owns that distributed tables' queries or triggers read on the node where
 * they run. A reference table's keys need not contain the distribution
 * column; it may not reference a distributed table.
 */
export const REFERENCE_TABLES: Readonly<Record<string, string>> = {
  kpi_business_days:
    'the national business calendar (holidays and the year-end closing) that libs/kernel fills at start; one for every municipality, and read by the KPI rollup trigger on applications, which runs on the shard, so every node needs a copy',
};

/**
 * Left as plain tables on the coordinator, never distributed: they hold no
 * municipality's data and nothing distributed references them or is
 * referenced by them.
 */
export const COORDINATOR_TABLES: Readonly<Record<string, string>> = {
  schema_migrations: "TypeORM's record of applied migrations; migrations run against the coordinator, which propagates their DDL",
  simulated_digital_auth_card_locks:
    "wrong-PIN counts of the simulated digital authentication service's software cards: a stand-in for the national service, not the product; a card locks for every municipality at once, as a real card does. Created by the product's migrations, but written only when DIGITAL_AUTH_ISSUER=simulated (refused in production unless a demonstration allows it), and read by nothing else",
};

export type TablePlacement = 'distributed' | 'reference' | 'coordinator';

/** Where a table (its unqualified name in `public`) goes on Citus. */
export function placementOf(table: string): TablePlacement {
  if (Object.hasOwn(REFERENCE_TABLES, table)) return 'reference';
  if (Object.hasOwn(COORDINATOR_TABLES, table)) return 'coordinator';
  return 'distributed';
}

export interface DistributionViolation {
  table: string;
  /** The constraint or index at fault; null for the table itself. */
  constraint: string | null;
  problem: string;
}

/** What the checks need of a connection: `pg`'s Client or PoolClient. */
export interface CatalogReader {
  query<R extends QueryResultRow>(sql: string, values?: unknown[]): Promise<QueryResult<R>>;
}

interface TableRow {
  oid: number;
  /** Partitions go where their partitioned root goes: the root's name. */
  name: string;
  partition: boolean;
  tenant_type: string | null;
  tenant_not_null: boolean | null;
}

interface KeyRow {
  table_oid: number;
  name: string;
  kind: 'p' | 'u' | 'x' | null;
  columns: string[];
  exclusion_operators: string[];
}

interface ForeignKeyRow {
  table_oid: number;
  referenced_oid: number;
  name: string;
  columns: string[];
  referenced_columns: string[];
  on_delete: string;
  on_update: string;
  /** As pg_get_constraintdef prints it: what the plan adds back after a cycle. */
  definition: string;
}

// User tables (ordinary and partitioned) in every schema but the system's;
// names as regclass prints them (unqualified in `public`). pg_attribute rather
// than information_schema.columns, which hides columns the reader may not see.
const TABLES_SQL = `
  SELECT c.oid,
         coalesce(pg_partition_root(c.oid), c.oid)::regclass::text AS name,
         c.relispartition AS partition,
         format_type(a.atttypid, a.atttypmod) || coalesce(' COLLATE ' || nullif(a.attcollation, 0)::regcollation::text, '') AS tenant_type,
         a.attnotnull AS tenant_not_null
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $1 AND NOT a.attisdropped
   WHERE c.relkind IN ('r', 'p')
     AND n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast')
     AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
   ORDER BY 2, 1`;

// Every index that enforces uniqueness or exclusion: primary keys, unique
// constraints, exclusion constraints and bare unique indexes. Key columns
// only (INCLUDE columns enforce nothing); an expression is '(expression)'.
const KEYS_SQL = `
  SELECT i.indrelid AS table_oid,
         coalesce(con.conname, ic.relname) AS name,
         con.contype AS kind,
         ARRAY(SELECT coalesce(a.attname::text, '(expression)')
                 FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE k.ord <= i.indnkeyatts
                ORDER BY k.ord) AS columns,
         ARRAY(SELECT o.oprname::text
                 FROM unnest(con.conexclop) WITH ORDINALITY AS x(op, ord)
                 JOIN pg_operator o ON o.oid = x.op
                ORDER BY x.ord) AS exclusion_operators
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
   WHERE i.indisunique OR i.indisexclusion
   ORDER BY 2`;

// Foreign keys once each (a partition's clones have a parent constraint).
const FOREIGN_KEYS_SQL = `
  SELECT con.conrelid AS table_oid,
         con.confrelid AS referenced_oid,
         con.conname AS name,
         ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
         ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns,
         con.confdeltype AS on_delete,
         con.confupdtype AS on_update,
         pg_get_constraintdef(con.oid) AS definition
    FROM pg_constraint con
   WHERE con.contype = 'f' AND con.conparentid = 0
   ORDER BY 3`;

const KEY_KIND: Record<string, string> = { p: 'primary key', u: 'unique constraint', x: 'exclusion constraint' };
const ACTION: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

interface Catalog {
  tables: TableRow[];
  byOid: Map<number, TableRow>;
  keys: KeyRow[];
  foreignKeys: ForeignKeyRow[];
}

async function readCatalog(client: CatalogReader): Promise<Catalog> {
  const tables = (await client.query<TableRow>(TABLES_SQL, [DISTRIBUTION_COLUMN])).rows;
  const byOid = new Map(tables.map((table) => [table.oid, table]));
  const keys = (await client.query<KeyRow>(KEYS_SQL)).rows.filter((key) => byOid.has(key.table_oid));
  const foreignKeys = (await client.query<ForeignKeyRow>(FOREIGN_KEYS_SQL)).rows.filter((key) => byOid.has(key.table_oid));
  return { tables, byOid, keys, foreignKeys };
}

/**
 * Everything in the schema that a Citus cluster distributed by
 * `municipality_id` would refuse or could not enforce, one entry per table or
 * constraint at fault; empty when the schema is Citus-ready. Checks:
 * - every table not named in REFERENCE_TABLES or COORDINATOR_TABLES has a
 *   NOT NULL `municipality_id` of the same type as the colocation table's;
 * - every primary key, unique constraint, unique index and exclusion
 *   constraint of such a table has `municipality_id` among its key columns,
 *   compared with `=` in an exclusion constraint;
 * - every foreign key between distributed tables pairs `municipality_id` with
 *   `municipality_id`, and does not SET NULL, SET DEFAULT or (on update)
 *   CASCADE it; a distributed table references only distributed and
 *   reference tables; a reference table references only reference tables;
 *   a coordinator table has no foreign key to or from another placement;
 * - both lists name tables that exist.
 */
export async function findDistributionViolations(client: CatalogReader): Promise<DistributionViolation[]> {
  const { tables, byOid, keys, foreignKeys } = await readCatalog(client);
  const violations: DistributionViolation[] = [];
  const report = (table: string, constraint: string | null, problem: string) => violations.push({ table, constraint, problem });

  const names = new Set(tables.map((table) => table.name));
  for (const [list, declared] of [
    ['REFERENCE_TABLES', REFERENCE_TABLES],
    ['COORDINATOR_TABLES', COORDINATOR_TABLES],
  ] as const) {
    for (const name of Object.keys(declared)) if (!names.has(name)) report(name, null, `named in ${list} but not a table in the schema`);
  }

  const anchor = tables.find((table) => table.name === COLOCATION_TABLE && !table.partition);
  if (!anchor) report(COLOCATION_TABLE, null, 'the colocation table is not in the schema');
  for (const table of tables) {
    if (placementOf(table.name) !== 'distributed') continue;
    if (table.tenant_type === null) report(table.name, null, `has no ${DISTRIBUTION_COLUMN} column`);
    else {
      if (!table.tenant_not_null) report(table.name, null, `${DISTRIBUTION_COLUMN} is nullable`);
      if (anchor?.tenant_type && table.tenant_type !== anchor.tenant_type) {
        report(table.name, null, `${DISTRIBUTION_COLUMN} is ${table.tenant_type}, ${COLOCATION_TABLE}.${DISTRIBUTION_COLUMN} is ${anchor.tenant_type}: Citus colocates only columns of one type`);
      }
    }
  }

  for (const key of keys) {
    const table = byOid.get(key.table_oid)!;
    if (placementOf(table.name) !== 'distributed') continue;
    const what = `${key.kind ? KEY_KIND[key.kind] : 'unique index'} (${key.columns.join(', ')})`;
    const position = key.columns.indexOf(DISTRIBUTION_COLUMN);
    if (position < 0) report(table.name, key.name, `${what} does not include ${DISTRIBUTION_COLUMN}`);
    else if (key.kind === 'x' && key.exclusion_operators[position] !== '=') {
      report(table.name, key.name, `${what} compares ${DISTRIBUTION_COLUMN} with ${key.exclusion_operators[position]}, not =`);
    }
  }

  for (const key of foreignKeys) {
    const table = byOid.get(key.table_oid)!;
    const referenced = byOid.get(key.referenced_oid);
    const from = placementOf(table.name);
    const to = referenced ? placementOf(referenced.name) : null;
    const what = `foreign key (${key.columns.join(', ')}) → ${referenced?.name ?? 'a system table'} (${key.referenced_columns.join(', ')})`;
    if (to === null) report(table.name, key.name, `${what}: references a table outside the schema`);
    else if (from === 'coordinator' || to === 'coordinator') {
      if (from !== to) report(table.name, key.name, `${what}: a ${from} table and a ${to} table cannot be linked by a foreign key`);
    } else if (from === 'reference') {
      if (to === 'distributed') report(table.name, key.name, `${what}: a reference table cannot reference a distributed table`);
    } else {
      const position = key.columns.indexOf(DISTRIBUTION_COLUMN);
      if (to === 'distributed' && (position < 0 || key.referenced_columns[position] !== DISTRIBUTION_COLUMN)) {
        report(table.name, key.name, `${what}: does not pair ${DISTRIBUTION_COLUMN} with ${referenced!.name}.${DISTRIBUTION_COLUMN}`);
      }
      if (position >= 0 && (key.on_delete === 'n' || key.on_delete === 'd')) {
        report(table.name, key.name, `${what}: ON DELETE ${ACTION[key.on_delete]} on a key that includes ${DISTRIBUTION_COLUMN}`);
      }
      if (position >= 0 && (key.on_update === 'n' || key.on_update === 'd' || key.on_update === 'c')) {
        report(table.name, key.name, `${what}: ON UPDATE ${ACTION[key.on_update]} on a key that includes ${DISTRIBUTION_COLUMN}`);
      }
    }
  }
  return violations;
}

/**
 * The statements that distribute this schema on a Citus coordinator, in an
 * order Citus accepts (a table is distributed after every table it
 * references): reference tables, the colocation table, then the rest in its
 * colocation group. A foreign key that closes a cycle (bookings and
 * lottery_entries reference each other) is dropped just before its table is
 * distributed and added back at the end. Partitions follow their parent and
 * are not listed; coordinator tables stay as they are. Meaningful only when
 * `findDistributionViolations` finds nothing; run it in one transaction.
 */
export async function distributionPlan(client: CatalogReader): Promise<string[]> {
  const { tables, byOid, foreignKeys } = await readCatalog(client);
  const roots = tables.filter((table) => !table.partition).map((table) => table.name);
  const literal = (name: string) => `'${name.replace(/'/g, "''")}'`;
  const identifier = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
  const distributed = roots.filter((name) => placementOf(name) === 'distributed');
  const references = new Map(distributed.map((name) => [name, [] as Array<{ key: ForeignKeyRow; to: string }>]));
  for (const key of foreignKeys) {
    const from = byOid.get(key.table_oid)!.name;
    const to = byOid.get(key.referenced_oid)?.name;
    if (to && to !== from && references.has(to)) references.get(from)?.push({ key, to });
  }

  // Depth first, each table after what it references; an edge back to a
  // table still being visited closes a cycle and is deferred.
  const order: string[] = [];
  const deferred = new Map<string, ForeignKeyRow[]>();
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (visiting.has(name) || order.includes(name)) return;
    visiting.add(name);
    for (const { key, to } of references.get(name)!) {
      if (visiting.has(to)) deferred.set(name, [...(deferred.get(name) ?? []), key]);
      else visit(to);
    }
    visiting.delete(name);
    order.push(name);
  };
  if (references.has(COLOCATION_TABLE)) visit(COLOCATION_TABLE);
  for (const name of distributed) visit(name);

  const statements = roots.filter((name) => placementOf(name) === 'reference').map((name) => `SELECT create_reference_table(${literal(name)});`);
  for (const name of order) {
    for (const key of deferred.get(name) ?? []) statements.push(`ALTER TABLE ${name} DROP CONSTRAINT ${identifier(key.name)};`);
    const colocateWith = name === COLOCATION_TABLE ? 'none' : COLOCATION_TABLE;
    statements.push(`SELECT create_distributed_table(${literal(name)}, ${literal(DISTRIBUTION_COLUMN)}, colocate_with => ${literal(colocateWith)});`);
  }
  for (const [name, keys] of deferred) for (const key of keys) statements.push(`ALTER TABLE ${name} ADD CONSTRAINT ${identifier(key.name)} ${key.definition};`);
  return statements;
}
