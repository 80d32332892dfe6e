import { JpkiTrustStore, SimulatedCardStore } from '@madoguchi/identity';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock } from '@madoguchi/kernel';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { cardChain, createTestCa, createTestPki, issueTestCrl, privateKeyPem, signWithCard, type TestCard, type TestPki } from '../support/jpki/test-pki';
import { createTestApp, DEFAULT_TEST_NOW, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * Issue 10 ("Trust"), JPKI_TRUST_DIR: the folder may hold only CA
 * certificates and CRLs (PEM or DER). Anything else refuses the start,
 * naming the file and the reason, instead of making every card sign-in a
 * 500. After the start the folder is read again on a schedule and on change:
 * a CRL dropped in is honoured without a restart, and a file that has gone
 * bad is logged and ignored, keeping the last good set.
 */

const DAY = 24 * 60 * 60_000;

describe('JPKI trust folder: checked at start, reloaded on change (real PostgreSQL)', () => {
  let t: TestApp;
  let server: Server;
  let pki: TestPki;
  let trustDir: string;
  let trust: JpkiTrustStore;
  let crlNumber = 0;
  const revoked: string[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    pki = await createTestPki({ now: DEFAULT_TEST_NOW });
    trustDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-trust-'));
    writeFileSync(path.join(trustDir, 'ca.pem'), pki.root.pem);
    writeFileSync(path.join(trustDir, 'README.md'), 'Not a trust file: left alone.\n');
    writeFileSync(path.join(trustDir, 'root-0.crl'), await crlBytes());
    const logStream = new PassThrough();
    let pending = '';
    logStream.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      logLines.push(...lines.filter(Boolean));
    });
    // A day between scheduled reloads: in this test only the watcher and explicit calls reload.
    t = await createTestApp({ env: { JPKI_TRUST_DIR: trustDir, JPKI_TRUST_RELOAD_SECONDS: '86400' }, logStream });
    server = t.app.getHttpServer();
    trust = t.get(JpkiTrustStore);
    await trust.reload();
  });
  afterAll(async () => {
    await t?.close();
    if (trustDir) rmSync(trustDir, { recursive: true, force: true });
  });

  /** A fresh CRL of the root (DER), revoking `revoked`; each newer than the last. */
  async function crlBytes(): Promise<Buffer> {
    crlNumber += 1;
    // Each a second newer than the last, all already current at the app's clock.
    const now = new Date(DEFAULT_TEST_NOW.getTime() - 60 * 60_000 + crlNumber * 1000);
    const list = await issueTestCrl(pki.root, { now, thisUpdate: new Date(now.getTime() - 1000), nextUpdate: new Date(now.getTime() + 30 * DAY), crlNumber, revoked });
    return Buffer.from(list.der);
  }

  async function cardLogin(card: TestCard): Promise<request.Response> {
    const nonce = (await request(server).post('/api/v1/auth/jpki/nonce').set('X-Municipality-Id', SAMPLE_MUNICIPALITY).expect(200)).body.nonce as string;
    return request(server)
      .post('/api/v1/auth/jpki/login')
      .set('X-Municipality-Id', SAMPLE_MUNICIPALITY)
      .send({ nonce, signature: signWithCard(card, 'authentication', nonce), certificateChain: cardChain(card, 'authentication') });
  }

  /** The start check of a store reading `files` (the app's own objects, another folder). */
  async function startWith(files: Record<string, string | Buffer>): Promise<() => void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'madoguchi-trust-bad-'));
    writeFileSync(path.join(dir, 'ca.pem'), pki.root.pem);
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const config: AppConfig = { ...t.app.get<AppConfig>(APP_CONFIG), jpkiTrustDir: dir };
    const store = new JpkiTrustStore(config, t.dataSource, t.app.get(Clock), t.directory, t.app.get(SimulatedCardStore));
    try {
      return () => store.onModuleInit();
    } finally {
      setImmediate(() => rmSync(dir, { recursive: true, force: true }));
    }
  }

  describe('at start', () => {
    it('starts with CA certificates and CRLs, PEM or DER, and leaves other file names alone', async () => {
      expect(trust.anchors()).toHaveLength(1);
      const check = await startWith({ 'root-ca.der': pki.root.der, 'root.crl': await crlBytes() });
      expect(check).not.toThrow();
    });

    it.each([
      ['a private key', 'signing-key.pem', () => privateKeyPem(pki.root.keys), /signing-key\.pem: a private key/],
      ['an end-entity certificate (PEM)', 'card.pem', async () => (await pki.issueCard()).authentication.pem, /card\.pem: an end-entity certificate/],
      ['an end-entity certificate (DER)', 'card.cer', async () => (await pki.issueCard()).authentication.der, /card\.cer: an end-entity certificate/],
      [
        'an expired CA certificate',
        'old-ca.crt',
        async () => (await createTestCa({ now: DEFAULT_TEST_NOW, name: 'CN=Old CA, C=JP', notBefore: new Date(DEFAULT_TEST_NOW.getTime() - 800 * DAY), notAfter: new Date(DEFAULT_TEST_NOW.getTime() - DAY) })).pem,
        /old-ca\.crt: an expired CA certificate/,
      ],
      ['garbage', 'garbage.crl', () => randomBytes(300), /garbage\.crl: neither a certificate nor a CRL/],
    ])('refuses to start with %s, naming the file and the reason', async (_kind, file, content, message) => {
      const check = await startWith({ [file]: await content() });
      expect(check).toThrow(/^JPKI_TRUST_DIR \(.*\) may hold only CA certificates and CRLs/);
      expect(check).toThrow(message);
    });
  });

  describe('after start', () => {
    it('honours a CRL written after start once the folder is reloaded, without a restart', async () => {
      const card = await pki.issueCard();
      expect((await cardLogin(card)).status).toBe(200);
      revoked.push(card.authentication.serialNumber);
      writeFileSync(path.join(trustDir, `root-${crlNumber + 1}.crl`), await crlBytes());
      const result = await trust.reload();
      expect(result).toMatchObject({ anchors: 1, crlsAdded: 2, problems: [] }); // the new CRL, for each of the two municipalities
      const refused = await cardLogin(card);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 401, code: 'JPKI_CERTIFICATE_REVOKED' });
    });

    it('reloads by itself when a file changes in the folder (fs.watch)', async () => {
      const card = await pki.issueCard();
      expect((await cardLogin(card)).status).toBe(200);
      trust.startWatching({ loadCrls: true });
      const reloaded = trust.nextReload();
      revoked.push(card.authentication.serialNumber);
      // Written aside and renamed in, as a deployment tool would: the watcher sees one complete file.
      const bytes = await crlBytes();
      writeFileSync(path.join(trustDir, 'incoming.tmp'), bytes);
      renameSync(path.join(trustDir, 'incoming.tmp'), path.join(trustDir, `root-${crlNumber}.crl`));
      expect(await reloaded).toMatchObject({ anchors: 1, crlsAdded: 2, problems: [] });
      const refused = await cardLogin(card);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 401, code: 'JPKI_CERTIFICATE_REVOKED' });
      trust.stopWatching();
    });

    it('ignores a bad file written after start, logging it, and keeps the last good set (even when the CA file itself goes bad)', async () => {
      const card = await pki.issueCard();
      writeFileSync(path.join(trustDir, 'garbage.pem'), 'this is not a certificate\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
      writeFileSync(path.join(trustDir, 'ca.pem'), randomBytes(200));
      const result = await trust.reload();
      expect(result.problems).toEqual([
        { file: 'ca.pem', reason: 'neither a certificate nor a CRL (PEM or DER)' },
        { file: 'garbage.pem', reason: 'a private key; keys never belong in the trust folder' },
      ]);
      expect(result.anchors).toBe(1);
      expect(trust.anchors()).toEqual([expect.stringContaining('-----BEGIN CERTIFICATE-----')]);
      expect((await cardLogin(card)).status).toBe(200);
      const warnings = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'JPKI trust folder file ignored');
      expect(warnings.map((entry) => entry.file).sort()).toEqual(['ca.pem', 'garbage.pem']);
      for (const entry of warnings) {
        expect(entry.level).toBe('warn');
        expect(JSON.stringify(entry)).not.toMatch(/stack|\n\s+at /);
      }
    });
  });
});
