import type { Server } from 'node:http';
import request from 'supertest';
import { expectError, IdentityDriver, type StaffHandle } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';

/**
 * Issue 10 ("Trust"), bad input: characters PostgreSQL cannot store (NUL,
 * unpaired surrogates) and bytes that are not UTF-8 are refused in one place,
 * before routing reaches a handler, with one stable code.
 */
describe('bad input: unstorable characters in paths, queries and headers (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let server: Server;
  let admin: StaffHandle;
  let manager: StaffHandle;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url } });
    const id = new IdentityDriver(t, mailbox);
    server = id.server;
    admin = await id.administrator('admin.badinput');
    manager = await id.staff('manager.badinput', ['clerk', 'manager'], { departments: ['shimin'] });
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

  const unsupported = (response: request.Response) => expectError(response, 400, 'UNSUPPORTED_CHARACTERS');

  it('refuses NUL in a path parameter of a public route (GET /procedures/%00)', async () => {
    unsupported(await request(server).get('/api/v1/procedures/%00'));
    unsupported(await request(server).get('/api/v1/procedures/abc%00def'));
  });

  it('refuses NUL in a query value before it reaches PostgreSQL (GET /admin/audit?targetId=a%00b)', async () => {
    unsupported(await request(server).get('/api/v1/admin/audit?targetId=a%00b').auth(admin.token, { type: 'bearer' }));
    // Also in a key, and in a nested (qs) value.
    unsupported(await request(server).get('/api/v1/admin/audit?a%00=1').auth(admin.token, { type: 'bearer' }));
    unsupported(await request(server).get('/api/v1/admin/audit?targetId[x]=%00').auth(admin.token, { type: 'bearer' }));
  });

  it('refuses NUL in a path parameter of an administrator route (PUT /admin/departments/%00)', async () => {
    unsupported(await request(server).put('/api/v1/admin/departments/%00').auth(admin.token, { type: 'bearer' }).send({ name: { ja: 'x', en: 'x' } }));
  });

  it('refuses percent-encoding that is not UTF-8, or not percent-encoding at all', async () => {
    // A lone surrogate encoded as UTF-8 (CESU), a truncated sequence, a stray continuation byte, overlong NUL.
    for (const path of ['/api/v1/procedures/%ED%A0%80', '/api/v1/procedures/%E3%81', '/api/v1/procedures/%80', '/api/v1/procedures/%C0%80', '/api/v1/procedures/%zz', '/api/v1/procedures?q=%E3%81', '/api/v1/procedures?q=%']) {
      // Express decodes route parameters before our request-id middleware runs, so these carry no requestId.
      const response = await request(server).get(path);
      expect({ path, status: response.status, code: response.body?.code }).toEqual({ path, status: 400, code: 'UNSUPPORTED_CHARACTERS' });
    }
  });

  it('refuses unstorable characters in header values used as data', async () => {
    // (Node refuses NUL and other control characters in a raw header value itself; what arrives encoded is ours to check.)
    unsupported(await request(server).post('/api/v1/applications/00000000-0000-4000-8000-000000000000/attachments').set('X-File-Name', 'a%00.pdf').send(Buffer.from('x')));
    unsupported(await request(server).post('/api/v1/applications/00000000-0000-4000-8000-000000000000/attachments').set('X-File-Name', '%ED%A0%80.pdf').send(Buffer.from('x')));
  });

  it('still serves ordinary Japanese text in paths and queries', async () => {
    const response = await request(server).get(`/api/v1/procedures?q=${encodeURIComponent('住民票 🏠')}`);
    expect(response.status).toBeLessThan(500);
    expect(response.body?.code).not.toBe('UNSUPPORTED_CHARACTERS');
    const missing = await request(server).get(`/api/v1/procedures/${encodeURIComponent('住民票')}`);
    expect(missing.body?.code).not.toBe('UNSUPPORTED_CHARACTERS');
  });

  describe('periods: one shared check on every route that takes one', () => {
    const asManager = (path: string) => request(server).get(path).auth(manager.token, { type: 'bearer' });

    it('refuses from after to on the cashless KPI (GET /kpi/cashless)', async () => {
      expectError(await request(server).get('/api/v1/kpi/cashless?from=2026-11-30&to=2026-11-01'), 400, 'PERIOD_REVERSED');
      expect((await request(server).get('/api/v1/kpi/cashless?from=2026-11-01&to=2026-11-30')).status).toBe(200);
    });

    it('bounds the span of the cashless KPI', async () => {
      const response = await request(server).get('/api/v1/kpi/cashless?from=1900-01-01&to=2026-11-30');
      expectError(response, 400, 'PERIOD_TOO_LONG');
      expect(response.body.details).toEqual({ maxDays: 5 * 366 });
    });

    it('refuses days PostgreSQL cannot reach a day past (accounting CSV of 9999-12-31 was a 500)', async () => {
      expectError(await asManager('/api/v1/payments/export.csv?date=9999-12-31'), 400, 'PERIOD_DATE_INVALID');
      expectError(await request(server).get('/api/v1/kpi/online-procedures?asOf=9999-12-31'), 400, 'PERIOD_DATE_INVALID');
    });

    it('refuses a reversed submittedFrom/submittedTo in the work queue', async () => {
      expectError(await asManager('/api/v1/staff/applications?submittedFrom=2026-11-30&submittedTo=2026-11-01'), 400, 'PERIOD_REVERSED');
      expect((await asManager('/api/v1/staff/applications?submittedFrom=2026-11-01&submittedTo=2026-11-30')).status).toBe(200);
    });

    it('keeps the counter statistics code (422), through the same check', async () => {
      expectError(await asManager('/api/v1/staff/counter-statistics?from=2026-11-30&to=2026-11-01'), 422, 'COUNTER_RANGE_INVALID');
      expectError(await asManager('/api/v1/staff/counter-statistics?from=9999-12-01&to=9999-12-31'), 422, 'COUNTER_RANGE_INVALID');
    });
  });
});
