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

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url } });
    const id = new IdentityDriver(t, mailbox);
    server = id.server;
    admin = await id.administrator('admin.badinput');
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

  const unsupported = (response: request.Response) => expectError(response, 400, 'UNSUPPORTED_CHARACTERS');

  it('refuses NUL in a path parameter of a public route (GET /procedures/%00)', async () => {
    unsupported(await request(server).get('/procedures/%00'));
    unsupported(await request(server).get('/procedures/abc%00def'));
  });

  it('refuses NUL in a query value before it reaches PostgreSQL (GET /admin/audit?targetId=a%00b)', async () => {
    unsupported(await request(server).get('/admin/audit?targetId=a%00b').auth(admin.token, { type: 'bearer' }));
    // Also in a key, and in a nested (qs) value.
    unsupported(await request(server).get('/admin/audit?a%00=1').auth(admin.token, { type: 'bearer' }));
    unsupported(await request(server).get('/admin/audit?targetId[x]=%00').auth(admin.token, { type: 'bearer' }));
  });

  it('refuses NUL in a path parameter of an administrator route (PUT /admin/departments/%00)', async () => {
    unsupported(await request(server).put('/admin/departments/%00').auth(admin.token, { type: 'bearer' }).send({ name: { ja: 'x', en: 'x' } }));
  });

  it('refuses percent-encoding that is not UTF-8, or not percent-encoding at all', async () => {
    // A lone surrogate encoded as UTF-8 (CESU), a truncated sequence, a stray continuation byte, overlong NUL.
    for (const path of ['/procedures/%ED%A0%80', '/procedures/%E3%81', '/procedures/%80', '/procedures/%C0%80', '/procedures/%zz', '/procedures?q=%E3%81', '/procedures?q=%']) {
      // Express decodes route parameters before our request-id middleware runs, so these carry no requestId.
      const response = await request(server).get(path);
      expect({ path, status: response.status, code: response.body?.code }).toEqual({ path, status: 400, code: 'UNSUPPORTED_CHARACTERS' });
    }
  });

  it('refuses unstorable characters in header values used as data', async () => {
    // (Node refuses NUL and other control characters in a raw header value itself; what arrives encoded is ours to check.)
    unsupported(await request(server).post('/applications/00000000-0000-4000-8000-000000000000/attachments').set('X-File-Name', 'a%00.pdf').send(Buffer.from('x')));
    unsupported(await request(server).post('/applications/00000000-0000-4000-8000-000000000000/attachments').set('X-File-Name', '%ED%A0%80.pdf').send(Buffer.from('x')));
  });

  it('still serves ordinary Japanese text in paths and queries', async () => {
    const response = await request(server).get(`/procedures?q=${encodeURIComponent('住民票 🏠')}`);
    expect(response.status).toBeLessThan(500);
    expect(response.body?.code).not.toBe('UNSUPPORTED_CHARACTERS');
    const missing = await request(server).get(`/procedures/${encodeURIComponent('住民票')}`);
    expect(missing.body?.code).not.toBe('UNSUPPORTED_CHARACTERS');
  });
});
