import { Client } from 'pg';

/**
 * The role that holds the service's privileges. Migrations (run as the
 * schema owner) grant to it; the service connects as it, or as a login role
 * that is a member of it. It owns nothing, so it cannot switch triggers off,
 * and it has no UPDATE, DELETE or TRUNCATE on the append-only records
 * (migrations/1795530000000-ServiceRolePrivileges.ts).
 */
export const SERVICE_ROLE = 'madoguchi_app';

/**
 * Password of the service role on a local cluster (the embedded server, the
 * test server). It listens on 127.0.0.1 only and its superuser password is
 * just as fixed (embedded-postgres.ts): the separation being tested here is
 * of privileges, not of authentication. Production roles are the DBA's.
 */
export const LOCAL_SERVICE_ROLE_PASSWORD = 'madoguchi-local-app';

/**
 * Creates the service role as a login role unless it exists. Roles are
 * cluster-wide and several processes (test runs, an API and a worker) may
 * start at once: the duplicate error of the loser is the expected outcome.
 */
export async function ensureServiceRole(adminUrl: string, password = LOCAL_SERVICE_ROLE_PASSWORD): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const literal = `'${password.replace(/'/g, "''")}'`;
    await client.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SERVICE_ROLE}') THEN
          CREATE ROLE ${SERVICE_ROLE} LOGIN PASSWORD ${literal} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        ELSIF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SERVICE_ROLE}' AND rolcanlogin) THEN
          -- Created as a group role by the migration (DATABASE_URL run before): let it log in locally.
          ALTER ROLE ${SERVICE_ROLE} LOGIN PASSWORD ${literal};
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END $$`);
  } finally {
    await client.end();
  }
}

/** The same server and database as `url`, logged in as the local service role. */
export function serviceRoleUrl(url: string, password = LOCAL_SERVICE_ROLE_PASSWORD): string {
  const parsed = new URL(url);
  parsed.username = SERVICE_ROLE;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export interface ServiceRoleCheck {
  role: string;
  superuser: boolean;
  /** Tables in the database the role owns or may act as the owner of (by membership). */
  ownedTables: number;
  bypassesRowSecurity: boolean;
}

/** What the service's connection may do beyond its grants. */
export async function inspectServiceRole(url: string): Promise<ServiceRoleCheck> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ role: string; superuser: boolean; bypass: boolean; owned: string }>(
      `SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
              (SELECT count(*) FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p')
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const row = rows[0];
    return { role: row.role, superuser: row.superuser, ownedTables: Number(row.owned), bypassesRowSecurity: row.bypass };
  } finally {
    await client.end();
  }
}

/**
 * Production refuses to serve over a connection that could rewrite the
 * records behind the triggers: a superuser, or the owner of the tables (who
 * may ALTER TABLE … DISABLE TRIGGER). Returns the message, or null when fine.
 */
export function serviceRoleProblem(check: ServiceRoleCheck): string | null {
  if (check.superuser) {
    return `DATABASE_URL connects as "${check.role}", a superuser. In production the service must run as a role that owns nothing (e.g. a member of ${SERVICE_ROLE}); run migrations as the owner with MIGRATION_DATABASE_URL.`;
  }
  if (check.ownedTables > 0) {
    return `DATABASE_URL connects as "${check.role}", which owns ${check.ownedTables} table(s) (itself or through a role it belongs to) and so can switch off the append-only triggers. In production the service must run as a role that owns nothing (e.g. a member of ${SERVICE_ROLE}); run migrations as the owner with MIGRATION_DATABASE_URL.`;
  }
  return null;
}
