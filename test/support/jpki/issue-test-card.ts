/**
 * Issues a simulated My Number Card for trying the JPKI flows by hand.
 *
 *   npm run issue-test-card                          into .data/test-card/, for the sample registry's first person
 *   npm run issue-test-card -- --person P0006        another sample person (docs/sample-residents.md)
 *   npm run issue-test-card -- /tmp/card --name '窓口 花子' --sex female   any 基本4情報 (matches nobody: a stand-in)
 *   npm run issue-test-card -- --revoke 1A2B...      put a serial on the CRL
 *   npm run issue-test-card -- --crl-only            refresh the CRL only
 *
 * The directory keeps the CA (ca.pem, ca-key.pem) across runs, so the trust
 * anchor stays configured while you issue more cards; --new-ca starts over.
 * Writes:
 *   ca.pem                    the trust anchor (CA certificate)
 *   ca-key.pem                the CA's private key (test only: it mints cards)
 *   crl.der, crl.pem          the CA's CRL, listing the serials in revoked.txt
 *   card/authentication.pem   利用者証明用 certificate  + authentication-key.pem
 *   card/signing.pem          署名用 certificate (with the 基本4情報) + signing-key.pem
 *   card/card.json            card id, 基本4情報, serial numbers, validity
 * Everything here is fictitious and for tests only.
 */
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Basic4 } from '@madoguchi/identity/jpki';
import {
  createTestCa,
  DEFAULT_BASIC4,
  importTestKeyPair,
  issueTestCard,
  issueTestCrl,
  privateKeyPem,
  TEST_ROOT_CA_NAME,
  type TestCa,
} from './test-pki';
import { samplePersonBasic4 } from './sample-card-person';

const DAY = 24 * 60 * 60 * 1000;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      person: { type: 'string' },
      municipality: { type: 'string', default: '990001' },
      registry: { type: 'string', default: 'config/registry' },
      name: { type: 'string' },
      address: { type: 'string' },
      'date-of-birth': { type: 'string' },
      sex: { type: 'string' },
      'new-ca': { type: 'boolean', default: false },
      'crl-only': { type: 'boolean', default: false },
      'crl-days': { type: 'string', default: '30' },
      revoke: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage());
    return;
  }
  const dir = path.resolve(positionals[0] ?? '.data/test-card');
  // By default the card is a person of the sample registry, so documents signed with it
  // print that person (not a stand-in); given fields override the person's.
  const typed = values.name !== undefined || values['date-of-birth'] !== undefined;
  const fromRegistry = typed && !values.person ? null : samplePersonBasic4(path.resolve(values.registry), values.municipality, values.person);
  const base = fromRegistry?.basic4 ?? DEFAULT_BASIC4;
  const sex = values.sex ?? base.sex;
  const dateOfBirth = values['date-of-birth'] ?? base.dateOfBirth;
  if (sex !== 'male' && sex !== 'female') throw new Error('--sex must be male or female');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) throw new Error('--date-of-birth must be YYYY-MM-DD');
  const crlDays = Number(values['crl-days']);
  if (!Number.isInteger(crlDays) || crlDays < 1) throw new Error('--crl-days must be a whole number of days');
  const basic4: Basic4 = { name: values.name ?? base.name, address: values.address ?? base.address, dateOfBirth, sex };

  // A tool run by hand: it issues for the real present.
  const now = new Date();
  mkdirSync(path.join(dir, 'card'), { recursive: true });
  const ca = await loadOrCreateCa(dir, now, values['new-ca']);

  const revokedFile = path.join(dir, 'revoked.txt');
  const revoked = new Set(
    (existsSync(revokedFile) && !values['new-ca'] ? readFileSync(revokedFile, 'utf8') : '')
      .split('\n')
      .map((line) => line.trim().toUpperCase())
      .filter(Boolean),
  );
  for (const serial of values.revoke) {
    if (!/^[0-9A-Fa-f]+$/.test(serial)) throw new Error(`--revoke wants a hex serial number, not ${serial}`);
    revoked.add(serial.toUpperCase());
  }
  writeFileSync(revokedFile, [...revoked].map((serial) => `${serial}\n`).join(''));

  if (!values['crl-only']) {
    const card = await issueTestCard(ca, { now, basic4 });
    const out = (name: string, text: string) =>
      writeFileSync(path.join(dir, 'card', name), text, name.endsWith('-key.pem') ? { mode: 0o600 } : {});
    out('authentication.pem', card.authentication.pem);
    out('authentication-key.pem', privateKeyPem(card.keys.authentication));
    out('signing.pem', card.signing.pem);
    out('signing-key.pem', privateKeyPem(card.keys.signing));
    out(
      'card.json',
      `${JSON.stringify(
        {
          cardId: card.cardId,
          samplePerson: fromRegistry?.personId ?? null,
          basic4: card.basic4,
          authentication: { serialNumber: card.authentication.serialNumber, notAfter: card.authentication.certificate.notAfter },
          signing: { serialNumber: card.signing.serialNumber, notAfter: card.signing.certificate.notAfter },
          issuer: ca.name,
        },
        null,
        2,
      )}\n`,
    );
  }

  // A CRL running from an hour ago gives a little slack for clock skew between this machine and the server.
  const crl = await issueTestCrl(ca, {
    now,
    revoked: [...revoked],
    thisUpdate: new Date(now.getTime() - 60 * 60 * 1000),
    nextUpdate: new Date(now.getTime() + crlDays * DAY),
    crlNumber: Math.floor(now.getTime() / 1000),
  });
  writeFileSync(path.join(dir, 'crl.der'), crl.der);
  writeFileSync(path.join(dir, 'crl.pem'), toPem('X509 CRL', Buffer.from(crl.der)));

  const fromHere = path.relative(process.cwd(), dir);
  const relative = fromHere === '' ? '.' : fromHere.startsWith('..') ? dir : fromHere;
  process.stdout.write(
    [
      `Simulated My Number Card written to ${relative}/ (fictitious; for tests only)`,
      '',
      values['crl-only'] ? '  (no new card: CRL refreshed only)' : `  card/          authentication.pem, signing.pem and their -key.pem; card.json`,
      `  ca.pem         trust anchor "${ca.name}"`,
      `  crl.der        CRL, valid for ${crlDays} days, revoking ${revoked.size} serial(s)`,
      '',
      'Use it:',
      `  1. Trust the CA: copy ${relative}/ca.pem into the JPKI trust directory`,
      '     (JPKI_TRUST_DIR, default config/jpki/) and restart the service.',
      `  2. Load the CRL ${relative}/crl.der as the municipality's CRL for that CA.`,
      '  3. Log in: get a nonce from the server, then',
      `       npm run sign-with-test-card -- nonce '<nonce>' --card ${relative}`,
      '     and send the printed certificateChain and signature back.',
      '  4. Sign an application: put the exact content to submit in a JSON file, then',
      `       npm run sign-with-test-card -- content content.json --card ${relative}`,
      '',
      `Revoke this card: npm run issue-test-card -- ${relative} --crl-only --revoke <serial from card/card.json>`,
      '',
    ].join('\n'),
  );
}

async function loadOrCreateCa(dir: string, now: Date, fresh: boolean): Promise<TestCa> {
  const certificateFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca-key.pem');
  if (!fresh && existsSync(certificateFile) && existsSync(keyFile)) {
    const pem = readFileSync(certificateFile, 'utf8');
    const keys = await importTestKeyPair(readFileSync(keyFile, 'utf8'), pem);
    const certificate = new X509Certificate(pem);
    return { name: certificate.subject, certificate, pem: certificate.toString('pem'), der: Buffer.from(certificate.rawData), keys, parent: null };
  }
  const ca = await createTestCa({ now, name: TEST_ROOT_CA_NAME });
  writeFileSync(certificateFile, ca.pem);
  writeFileSync(keyFile, privateKeyPem(ca.keys), { mode: 0o600 });
  return ca;
}

function toPem(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function usage(): string {
  return [
    'npm run issue-test-card -- [dir] [options]     (dir defaults to .data/test-card)',
    '  --person ID        a person of the sample registry (default: its first, P0001; see docs/sample-residents.md)',
    '  --municipality ID  --registry DIR   which sample registry (default 990001, config/registry)',
    '  --name TEXT  --address TEXT  --date-of-birth YYYY-MM-DD  --sex male|female   other 基本4情報 (match nobody)',
    '  --new-ca           replace the CA kept in dir (re-configure the trust anchor)',
    '  --crl-only         refresh the CRL, issue no card',
    '  --crl-days N       CRL validity (default 30)',
    '  --revoke SERIAL    add a certificate serial (hex) to the CRL; repeatable',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`issue-test-card: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
