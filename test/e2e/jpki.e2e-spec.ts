import { canonicalContentHash, JPKI_NONCE_TTL_MS, JpkiTrustStore, StaffAdminService } from '@madoguchi/identity';
import { type RevocationList } from '@madoguchi/identity/jpki';
import { asMunicipalityId } from '@madoguchi/kernel';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import {
  ANOTHER_CA_NAME,
  cardChain,
  createTestCa,
  createTestPki,
  DEFAULT_BASIC4,
  issueTestCard,
  issueTestCrl,
  signContentWithCard,
  signWithCard,
  type TestCard,
  type TestPki,
} from '../support/jpki/test-pki';
import { createTestApp, DEFAULT_TEST_NOW, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * My Number Card sign-in and signed applications through the HTTP API, on
 * the real app and database. The test PKI stands in for the national CA
 * (a root the app trusts through JPKI_TRUST_DIR, and an issuing
 * intermediate the client sends along) and for the card (its two key
 * pairs). CRLs reach the app both ways the product offers: an
 * administrator's upload and the worker's trust-folder refresh.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PASSWORD = 'correct-horse-battery-staple';
const JUMINHYO_FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 1 };

function expectError(response: request.Response, statusCode: number, code: string): void {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status: statusCode, code });
  expect(response.body).toMatchObject({ statusCode, message: { ja: expect.any(String), en: expect.any(String) } });
}

function totpCode(secretBase32: string, at: Date): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) }).generate({ timestamp: at.getTime() });
}

describe('My Number Card (JPKI): sign-in and signed applications (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let server: Server;
  let pki: TestPki;
  let trustDir: string;
  /** The resident's card, issued by the intermediate; the chain sent is [leaf, intermediate]. */
  let card: TestCard;
  let admin: { loginId: string; totpSecret: string };
  /** Serials on the issuing CA's CRL; every CRL published carries all of them. */
  const revoked: string[] = [];
  let crlNumber = 0;

  beforeAll(async () => {
    pki = await createTestPki({ now: DEFAULT_TEST_NOW, intermediate: true });
    trustDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-jpki-'));
    writeFileSync(path.join(trustDir, 'ca.pem'), pki.root.pem);
    t = await createTestApp({ env: { JPKI_TRUST_DIR: trustDir } });
    server = t.app.getHttpServer();
    card = await pki.issueCard();
    const created = await t.get(StaffAdminService).bootstrapAdministrator(asMunicipalityId(SAMPLE_MUNICIPALITY), {
      loginId: 'jpki-admin',
      displayName: 'JPKI admin',
      password: PASSWORD,
    });
    admin = { loginId: 'jpki-admin', totpSecret: created.totpSecret };
    // The municipality starts with current CRLs that revoke nothing.
    const token = await adminToken();
    for (const crl of await publishCrls()) await uploadCrl(token, crl.der.toString('base64')).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    if (trustDir) rmSync(trustDir, { recursive: true, force: true });
  });
  // All requests come from one IP: a fresh minute per test keeps the
  // per-IP login limit counting only the test's own attempts.
  beforeEach(() => t.clock.advance(MINUTE));

  // --- helpers -------------------------------------------------------------

  /** Fresh CRLs of the intermediate (revoking `revoked`) and of the root, current for a month. */
  async function publishCrls(): Promise<Array<RevocationList & { der: Buffer }>> {
    const now = t.clock.now();
    crlNumber += 1;
    const window = { now, thisUpdate: new Date(now.getTime() - 1000), nextUpdate: new Date(now.getTime() + 30 * DAY), crlNumber };
    const lists = [await issueTestCrl(pki.intermediate!, { ...window, revoked }), await issueTestCrl(pki.root, window)];
    return lists.map((list) => ({ ...list, der: Buffer.from(list.der) }));
  }

  function crlPem(der: Buffer): string {
    return `-----BEGIN X509 CRL-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END X509 CRL-----\n`;
  }

  async function adminToken(): Promise<string> {
    const response = await request(server)
      .post('/api/v1/auth/staff/login')
      .send({ loginId: admin.loginId, password: PASSWORD, totpCode: totpCode(admin.totpSecret, t.clock.now()) })
      .expect(200);
    return response.body.accessToken as string;
  }

  function uploadCrl(token: string, crl: string): request.Test {
    return request(server).post('/api/v1/admin/jpki/crls').auth(token, { type: 'bearer' }).send({ crl });
  }

  async function clerkToken(loginId: string, departments: string[]): Promise<string> {
    const staff = t.get(StaffAdminService);
    const existing: unknown[] = await t.dataSource.query(`SELECT 1 FROM staff WHERE municipality_id = $1 AND login_id = $2`, [SAMPLE_MUNICIPALITY, loginId]);
    if (existing.length === 0) {
      await staff.create(asMunicipalityId(SAMPLE_MUNICIPALITY), 'test-setup', {
        loginId,
        password: PASSWORD,
        displayName: loginId,
        roles: ['clerk'],
        approvalLevel: null,
        departments,
        active: true,
      });
    }
    const response = await request(server).post('/api/v1/auth/staff/login').send({ loginId, password: PASSWORD }).expect(200);
    return response.body.accessToken as string;
  }

  async function issueNonce(municipalityId = SAMPLE_MUNICIPALITY): Promise<string> {
    const response = await request(server).post('/api/v1/auth/jpki/nonce').set('X-Municipality-Id', municipalityId).expect(200);
    return response.body.nonce as string;
  }

  function login(body: Record<string, unknown>, municipalityId = SAMPLE_MUNICIPALITY): request.Test {
    return request(server).post('/api/v1/auth/jpki/login').set('X-Municipality-Id', municipalityId).send(body);
  }

  /** What a card reader app does: fetch a nonce, sign it on the card, send it with the chain. */
  async function cardLogin(
    withCard: TestCard,
    options: { kind?: 'authentication' | 'signing'; municipalityId?: string } = {},
  ): Promise<request.Response> {
    const kind = options.kind ?? 'authentication';
    const nonce = await issueNonce(options.municipalityId);
    return login({ nonce, signature: signWithCard(withCard, kind, nonce), certificateChain: cardChain(withCard, kind) }, options.municipalityId);
  }

  /** A card login that must succeed. */
  async function signIn(withCard: TestCard, municipalityId = SAMPLE_MUNICIPALITY): Promise<{ accessToken: string }> {
    const response = await cardLogin(withCard, { municipalityId });
    if (response.status !== 200) throw new Error(`card login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { accessToken: string };
  }

  async function residentToken(withCard = card): Promise<string> {
    return (await signIn(withCard)).accessToken;
  }

  const me = (token: string) => request(server).get('/api/v1/auth/me').auth(token, { type: 'bearer' });

  async function counts(): Promise<{ residents: number; sessions: number }> {
    const [row] = await t.dataSource.query(`SELECT (SELECT count(*) FROM residents)::int AS residents, (SELECT count(*) FROM sessions)::int AS sessions`);
    return row;
  }

  /** Runs `refuse` and checks that no resident was created and nobody signed in. */
  async function refusesWithoutEffect(refuse: () => Promise<void>): Promise<void> {
    const before = await counts();
    await refuse();
    expect(await counts()).toEqual(before);
  }

  // Applications

  const asResident = (token: string) => ({
    create: (formData: Record<string, unknown> = JUMINHYO_FORM) =>
      request(server).post('/api/v1/applications').auth(token, { type: 'bearer' }).send({ procedureCode: 'juminhyo', formData }),
    signingContent: (id: string) => request(server).get(`/api/v1/applications/${id}/signing-content`).auth(token, { type: 'bearer' }),
    sign: (id: string, body: { signature: string; certificate: string; intermediates?: string[] }) =>
      request(server).post(`/api/v1/applications/${id}/signature`).auth(token, { type: 'bearer' }).send(body),
    updateForm: (id: string, formData: Record<string, unknown>, revision: number) =>
      request(server).put(`/api/v1/applications/${id}/form`).auth(token, { type: 'bearer' }).send({ formData, revision }),
    submit: (id: string) => request(server).post(`/api/v1/applications/${id}/submit`).auth(token, { type: 'bearer' }).send({}),
  });

  /** The signing certificate and the intermediate, as the client sends them. */
  function signingBody(withCard: TestCard, signature: string): { signature: string; certificate: string; intermediates: string[] } {
    const [certificate, ...intermediates] = cardChain(withCard, 'signing');
    return { signature, certificate, intermediates };
  }

  async function draft(token: string): Promise<{ id: string; revision: number }> {
    const response = await asResident(token).create().expect(201);
    return { id: response.body.id as string, revision: response.body.revision as number };
  }

  /** Fetches the content to sign, signs it with the card and posts the signature. */
  async function signDraft(token: string, id: string, withCard = card): Promise<{ contentHash: string }> {
    const { body } = await asResident(token).signingContent(id).expect(200);
    const signed = await asResident(token).sign(id, signingBody(withCard, signContentWithCard(withCard, body.content))).expect(200);
    return { contentHash: signed.body.contentHash as string };
  }

  async function signatureRows(id: string): Promise<Array<{ content_hash: string; record: Record<string, any>; basic4: unknown; signed_at: Date }>> {
    return t.dataSource.query(
      `SELECT content_hash, record, basic4, signed_at FROM application_signatures WHERE municipality_id = $1 AND application_id = $2 ORDER BY signed_at`,
      [SAMPLE_MUNICIPALITY, id],
    );
  }

  async function signatureHash(id: string): Promise<string | null> {
    const [row] = await t.dataSource.query(`SELECT signature_hash FROM applications WHERE municipality_id = $1 AND id = $2`, [SAMPLE_MUNICIPALITY, id]);
    return row.signature_hash;
  }

  // --- card login -------------------------------------------------------------

  describe('card login', () => {
    it('issues a single-use nonce with a five-minute life, storing only its hash', async () => {
      const response = await request(server).post('/api/v1/auth/jpki/nonce').expect(200);
      expect(response.body).toEqual({
        nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        expiresAt: new Date(t.clock.now().getTime() + JPKI_NONCE_TTL_MS).toISOString(),
      });
      expect(JPKI_NONCE_TTL_MS).toBe(5 * MINUTE);
      const stored = await t.dataSource.query(`SELECT nonce_hash FROM jpki_nonces WHERE nonce_hash IN ($1, $2)`, [
        response.body.nonce,
        createHash('sha256').update(response.body.nonce).digest('hex'),
      ]);
      expect(stored).toEqual([{ nonce_hash: createHash('sha256').update(response.body.nonce).digest('hex') }]);
    });

    it('signs a resident in with the authentication certificate and links the account to the card', async () => {
      const before = await counts();
      const first = await cardLogin(card);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        accessToken: expect.stringMatching(/^990001\.[A-Za-z0-9_-]{43}$/),
        accessExpiresAt: expect.any(String),
        refreshToken: expect.stringMatching(/^990001\.[A-Za-z0-9_-]{43}$/),
        refreshExpiresAt: expect.any(String),
        csrfToken: null,
      });
      const profile = await me(first.body.accessToken).expect(200);
      expect(profile.body).toMatchObject({
        kind: 'resident',
        id: expect.any(String),
        municipalityId: SAMPLE_MUNICIPALITY,
        email: null,
        myNumberCardLinked: true,
      });

      const second = await signIn(card);
      expect(second.accessToken).not.toBe(first.body.accessToken);
      const again = await me(second.accessToken).expect(200);
      expect(again.body.id).toBe(profile.body.id);

      expect(await counts()).toEqual({ residents: before.residents + 1, sessions: before.sessions + 2 });
      const [resident] = await t.dataSource.query(`SELECT jpki_subject, email, password_hash FROM residents WHERE id = $1`, [profile.body.id]);
      // The link is the certificate's issuer and serial number: no 基本4情報.
      expect(resident).toEqual({ jpki_subject: `${pki.intermediate!.certificate.subject}|${card.authentication.serialNumber}`, email: null, password_hash: null });
    });

    it('refuses a replayed nonce', async () => {
      const nonce = await issueNonce();
      const body = { nonce, signature: signWithCard(card, 'authentication', nonce), certificateChain: cardChain(card, 'authentication') };
      await login(body).expect(200);
      await refusesWithoutEffect(async () => expectError(await login(body), 401, 'JPKI_NONCE_REPLAYED'));
    });

    it('refuses a nonce after its five minutes, and accepts one just before', async () => {
      const early = await issueNonce();
      const late = await issueNonce();
      t.clock.advance(JPKI_NONCE_TTL_MS - 1000);
      await login({ nonce: early, signature: signWithCard(card, 'authentication', early), certificateChain: cardChain(card, 'authentication') }).expect(200);
      t.clock.advance(1000);
      await refusesWithoutEffect(async () =>
        expectError(
          await login({ nonce: late, signature: signWithCard(card, 'authentication', late), certificateChain: cardChain(card, 'authentication') }),
          401,
          'JPKI_NONCE_EXPIRED',
        ),
      );
    });

    it('refuses a nonce the server never issued, or issued for another municipality', async () => {
      const invented = randomBytes(32).toString('base64url');
      const elsewhere = await issueNonce(OTHER_MUNICIPALITY);
      await refusesWithoutEffect(async () => {
        for (const nonce of [invented, elsewhere]) {
          const response = await login({ nonce, signature: signWithCard(card, 'authentication', nonce), certificateChain: cardChain(card, 'authentication') });
          expectError(response, 401, 'JPKI_NONCE_EXPIRED');
        }
      });
    });

    it('refuses a signature that is not over the nonce or not by the card key, and burns the nonce', async () => {
      const stranger = await pki.issueCard();
      await refusesWithoutEffect(async () => {
        const nonce = await issueNonce();
        const overOther = { nonce, signature: signWithCard(card, 'authentication', `${nonce}x`), certificateChain: cardChain(card, 'authentication') };
        expectError(await login(overOther), 401, 'JPKI_SIGNATURE_INVALID');
        // A failed attempt still used the nonce up.
        expectError(await login({ ...overOther, signature: signWithCard(card, 'authentication', nonce) }), 401, 'JPKI_NONCE_REPLAYED');

        const second = await issueNonce();
        const byOtherKey = { nonce: second, signature: signWithCard(stranger, 'authentication', second), certificateChain: cardChain(card, 'authentication') };
        expectError(await login(byOtherKey), 401, 'JPKI_SIGNATURE_INVALID');
      });
    });

    it('refuses a certificate revoked by a CRL an administrator uploads', async () => {
      const soonRevoked = await pki.issueCard({ keys: card.keys });
      await signIn(soonRevoked);

      revoked.push(soonRevoked.authentication.serialNumber);
      const [intermediateCrl, rootCrl] = await publishCrls();
      const token = await adminToken();
      const uploaded = await uploadCrl(token, crlPem(intermediateCrl.der)).expect(200);
      expect(uploaded.body).toEqual({
        issuer: pki.intermediate!.certificate.subject,
        thisUpdate: new Date(t.clock.now().getTime() - 1000).toISOString(),
        nextUpdate: new Date(t.clock.now().getTime() + 30 * DAY).toISOString(),
        added: true,
      });
      expect((await uploadCrl(token, intermediateCrl.der.toString('base64')).expect(200)).body.added).toBe(false);
      await uploadCrl(token, rootCrl.der.toString('base64')).expect(200);

      await refusesWithoutEffect(async () => expectError(await cardLogin(soonRevoked), 401, 'JPKI_CERTIFICATE_REVOKED'));
      await signIn(card);
    });

    it('refuses a certificate revoked by a CRL file the worker loads from the trust folder', async () => {
      const soonRevoked = await pki.issueCard({ keys: card.keys });
      await signIn(soonRevoked);

      revoked.push(soonRevoked.authentication.serialNumber);
      const [intermediateCrl, rootCrl] = await publishCrls();
      writeFileSync(path.join(trustDir, `issuing-${crlNumber}.crl`), crlPem(intermediateCrl.der));
      writeFileSync(path.join(trustDir, `root-${crlNumber}.crl`), rootCrl.der);
      const trust = t.get(JpkiTrustStore);
      expect(await trust.refreshFromFolder([asMunicipalityId(SAMPLE_MUNICIPALITY)])).toBe(2);
      expect(await trust.refreshFromFolder([asMunicipalityId(SAMPLE_MUNICIPALITY)])).toBe(0);

      await refusesWithoutEffect(async () => expectError(await cardLogin(soonRevoked), 401, 'JPKI_CERTIFICATE_REVOKED'));
      await signIn(card);
    });

    it('refuses an expired certificate', async () => {
      const now = t.clock.now().getTime();
      const expired = await pki.issueCard({ keys: card.keys, authentication: { notBefore: new Date(now - 5 * 365 * DAY), notAfter: new Date(now - HOUR) } });
      await refusesWithoutEffect(async () => expectError(await cardLogin(expired), 401, 'JPKI_CERTIFICATE_EXPIRED'));
    });

    it('refuses a certificate from another CA', async () => {
      const otherCa = await createTestCa({ now: DEFAULT_TEST_NOW, name: ANOTHER_CA_NAME });
      const foreign = await issueTestCard(otherCa, { now: DEFAULT_TEST_NOW, keys: card.keys });
      await refusesWithoutEffect(async () => {
        expectError(await cardLogin(foreign), 401, 'JPKI_UNTRUSTED_ISSUER');
        // Sending the other CA along does not make it trusted.
        const nonce = await issueNonce();
        const withItsCa = { nonce, signature: signWithCard(foreign, 'authentication', nonce), certificateChain: [foreign.authentication.pem, otherCa.pem] };
        expectError(await login(withItsCa), 401, 'JPKI_UNTRUSTED_ISSUER');
      });
    });

    it('refuses the signing certificate for login', async () => {
      await refusesWithoutEffect(async () => expectError(await cardLogin(card, { kind: 'signing' }), 401, 'JPKI_WRONG_CERTIFICATE_KIND'));
    });

    it('refuses while no current CRL is loaded, and signs in once the worker has loaded one', async () => {
      // The other municipality has never loaded a CRL.
      await refusesWithoutEffect(async () => expectError(await cardLogin(card, { municipalityId: OTHER_MUNICIPALITY }), 503, 'JPKI_CRL_UNAVAILABLE'));

      await t.get(JpkiTrustStore).refreshFromFolder([asMunicipalityId(OTHER_MUNICIPALITY)]);
      expect((await signIn(card, OTHER_MUNICIPALITY)).accessToken).toMatch(/^990002\./);

      // CRLs past their nextUpdate are not current either.
      t.clock.advance(31 * DAY);
      await refusesWithoutEffect(async () => expectError(await cardLogin(card), 503, 'JPKI_CRL_UNAVAILABLE'));
      t.clock.advance(-31 * DAY);
    });

    it('keeps checking the root CA\'s CRL however many CRLs the issuing CA has published since', async () => {
      // The issuing CA publishes daily and the worker loads each; the root's CRL is rarely reissued.
      t.clock.advance(10 * MINUTE);
      const trust = t.get(JpkiTrustStore);
      const now = t.clock.now().getTime();
      for (let index = 60; index >= 1; index -= 1) {
        crlNumber += 1;
        const crl = await issueTestCrl(pki.intermediate!, {
          now: t.clock.now(),
          revoked,
          thisUpdate: new Date(now - index * 1000),
          nextUpdate: new Date(now + 30 * DAY),
          crlNumber,
        });
        expect((await trust.load(asMunicipalityId(SAMPLE_MUNICIPALITY), Buffer.from(crl.der))).added).toBe(true);
      }
      await signIn(card);
    });

    it('refuses malformed input with 400 before spending the nonce or creating an account', async () => {
      const chain = cardChain(card, 'authentication');
      await refusesWithoutEffect(async () => {
        const nonce = await issueNonce();
        const shapes: Array<Record<string, unknown>> = [
          {},
          { signature: 'AAAA', certificateChain: chain },
          { nonce, certificateChain: chain },
          { nonce, signature: 'AAAA' },
          { nonce, signature: 'AAAA', certificateChain: chain.join('') },
          { nonce, signature: 'AAAA', certificateChain: [42] },
          { nonce, signature: 'AAAA', certificateChain: chain, transport: 'carrier-pigeon' },
        ];
        for (const body of shapes) {
          const response = await login(body);
          expect({ body, code: response.body.code }).toEqual({ body, code: 'VALIDATION_FAILED' });
          expect(response.status).toBe(400);
        }
        // The nonce was not spent by any of them.
        const unused = await t.dataSource.query(`SELECT used_at FROM jpki_nonces WHERE nonce_hash = $1`, [createHash('sha256').update(nonce).digest('hex')]);
        expect(unused).toEqual([{ used_at: null }]);

        const certificates: unknown[] = [[], ['not a certificate'], [`-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----`]];
        for (const certificateChain of certificates) {
          const fresh = await issueNonce();
          const response = await login({ nonce: fresh, signature: signWithCard(card, 'authentication', fresh), certificateChain });
          expect({ certificateChain, code: response.body.code }).toEqual({ certificateChain, code: 'JPKI_MALFORMED' });
          expect(response.status).toBe(400);
        }
      });

      // A card never seen before, with one field too many: no account is created for it.
      const newcomer = await pki.issueCard({ keys: card.keys });
      await refusesWithoutEffect(async () => {
        const nonce = await issueNonce();
        const body = { nonce, signature: signWithCard(newcomer, 'authentication', nonce), certificateChain: cardChain(newcomer, 'authentication') };
        expectError(await login({ ...body, extra: true }), 400, 'VALIDATION_FAILED');
      });
    });
  });

  // --- signing an application ----------------------------------------------------

  describe('signing an application', () => {
    let signedId: string;
    let signedHash: string;

    it('needs a signature over the exact content before submission, and binds the 基本4情報', async () => {
      const token = await residentToken();
      const resident = asResident(token);
      const { id } = await draft(token);
      expectError(await resident.submit(id), 422, 'APPLICATION_SIGNATURE_REQUIRED');

      const { body: toSign } = await resident.signingContent(id).expect(200);
      expect(toSign.content).toEqual({
        municipalityId: SAMPLE_MUNICIPALITY,
        applicationId: id,
        procedureCode: 'juminhyo',
        procedureVersion: 1,
        formData: JUMINHYO_FORM,
      });
      expect(toSign.contentHash).toBe(canonicalContentHash(toSign.content));
      expect(toSign.contentHash).toMatch(/^[0-9a-f]{64}$/);

      const signed = await resident.sign(id, signingBody(card, signContentWithCard(card, toSign.content))).expect(200);
      expect(signed.body).toEqual({ contentHash: toSign.contentHash, basic4: DEFAULT_BASIC4 });

      // The stored evidence: the record, the 基本4情報 and the hash on the application.
      const [row, ...more] = await signatureRows(id);
      expect(more).toHaveLength(0);
      expect(row.content_hash).toBe(toSign.contentHash);
      expect(row.basic4).toEqual(DEFAULT_BASIC4);
      expect(row.signed_at).toEqual(t.clock.now());
      expect(row.record).toMatchObject({
        version: 1,
        kind: 'signing',
        signatureAlgorithm: 'RSASSA-PKCS1-v1_5/SHA-256',
        contentHash: toSign.contentHash,
        signature: expect.any(String),
        certificateChain: [card.signing.der.toString('base64'), pki.intermediate!.der.toString('base64'), pki.root.der.toString('base64')],
        verifiedAt: t.clock.now().toISOString(),
        result: { valid: true, serialNumber: card.signing.serialNumber, issuer: pki.intermediate!.certificate.subject, basic4: DEFAULT_BASIC4 },
      });
      expect(row.record.revocation.map((check: { serialNumber: string }) => check.serialNumber)).toEqual([card.signing.serialNumber, pki.intermediate!.certificate.serialNumber.toUpperCase()]);
      expect(await signatureHash(id)).toBe(toSign.contentHash);

      const submitted = await resident.submit(id).expect(200);
      expect(submitted.body).toMatchObject({ id, state: 'awaitingPayment', referenceNumber: expect.any(String), fee: 300 });
      expect(submitted.body.referenceNumber.length).toBeGreaterThan(0);
      signedId = id;
      signedHash = toSign.contentHash;
    });

    it('refuses submission after the form changed until the new content is signed', async () => {
      const token = await residentToken();
      const resident = asResident(token);
      const { id, revision } = await draft(token);
      const first = await signDraft(token, id);
      const { body: oldContent } = await resident.signingContent(id).expect(200);

      await resident.updateForm(id, { ...JUMINHYO_FORM, copies: 2 }, revision).expect(200);
      expectError(await resident.submit(id), 422, 'APPLICATION_SIGNATURE_REQUIRED');
      // The old signature does not cover the new content.
      expectError(await resident.sign(id, signingBody(card, signContentWithCard(card, oldContent.content))), 422, 'JPKI_SIGNATURE_INVALID');
      expect(await signatureHash(id)).toBe(first.contentHash);

      const second = await signDraft(token, id);
      expect(second.contentHash).not.toBe(first.contentHash);
      expect(await signatureHash(id)).toBe(second.contentHash);
      expect((await signatureRows(id)).map((row) => row.content_hash).sort()).toEqual([first.contentHash, second.contentHash].sort());
      const submitted = await resident.submit(id).expect(200);
      expect(submitted.body).toMatchObject({ state: 'awaitingPayment', fee: 600 });
    });

    it('refuses a signature over other content, the authentication certificate and a revoked signing certificate, storing nothing', async () => {
      const token = await residentToken();
      const resident = asResident(token);
      const { id } = await draft(token);
      const { body: toSign } = await resident.signingContent(id).expect(200);

      const otherContent = { ...toSign.content, formData: { ...JUMINHYO_FORM, copies: 3 } };
      expectError(await resident.sign(id, signingBody(card, signContentWithCard(card, otherContent))), 422, 'JPKI_SIGNATURE_INVALID');

      const [authenticationCertificate, ...intermediates] = cardChain(card, 'authentication');
      const byAuthenticationKey = signWithCard(card, 'authentication', JSON.stringify(toSign.content));
      expectError(
        await resident.sign(id, { signature: byAuthenticationKey, certificate: authenticationCertificate, intermediates }),
        422,
        'JPKI_WRONG_CERTIFICATE_KIND',
      );

      const lost = await pki.issueCard({ keys: card.keys });
      revoked.push(lost.signing.serialNumber);
      const adminBearer = await adminToken();
      for (const crl of await publishCrls()) await uploadCrl(adminBearer, crl.der.toString('base64')).expect(200);
      expectError(await resident.sign(id, signingBody(lost, signContentWithCard(lost, toSign.content))), 422, 'JPKI_CERTIFICATE_REVOKED');

      expect(await signatureRows(id)).toEqual([]);
      expect(await signatureHash(id)).toBeNull();
      expectError(await resident.submit(id), 422, 'APPLICATION_SIGNATURE_REQUIRED');

      // Once submitted, the application cannot be signed again.
      await signDraft(token, id);
      await resident.submit(id).expect(200);
      const stored = await signatureRows(id);
      expectError(await resident.sign(id, signingBody(card, signContentWithCard(card, toSign.content))), 409, 'APPLICATION_NOT_DRAFT');
      expect(await signatureRows(id)).toEqual(stored);
    });

    it('binds the signer of the last signature when the same content is signed again with another card', async () => {
      const token = await residentToken();
      const { id } = await draft(token);
      const spouse = await pki.issueCard({ keys: card.keys, basic4: { ...DEFAULT_BASIC4, name: '窓口 花子', sex: 'female' } });
      await signDraft(token, id, spouse);
      const { body: toSign } = await asResident(token).signingContent(id).expect(200);
      const again = await asResident(token).sign(id, signingBody(card, signContentWithCard(card, toSign.content))).expect(200);
      expect(again.body.basic4).toEqual(DEFAULT_BASIC4);

      // What the resident was told is what is stored and what staff will see.
      const rows = await signatureRows(id);
      expect(rows).toHaveLength(1);
      expect(rows[0].basic4).toEqual(DEFAULT_BASIC4);
      expect(rows[0].record.result.serialNumber).toBe(card.signing.serialNumber);
      await asResident(token).submit(id).expect(200);
      const clerk = await clerkToken('shimin-clerk', ['shimin']);
      const verified = await request(server).get(`/api/v1/staff/applications/${id}/signature`).auth(clerk, { type: 'bearer' }).expect(200);
      expect(verified.body.basic4).toEqual(DEFAULT_BASIC4);
    });

    describe('staff re-verification', () => {
      it('shows a clerk of the owning department a valid signature with the 基本4情報', async () => {
        const clerk = await clerkToken('shimin-clerk', ['shimin']);
        const response = await request(server).get(`/api/v1/staff/applications/${signedId}/signature`).auth(clerk, { type: 'bearer' }).expect(200);
        expect(response.body).toEqual({
          valid: true,
          verifiedAt: expect.any(String),
          contentHash: signedHash,
          certificate: expect.objectContaining({ serialNumber: card.signing.serialNumber, issuer: pki.intermediate!.certificate.subject }),
          basic4: DEFAULT_BASIC4,
        });
        const other = await clerkToken('zeimu-clerk', ['zeimu']);
        await request(server).get(`/api/v1/staff/applications/${signedId}/signature`).auth(other, { type: 'bearer' }).expect(404);
      });

      it('still verifies after the signing certificate has expired (long-term validation)', async () => {
        const signedAt = t.clock.now();
        const shortLived = await pki.issueCard({ keys: card.keys, signing: { notAfter: new Date(signedAt.getTime() + 2 * HOUR) } });
        const token = await residentToken();
        const { id } = await draft(token);
        const { contentHash } = await signDraft(token, id, shortLived);
        await asResident(token).submit(id).expect(200);

        t.clock.advance(3 * HOUR);
        // Signing anew with it is refused now...
        const fresh = await residentToken();
        const { id: later } = await draft(fresh);
        const { body: toSign } = await asResident(fresh).signingContent(later).expect(200);
        expectError(await asResident(fresh).sign(later, signingBody(shortLived, signContentWithCard(shortLived, toSign.content))), 422, 'JPKI_CERTIFICATE_EXPIRED');

        // ...but what was signed while it was valid still verifies, from the stored record.
        const clerk = await clerkToken('shimin-clerk', ['shimin']);
        const response = await request(server).get(`/api/v1/staff/applications/${id}/signature`).auth(clerk, { type: 'bearer' }).expect(200);
        expect(response.body).toMatchObject({
          valid: true,
          verifiedAt: signedAt.toISOString(),
          contentHash,
          certificate: { serialNumber: shortLived.signing.serialNumber, notAfter: shortLived.signing.certificate.notAfter.toISOString() },
          basic4: DEFAULT_BASIC4,
        });
        expect(new Date(response.body.certificate.notAfter).getTime()).toBeLessThan(t.clock.now().getTime());
      });

      it('fails once the stored content is tampered with', async () => {
        const clerk = await clerkToken('shimin-clerk', ['shimin']);
        await t.dataSource.query(`UPDATE applications SET form_data = form_data || '{"copies": 9}'::jsonb WHERE municipality_id = $1 AND id = $2`, [
          SAMPLE_MUNICIPALITY,
          signedId,
        ]);
        const response = await request(server).get(`/api/v1/staff/applications/${signedId}/signature`).auth(clerk, { type: 'bearer' });
        expectError(response, 422, 'JPKI_SIGNATURE_INVALID');
      });
    });
  });
});
