import { inspectServiceRole, SERVICE_ROLE, serviceRoleProblem } from '@madoguchi/kernel';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../../../test/support/test-app';
import { AuditActions } from './audit-entry';
import { AuditService } from './audit.service';

/**
 * The service's own database account cannot rewrite the records: it owns
 * nothing and holds no UPDATE, DELETE or TRUNCATE on the append-only tables.
 * The app under test connects as that role (test/support/test-database.ts).
 */
describe('the service role cannot get past the append-only records (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await t.get(AuditService).record(SAMPLE_MUNICIPALITY as never, { actor: { kind: 'system', id: 'test' }, action: AuditActions.LoginFailed, details: {} });
  });
  afterAll(() => t.close());

  const denied = /permission denied|must be owner/;

  it('connects as the service role, which is no superuser and owns no table', async () => {
    const [{ user }] = await t.dataSource.query('SELECT current_user AS user');
    expect(user).toBe(SERVICE_ROLE);
    const check = await inspectServiceRole(t.db.url);
    expect(check).toEqual({ role: SERVICE_ROLE, superuser: false, ownedTables: 0, bypassesRowSecurity: false });
    expect(serviceRoleProblem(check)).toBeNull();
  });

  it('may not switch triggers off: no replica mode, no DISABLE TRIGGER', async () => {
    await expect(t.dataSource.query('SET session_replication_role = replica')).rejects.toThrow(denied);
    await expect(t.dataSource.transaction((m) => m.query('SET LOCAL session_replication_role = replica'))).rejects.toThrow(denied);
    await expect(t.dataSource.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only')).rejects.toThrow(/must be owner/);
    await expect(t.dataSource.query('ALTER TABLE audit_log DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
    await expect(t.dataSource.query('ALTER TABLE approval_decisions DISABLE TRIGGER approval_decisions_append_only')).rejects.toThrow(/must be owner/);
    await expect(t.dataSource.query('ALTER TABLE documents DISABLE TRIGGER documents_immutable')).rejects.toThrow(/must be owner/);
    await expect(t.dataSource.query('DROP TRIGGER audit_log_append_only ON audit_log')).rejects.toThrow(/must be owner/);
    await expect(t.dataSource.query('ALTER TABLE audit_log OWNER TO madoguchi_app')).rejects.toThrow(/must be owner/);
  });

  it('has no UPDATE, DELETE or TRUNCATE on audit_log: refused before any trigger runs', async () => {
    await expect(t.dataSource.query(`UPDATE audit_log SET details = '{}'`)).rejects.toThrow(/permission denied for table audit_log/);
    await expect(t.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/permission denied for table audit_log/);
    await expect(t.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied for table audit_log/);
    await expect(t.dataSource.query(`SELECT * FROM audit_log FOR UPDATE`)).rejects.toThrow(/permission denied for table audit_log/);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM audit_log`))[0].n)).toBeGreaterThan(0);
  });

  it('has no UPDATE, DELETE or TRUNCATE on the approval decision chain', async () => {
    await expect(t.dataSource.query(`UPDATE approval_decisions SET comment = 'x'`)).rejects.toThrow(/permission denied for table approval_decisions/);
    await expect(t.dataSource.query(`DELETE FROM approval_decisions`)).rejects.toThrow(/permission denied for table approval_decisions/);
    await expect(t.dataSource.query(`TRUNCATE approval_decisions`)).rejects.toThrow(/permission denied for table approval_decisions/);
  });

  it('may update only the revocation columns of an issued document, and never delete one', async () => {
    for (const column of ['pdf', 'sha256', 'serial', 'printed', 'verification_code', 'issued_at', 'replaces']) {
      await expect(t.dataSource.query(`UPDATE documents SET ${column} = ${column}`)).rejects.toThrow(/permission denied for table documents/);
    }
    await expect(t.dataSource.query(`DELETE FROM documents`)).rejects.toThrow(/permission denied for table documents/);
    await expect(t.dataSource.query(`TRUNCATE documents`)).rejects.toThrow(/permission denied for table documents/);
    // The revocation columns pass the privilege check (the trigger decides the rest).
    await expect(t.dataSource.query(`UPDATE documents SET revoked_reason = revoked_reason, replaced_by = replaced_by WHERE false`)).resolves.toBeDefined();
    await expect(t.dataSource.query(`SELECT id FROM documents FOR UPDATE`)).resolves.toEqual([]);
  });

  it('reads the migration history but cannot rewrite it', async () => {
    expect((await t.dataSource.query(`SELECT name FROM schema_migrations`)).length).toBeGreaterThan(10);
    await expect(t.dataSource.query(`DELETE FROM schema_migrations`)).rejects.toThrow(/permission denied/);
  });

  it('gets read and write on a table a later migration creates, through default privileges', async () => {
    await t.db.asOwner((owner) => owner.query(`CREATE TABLE later_feature (id integer PRIMARY KEY, note text); CREATE SEQUENCE later_feature_seq`));
    await t.dataSource.query(`INSERT INTO later_feature (id, note) VALUES (nextval('later_feature_seq'), 'a')`);
    await t.dataSource.query(`UPDATE later_feature SET note = 'b'`);
    expect(await t.dataSource.query(`SELECT note FROM later_feature`)).toEqual([{ note: 'b' }]);
    await t.dataSource.query(`DELETE FROM later_feature`);
    await expect(t.dataSource.query(`ALTER TABLE later_feature ADD COLUMN x integer`)).rejects.toThrow(/must be owner/);
  });

  it('tells production why a superuser or owner connection is refused', async () => {
    const owner = await inspectServiceRole(t.db.ownerUrl);
    expect(owner.superuser).toBe(true);
    expect(serviceRoleProblem(owner)).toMatch(/superuser.*MIGRATION_DATABASE_URL/);
    expect(serviceRoleProblem({ role: 'madoguchi_owner', superuser: false, ownedTables: 40, bypassesRowSecurity: false })).toMatch(/owns 40 table\(s\)/);
  });
});
