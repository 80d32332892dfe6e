import type { Server } from 'node:http';
import request from 'supertest';
import { expectError, IdentityDriver, PASSWORD, type StaffHandle, totpCode, wrongTotpCode } from '../support/identity-e2e';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';

/**
 * Staff through the HTTP API: password and TOTP sign-in, the administrators'
 * API for staff and departments, who may reach it, and the audit log with
 * its verify endpoint (tampering last, since it breaks the chain for good).
 */

const MINUTE = 60_000;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface AuditEntryBody {
  municipalityId: string;
  seq: number;
  actor: { kind: string; id: string | null };
  action: string;
  target: { type: string; id: string } | null;
  details: Record<string, unknown>;
}

describe('identity: staff, administration and audit (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let id: IdentityDriver;
  let server: Server;
  let admin: StaffHandle & { totpSecret: string };
  let otherAdmin: StaffHandle & { totpSecret: string };

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url } });
    id = new IdentityDriver(t, mailbox);
    server = id.server;
    admin = await id.administrator('admin.sakura');
    otherAdmin = await id.administrator('admin.shiken', OTHER_MUNICIPALITY);
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });
  // A fresh minute for the per-IP login limit; sessions are 15 minutes, so
  // tests sign in again when they need to.
  beforeEach(() => t.clock.advance(MINUTE));

  const as = (token: string) => ({
    get: (path: string) => request(server).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) => request(server).post(path).set('Authorization', `Bearer ${token}`).send(body),
    put: (path: string, body: object) => request(server).put(path).set('Authorization', `Bearer ${token}`).send(body),
  });
  // Administrators' tokens are reused while they last: signing in for every
  // call would run into the per-account limit (10 in 15 minutes).
  const adminTokens = new Map<string, { token: string; expiresAt: number }>();
  const adminLogin = async (who: StaffHandle & { totpSecret: string }): Promise<string> => {
    const cached = adminTokens.get(who.loginId);
    if (cached && cached.expiresAt > t.clock.now().getTime()) return cached.token;
    const login = await id.staffLogin(who.loginId, PASSWORD, { totpCode: totpCode(who.totpSecret, t.clock.now()) }, who.municipalityId).expect(200);
    adminTokens.set(who.loginId, { token: login.body.accessToken, expiresAt: Date.parse(login.body.accessExpiresAt) });
    return login.body.accessToken;
  };
  const asAdmin = async () => as(await adminLogin(admin));
  const staffBody = (loginId: string, overrides: Record<string, unknown> = {}) => ({
    loginId,
    password: PASSWORD,
    displayName: `職員 ${loginId}`,
    roles: ['clerk'],
    approvalLevel: null,
    departments: ['shimin'],
    active: true,
    ...overrides,
  });
  const auditEntries = async (query: Record<string, string | number>): Promise<AuditEntryBody[]> =>
    (await (await asAdmin()).get('/api/v1/admin/audit').query(query).expect(200)).body.entries;

  describe('sign-in', () => {
    it('asks an administrator for a TOTP code: none is 401 AUTH_TOTP_REQUIRED, a wrong one 401 AUTH_TOTP_INVALID, the right one signs in', async () => {
      const now = t.clock.now();
      expectError(await id.staffLogin(admin.loginId), 401, 'AUTH_TOTP_REQUIRED');
      expectError(await id.staffLogin(admin.loginId, PASSWORD, { totpCode: wrongTotpCode(admin.totpSecret, now) }), 401, 'AUTH_TOTP_INVALID');
      // The code is asked for only after the password is right.
      expectError(await id.staffLogin(admin.loginId, 'not-the-password', { totpCode: totpCode(admin.totpSecret, now) }), 401, 'AUTH_INVALID_CREDENTIALS');
      expectError(await id.staffLogin('no.such.staff', 'not-the-password'), 401, 'AUTH_INVALID_CREDENTIALS');

      const login = await id.staffLogin(admin.loginId, PASSWORD, { totpCode: totpCode(admin.totpSecret, now) }).expect(200);
      expect(login.body).toMatchObject({ accessToken: expect.stringMatching(/^990001\./), refreshToken: expect.stringMatching(/^990001\./), csrfToken: null });
      // Staff refresh tokens last a working day, not a month.
      expect(Date.parse(login.body.refreshExpiresAt) - now.getTime()).toBe(12 * 60 * MINUTE);
      const me = await as(login.body.accessToken).get('/api/v1/auth/me').expect(200);
      expect(me.body).toEqual({
        kind: 'staff',
        id: admin.id,
        municipalityId: '990001',
        roles: ['administrator'],
        approvalLevel: null,
        departments: [],
        authMethod: 'password+totp',
      });
    });

    it('enrols TOTP for an administrator created over the API and shows the secret once', async () => {
      const created = await (await asAdmin()).post('/api/v1/admin/staff', staffBody('admin.created', { roles: ['administrator'], departments: [] })).expect(201);
      expect(created.body.totp).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]+$/), otpauthUri: expect.stringContaining('otpauth://totp/') });
      expect(created.body.totpEnabled).toBe(true);
      expectError(await id.staffLogin('admin.created'), 401, 'AUTH_TOTP_REQUIRED');
      expect((await id.staffLogin('admin.created', PASSWORD, { totpCode: totpCode(created.body.totp.secret, t.clock.now()) })).status).toBe(200);
      const listed = await (await asAdmin()).get(`/api/v1/admin/staff/${created.body.id}`).expect(200);
      expect(listed.body.totp).toBeUndefined();
    });

    it('refuses an administrator without TOTP enrolled with 403 AUTH_TOTP_ENROLLMENT_REQUIRED', async () => {
      await (await asAdmin()).post('/api/v1/admin/staff', staffBody('admin.without.totp', { roles: ['administrator'], departments: [] })).expect(201);
      // An account from before enrolment was enforced at creation.
      await t.dataSource.query(`UPDATE staff SET totp_secret_enc = NULL, totp_enabled_at = NULL WHERE login_id = 'admin.without.totp'`);
      expectError(await id.staffLogin('admin.without.totp'), 403, 'AUTH_TOTP_ENROLLMENT_REQUIRED');
      expectError(await id.staffLogin('admin.without.totp', PASSWORD, { totpCode: '123456' }), 403, 'AUTH_TOTP_ENROLLMENT_REQUIRED');
      expectError(await id.staffLogin('admin.without.totp', 'not-the-password'), 401, 'AUTH_INVALID_CREDENTIALS');
    });

    it('refuses to make a staff member without TOTP an administrator', async () => {
      const api = await asAdmin();
      const clerk = await api.post('/api/v1/admin/staff', staffBody('clerk.to.promote', { roles: ['clerk'], departments: ['shimin'] })).expect(201);
      const promotion = await api.put(`/api/v1/admin/staff/${clerk.body.id}`, {
        displayName: 'x',
        roles: ['clerk', 'administrator'],
        approvalLevel: null,
        departments: ['shimin'],
        active: true,
      });
      expectError(promotion, 422, 'IDENTITY_TOTP_REQUIRED_FOR_ADMINISTRATOR');
    });

    it('slows down an address after 5 failures on a staff account (429 with Retry-After, even with the right password)', async () => {
      const clerk = await id.staff('clerk.lockout', ['clerk'], { departments: ['shimin'] });
      for (let attempt = 1; attempt <= 5; attempt += 1) expectError(await id.staffLogin(clerk.loginId, 'not-the-password'), 401, 'AUTH_INVALID_CREDENTIALS');
      const limited = await id.staffLogin(clerk.loginId);
      expectError(limited, 429, 'AUTH_RATE_LIMITED');
      expect(limited.headers['retry-after']).toBe('60');
      t.clock.advance(MINUTE);
      await id.staffLogin(clerk.loginId).expect(200);
    });

    it('lets a staff member enrol TOTP, after which sign-in needs a code; an administrator role can then be granted', async () => {
      const clerk = await id.staff('clerk.totp', ['clerk'], { departments: ['shimin'] });
      const enrolment = await as(clerk.token).post('/api/v1/auth/staff/totp').expect(200);
      expect(enrolment.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUri: expect.stringContaining('otpauth://totp/Madoguchi:clerk.totp?') });
      const secret = enrolment.body.secret as string;
      // Not active until confirmed.
      await id.staffLogin(clerk.loginId).expect(200);
      expectError(await as(clerk.token).post('/api/v1/auth/staff/totp/confirm', { code: wrongTotpCode(secret, t.clock.now()) }), 401, 'AUTH_TOTP_INVALID');
      expectError(await as(clerk.token).post('/api/v1/auth/staff/totp/confirm', { code: 'abcdef' }), 400, 'VALIDATION_FAILED');
      await as(clerk.token).post('/api/v1/auth/staff/totp/confirm', { code: totpCode(secret, t.clock.now()) }).expect(204);

      expectError(await id.staffLogin(clerk.loginId), 401, 'AUTH_TOTP_REQUIRED');
      // The confirming code is spent: it does not sign in too.
      expectError(await id.staffLogin(clerk.loginId, PASSWORD, { totpCode: totpCode(secret, t.clock.now()) }), 401, 'AUTH_TOTP_INVALID');
      t.clock.advance(30_000);
      const login = await id.staffLogin(clerk.loginId, PASSWORD, { totpCode: totpCode(secret, t.clock.now()) }).expect(200);
      expect((await as(login.body.accessToken).get('/api/v1/auth/me').expect(200)).body.authMethod).toBe('password+totp');
      // An enrolled factor is not switched off by starting over with the session alone.
      expectError(await as(login.body.accessToken).post('/api/v1/auth/staff/totp'), 409, 'IDENTITY_CONFLICT');
      expectError(await id.staffLogin(clerk.loginId), 401, 'AUTH_TOTP_REQUIRED');

      const adminApi = await asAdmin();
      expect((await adminApi.get(`/api/v1/admin/staff/${clerk.id}`).expect(200)).body.totpEnabled).toBe(true);
      await adminApi.put(`/api/v1/admin/staff/${clerk.id}`, { displayName: 'clerk.totp', roles: ['clerk', 'administrator'], approvalLevel: null, departments: ['shimin'], active: true }).expect(200);
      t.clock.advance(30_000); // a code signs in once: the next sign-in needs the next one
      const promoted = await id.staffLogin(clerk.loginId, PASSWORD, { totpCode: totpCode(secret, t.clock.now()) }).expect(200);
      await as(promoted.body.accessToken).get('/api/v1/admin/staff').expect(200);
    });

    it('keeps TOTP enrolment to staff', async () => {
      const resident = await id.resident('not-staff@example.jp');
      expectError(await as(resident.token).post('/api/v1/auth/staff/totp'), 403, 'AUTH_FORBIDDEN');
      expectError(await request(server).post('/api/v1/auth/staff/totp'), 401, 'AUTH_UNAUTHENTICATED');
    });
  });

  describe('administrators manage staff', () => {
    it('creates clerks and approvers, and refuses an invalid approval level, an unknown department, a taken login id and a weak password', async () => {
      const api = await asAdmin();
      const clerk = await api.post('/api/v1/admin/staff', staffBody('clerk.created')).expect(201);
      expect(clerk.body).toEqual({
        id: expect.any(String),
        loginId: 'clerk.created',
        displayName: '職員 clerk.created',
        roles: ['clerk'],
        approvalLevel: null,
        departments: ['shimin'],
        totpEnabled: false,
        active: true,
      });
      const approver = await api.post('/api/v1/admin/staff', staffBody('approver.created', { roles: ['approver'], approvalLevel: 'kacho', departments: ['shimin', 'zeimu'] })).expect(201);
      expect(approver.body).toMatchObject({ roles: ['approver'], approvalLevel: 'kacho', departments: ['shimin', 'zeimu'] });
      await id.staffLogin('clerk.created').expect(200);

      expectError(await api.post('/api/v1/admin/staff', staffBody('approver.nolevel', { roles: ['approver'] })), 422, 'IDENTITY_STAFF_INVALID');
      expectError(await api.post('/api/v1/admin/staff', staffBody('clerk.withlevel', { approvalLevel: 'bucho' })), 422, 'IDENTITY_STAFF_INVALID');
      const unknown = await api.post('/api/v1/admin/staff', staffBody('clerk.nodept', { departments: ['shimin', 'nope'] }));
      expectError(unknown, 422, 'IDENTITY_UNKNOWN_DEPARTMENT');
      expect(unknown.body.details).toEqual({ departments: ['nope'] });
      expectError(await api.post('/api/v1/admin/staff', staffBody('clerk.created', { displayName: 'someone else' })), 409, 'IDENTITY_CONFLICT');
      expectError(await api.post('/api/v1/admin/staff', staffBody('clerk.weak', { password: 'short' })), 422, 'AUTH_WEAK_PASSWORD');
      expectError(await api.post('/api/v1/admin/staff', staffBody('clerk.badrole', { roles: ['superuser'] })), 400, 'VALIDATION_FAILED');
      expectError(await api.post('/api/v1/admin/staff', staffBody('X')), 400, 'VALIDATION_FAILED');
      expectError(await api.post('/api/v1/admin/staff', { ...staffBody('clerk.extra'), passwordHash: 'x' }), 400, 'VALIDATION_FAILED');

      const list = await api.get('/api/v1/admin/staff').expect(200);
      const logins = (list.body as Array<{ loginId: string }>).map((staff) => staff.loginId);
      expect(logins).toEqual(expect.arrayContaining(['admin.sakura', 'clerk.created', 'approver.created']));
      expect(logins).not.toContain('approver.nolevel');
      expect(logins).not.toContain('admin.shiken'); // the other municipality's
      for (const staff of list.body as Array<Record<string, unknown>>) expect(Object.keys(staff).sort()).toEqual(Object.keys(clerk.body).sort());

      expect((await api.get(`/api/v1/admin/staff/${clerk.body.id}`).expect(200)).body).toEqual(clerk.body);
      expectError(await api.get(`/api/v1/admin/staff/${UNKNOWN_ID}`), 404, 'IDENTITY_NOT_FOUND');
      expectError(await api.get('/api/v1/admin/staff/not-a-uuid'), 400, 'BAD_REQUEST');
    });

    it('updates staff: deactivation or fewer rights end their sessions at once; a new display name does not', async () => {
      const api = await asAdmin();
      const clerk = await id.staff('clerk.update', ['clerk'], { departments: ['shimin'] });
      const update = (changes: Record<string, unknown>) =>
        api.put(`/api/v1/admin/staff/${clerk.id}`, { displayName: 'clerk.update', roles: ['clerk'], approvalLevel: null, departments: ['shimin'], active: true, ...changes });

      await as(clerk.token).get('/api/v1/staff/applications').expect(200);
      expect((await update({ displayName: '窓口 太郎' }).expect(200)).body.displayName).toBe('窓口 太郎');
      await as(clerk.token).get('/api/v1/staff/applications').expect(200);

      expect((await update({ departments: ['kaigo'] }).expect(200)).body.departments).toEqual(['kaigo']);
      expectError(await as(clerk.token).get('/api/v1/staff/applications'), 401, 'AUTH_UNAUTHENTICATED');

      const again = (await id.staffLogin(clerk.loginId).expect(200)).body.accessToken as string;
      expect((await update({ active: false }).expect(200)).body.active).toBe(false);
      expectError(await as(again).get('/api/v1/auth/me'), 401, 'AUTH_UNAUTHENTICATED');
      expectError(await id.staffLogin(clerk.loginId), 401, 'AUTH_INVALID_CREDENTIALS');

      expectError(await update({ roles: ['approver'] }), 422, 'IDENTITY_STAFF_INVALID');
      expectError(await update({ departments: ['nope'] }), 422, 'IDENTITY_UNKNOWN_DEPARTMENT');
      expectError(await api.put(`/api/v1/admin/staff/${UNKNOWN_ID}`, { displayName: 'x', roles: ['clerk'], approvalLevel: null, departments: [], active: true }), 404, 'IDENTITY_NOT_FOUND');

      await update({ active: true }).expect(200);
      await id.staffLogin(clerk.loginId).expect(200);
    });

    it('manages departments: list, create, rename and deactivate; refuses a duplicate, an unknown code and a bad code', async () => {
      const api = await asAdmin();
      const seeded = await api.get('/api/v1/admin/departments').expect(200);
      expect(seeded.body).toEqual(expect.arrayContaining([{ code: 'shimin', name: { ja: '市民課', en: 'Citizens Division' }, active: true }]));

      const jinji = { code: 'jinji', name: { ja: '人事課', en: 'Personnel Division' }, active: true };
      await api.post('/api/v1/admin/departments', jinji).expect(201);
      expectError(await api.post('/api/v1/admin/departments', jinji), 409, 'IDENTITY_CONFLICT');
      expectError(await api.post('/api/v1/admin/departments', { ...jinji, code: 'Jinji!' }), 400, 'VALIDATION_FAILED');
      expectError(await api.post('/api/v1/admin/departments', { code: 'soumu', name: { ja: '総務課' }, active: true }), 400, 'VALIDATION_FAILED');
      await api.post('/api/v1/admin/staff', staffBody('clerk.jinji', { departments: ['jinji'] })).expect(201);

      await api.put('/api/v1/admin/departments/jinji', { ...jinji, name: { ja: '職員課', en: 'Staff Division' } }).expect(200);
      expectError(await api.put('/api/v1/admin/departments/nosuch', jinji), 404, 'IDENTITY_NOT_FOUND');
      await api.put('/api/v1/admin/departments/jinji', { ...jinji, name: { ja: '職員課', en: 'Staff Division' }, active: false }).expect(200);
      const after = await api.get('/api/v1/admin/departments').expect(200);
      expect((after.body as Array<{ code: string }>).find((department) => department.code === 'jinji')).toEqual({
        code: 'jinji',
        name: { ja: '職員課', en: 'Staff Division' },
        active: false,
      });
      // A deactivated department takes no new staff.
      expectError(await api.post('/api/v1/admin/staff', staffBody('clerk.jinji2', { departments: ['jinji'] })), 422, 'IDENTITY_UNKNOWN_DEPARTMENT');
      // Departments are per municipality.
      const other = await as(await adminLogin(otherAdmin)).get('/api/v1/admin/departments').expect(200);
      expect((other.body as Array<{ code: string }>).map((department) => department.code)).not.toContain('jinji');
    });

    it('lets only administrators of this municipality in: other roles 403, residents 403, anonymous 401, another municipality 403/404', async () => {
      const paths = ['/api/v1/admin/staff', '/api/v1/admin/departments', '/api/v1/admin/audit', '/api/v1/admin/audit/verify'];
      for (const role of ['clerk', 'reviewer', 'manager'] as const) {
        const staff = await id.staff(`${role}.noadmin`, [role], { departments: ['shimin'] });
        for (const path of paths) expectError(await as(staff.token).get(path), 403, 'AUTH_FORBIDDEN');
        expectError(await as(staff.token).post('/api/v1/admin/staff', staffBody(`${role}.made`)), 403, 'AUTH_FORBIDDEN');
        expectError(await as(staff.token).put(`/api/v1/admin/staff/${staff.id}`, { displayName: 'x', roles: ['administrator'], approvalLevel: null, departments: [], active: true }), 403, 'AUTH_FORBIDDEN');
      }
      const approver = await id.staff('approver.noadmin', ['approver'], { departments: ['shimin'], approvalLevel: 'bucho' });
      expectError(await as(approver.token).get('/api/v1/admin/staff'), 403, 'AUTH_FORBIDDEN');
      const resident = await id.resident('curious@example.jp');
      for (const path of paths) expectError(await as(resident.token).get(path), 403, 'AUTH_FORBIDDEN');
      for (const path of paths) expectError(await request(server).get(path), 401, 'AUTH_UNAUTHENTICATED');

      const otherToken = await adminLogin(otherAdmin);
      expectError(await as(otherToken).get('/api/v1/admin/staff').set('X-Municipality-Id', SAMPLE_MUNICIPALITY), 403, 'AUTH_TENANT_MISMATCH');
      expectError(await as(otherToken).get(`/api/v1/admin/staff/${approver.id}`), 404, 'IDENTITY_NOT_FOUND');
      expectError(await as(otherToken).put(`/api/v1/admin/staff/${approver.id}`, { displayName: 'x', roles: ['clerk'], approvalLevel: null, departments: [], active: false }), 404, 'IDENTITY_NOT_FOUND');
      await as(approver.token).get('/api/v1/staff/applications').expect(200); // untouched
      const theirs = await as(otherToken).get('/api/v1/admin/staff').expect(200);
      expect((theirs.body as Array<{ loginId: string }>).map((staff) => staff.loginId)).toEqual(['admin.shiken']);
    });
  });

  describe('audit log', () => {
    it('lists login successes and failures (with the reason, never the credentials) and staff changes', async () => {
      const api = await asAdmin();
      const created = await api.post('/api/v1/admin/staff', staffBody('clerk.audited')).expect(201);
      await api.put(`/api/v1/admin/staff/${created.body.id}`, { ...staffBody('clerk.audited'), loginId: undefined, password: undefined, active: false }).expect(200);
      await api.put(`/api/v1/admin/staff/${created.body.id}`, { ...staffBody('clerk.audited'), loginId: undefined, password: undefined, active: true }).expect(200);
      expectError(await id.staffLogin('clerk.audited', 'wrong-password-1'), 401, 'AUTH_INVALID_CREDENTIALS');
      expectError(await id.staffLogin('nobody.here', 'wrong-password-2'), 401, 'AUTH_INVALID_CREDENTIALS');
      await id.staffLogin('clerk.audited').expect(200);

      const changes = await auditEntries({ action: 'config.changed', targetType: 'staff', targetId: created.body.id });
      expect(changes.map((entry) => [entry.actor, entry.details])).toEqual([
        [{ kind: 'staff', id: admin.id }, { change: 'updated', fields: ['active'] }],
        [{ kind: 'staff', id: admin.id }, { change: 'updated', fields: ['active'] }],
        [{ kind: 'staff', id: admin.id }, { change: 'created', fields: ['loginId', 'roles', 'approvalLevel', 'departments'] }],
      ]);

      const failures = await auditEntries({ action: 'auth.login.failed', limit: 2 });
      expect(failures.map((entry) => [entry.actor, entry.details])).toEqual([
        [{ kind: 'anonymous', id: null }, { accountKind: 'staff', reason: 'invalid credentials' }],
        [{ kind: 'staff', id: created.body.id }, { accountKind: 'staff', reason: 'invalid credentials' }],
      ]);
      const reasons = new Set((await auditEntries({ action: 'auth.login.failed', limit: 500 })).map((entry) => entry.details.reason));
      // From the sign-in tests above: every kind of refusal is on record.
      expect([...reasons]).toEqual(expect.arrayContaining(['inactive', 'invalid credentials', 'invalid totp', 'totp not enrolled']));

      const [success] = await auditEntries({ action: 'auth.login.succeeded', limit: 1 });
      expect(success).toMatchObject({ municipalityId: '990001', actor: { kind: 'staff', id: created.body.id }, details: { method: 'password', sessionId: expect.any(String) } });

      const serialised = JSON.stringify(await auditEntries({ limit: 500 }));
      expect(serialised).not.toContain(PASSWORD);
      expect(serialised).not.toContain('wrong-password');
      expect(serialised).not.toContain('nobody.here');
    });

    it('pages newest first, checks its query, and keeps each municipality to its own chain', async () => {
      const api = await asAdmin();
      const first = await api.get('/api/v1/admin/audit').query({ limit: 2 }).expect(200);
      expect(first.body.entries).toHaveLength(2);
      expect(first.body.entries[0].seq).toBe(first.body.entries[1].seq + 1);
      expect(first.body.nextBefore).toBe(first.body.entries[1].seq);
      const second = await api.get('/api/v1/admin/audit').query({ limit: 2, before: first.body.nextBefore }).expect(200);
      expect(second.body.entries[0].seq).toBe(first.body.nextBefore - 1);

      expectError(await api.get('/api/v1/admin/audit').query({ action: 'Not An Action' }), 400, 'AUDIT_INVALID_QUERY');
      expectError(await api.get('/api/v1/admin/audit').query({ limit: 0 }), 400, 'VALIDATION_FAILED');
      expectError(await api.get('/api/v1/admin/audit').query({ limit: 501 }), 400, 'VALIDATION_FAILED');

      const theirs = await as(await adminLogin(otherAdmin)).get('/api/v1/admin/audit').query({ limit: 500 }).expect(200);
      expect(new Set((theirs.body.entries as AuditEntryBody[]).map((entry) => entry.municipalityId))).toEqual(new Set([OTHER_MUNICIPALITY]));
    });

    it('verifies the chain, and after a row is changed behind the triggers reports the first broken link', async () => {
      const api = await asAdmin();
      const intact = await api.get('/api/v1/admin/audit/verify').expect(200);
      expect(intact.body).toEqual({
        ok: true,
        checked: expect.any(Number),
        firstBroken: null,
        head: { seq: intact.body.checked, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        checkpoint: { status: 'none' },
      });
      expect(intact.body.checked).toBeGreaterThan(10);

      // The service's own connections cannot change a row.
      await expect(t.dataSource.query(`UPDATE audit_log SET details = '{}' WHERE municipality_id = $1 AND seq = 3`, [SAMPLE_MUNICIPALITY])).rejects.toThrow(/permission denied/);

      // A superuser switches the triggers off for one transaction and rewrites entry 3.
      await t.db.asOwner(async (owner) => {
        await owner.query('BEGIN');
        await owner.query('SET LOCAL session_replication_role = replica');
        await owner.query(`UPDATE audit_log SET details = '{"change": "created", "fields": []}' WHERE municipality_id = $1 AND seq = 3`, [SAMPLE_MUNICIPALITY]);
        await owner.query('COMMIT');
      });

      const broken = await (await asAdmin()).get('/api/v1/admin/audit/verify').expect(200);
      expect(broken.body).toEqual({
        ok: false,
        checked: 2,
        firstBroken: { seq: 3, reason: 'hash mismatch' },
        head: { seq: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        checkpoint: { status: 'none' },
      });
      // The other municipality's chain is its own, and intact.
      expect((await as(await adminLogin(otherAdmin)).get('/api/v1/admin/audit/verify').expect(200)).body).toMatchObject({ ok: true, firstBroken: null });
    });
  });
});
