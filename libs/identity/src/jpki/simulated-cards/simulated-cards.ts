/**
 * A software stand-in for the national JPKI: a root CA ("Simulated JPKI CA
 * for tests"), optionally an issuing intermediate, "cards" holding an
 * authentication and a signing certificate with RSA 2048 keys, CRLs, and a
 * second, unrelated CA. Certificates follow the profile the verifier checks
 * (../jpki.profile.ts): the kind as a certificate policy,
 * the 基本4情報 as subjectAltName otherName entries. Options bend each rule
 * so tests can see every refusal.
 *
 * Nothing here reads the clock unless told to: every date derives from the
 * `now` given (tests use a fixed one).
 *
 * RSA 2048 key generation takes 100-300 ms: create a CA once per test file
 * and pass `keys` to reuse a card's keys for its variants.
 */
import 'reflect-metadata';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
  X509CrlGenerator,
  X509CrlReason,
} from '@peculiar/x509';
import { constants, createPrivateKey, KeyObject, randomBytes, sign, webcrypto } from 'node:crypto';
import {
  contentSigningBytes,
  JPKI_BASIC4_OIDS,
  JPKI_POLICY_OIDS,
  type Basic4,
  type JpkiCertificateKind,
  type RevocationList,
  type TrustAnchors,
} from '../index';
import { concatBytes, DerTag, encodeOid, encodeTlv, encodeUnsignedInteger, encodeUtf8String } from '../der';

const RSA_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;
const SIGNING_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

export const TEST_ROOT_CA_NAME = 'CN=Simulated JPKI CA for tests, O=Madoguchi, C=JP';
export const TEST_INTERMEDIATE_CA_NAME = 'CN=Simulated JPKI issuing CA for tests, O=Madoguchi, C=JP';
export const ANOTHER_CA_NAME = 'CN=Some other CA, O=Elsewhere, C=JP';

/** Fictitious 基本4情報 used unless a test gives its own. */
export const DEFAULT_BASIC4: Basic4 = {
  name: '窓口 太郎',
  address: '桜ヶ丘市中央1-1-1',
  dateOfBirth: '1980-04-01',
  sex: 'male',
};

export interface TestKeyPair {
  readonly cryptoKeys: webcrypto.CryptoKeyPair;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export async function generateTestKeyPair(): Promise<TestKeyPair> {
  const cryptoKeys = (await webcrypto.subtle.generateKey(RSA_ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return fromCryptoKeys(cryptoKeys);
}

function fromCryptoKeys(cryptoKeys: webcrypto.CryptoKeyPair): TestKeyPair {
  return {
    cryptoKeys,
    privateKey: KeyObject.from(cryptoKeys.privateKey ),
    publicKey: KeyObject.from(cryptoKeys.publicKey ),
  };
}

/** Imports a private key PEM written by `privateKeyPem` and its certificate, e.g. a CA kept on disk. */
export async function importTestKeyPair(keyPem: string, certificatePem: string): Promise<TestKeyPair> {
  const pkcs8 = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  const cryptoPrivate = await webcrypto.subtle.importKey('pkcs8', pkcs8, SIGNING_ALGORITHM, true, ['sign']);
  const cryptoPublic = await new X509Certificate(certificatePem).publicKey.export(SIGNING_ALGORITHM, ['verify']);
  return fromCryptoKeys({ privateKey: cryptoPrivate, publicKey: cryptoPublic } as webcrypto.CryptoKeyPair);
}

export function privateKeyPem(keys: TestKeyPair): string {
  return keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export interface TestCa {
  readonly name: string;
  readonly certificate: X509Certificate;
  readonly pem: string;
  readonly der: Buffer;
  readonly keys: TestKeyPair;
  /** The CA that issued this one; null for a root. */
  readonly parent: TestCa | null;
}

export interface CreateCaOptions {
  readonly now: Date;
  readonly name?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly keys?: TestKeyPair;
  readonly pathLength?: number;
  /** Issue it as if it were not a CA (basicConstraints cA false), to test the refusal. */
  readonly notCa?: boolean;
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex').toUpperCase();
}

function caExtensions(options: CreateCaOptions): Extension[] {
  return [
    new BasicConstraintsExtension(!options.notCa, options.notCa ? undefined : options.pathLength, true),
    new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
  ];
}

function asTestCa(certificate: X509Certificate, keys: TestKeyPair, parent: TestCa | null): TestCa {
  return {
    name: certificate.subject,
    certificate,
    pem: certificate.toString('pem'),
    der: Buffer.from(certificate.rawData),
    keys,
    parent,
  };
}

/** A self-signed root CA. */
export async function createTestCa(options: CreateCaOptions): Promise<TestCa> {
  const keys = options.keys ?? (await generateTestKeyPair());
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: options.name ?? TEST_ROOT_CA_NAME,
    notBefore: options.notBefore ?? new Date(options.now.getTime() - DAY),
    notAfter: options.notAfter ?? new Date(options.now.getTime() + 20 * 365 * DAY),
    keys: keys.cryptoKeys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [...caExtensions(options), await SubjectKeyIdentifierExtension.create(keys.cryptoKeys.publicKey)],
  });
  return asTestCa(certificate, keys, null);
}

/** A CA certificate issued by `parent` (the national CA's issuing CA, say). */
export async function createIntermediateCa(parent: TestCa, options: CreateCaOptions): Promise<TestCa> {
  const keys = options.keys ?? (await generateTestKeyPair());
  const certificate = await X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: options.name ?? TEST_INTERMEDIATE_CA_NAME,
    issuer: parent.certificate.subjectName,
    notBefore: options.notBefore ?? new Date(options.now.getTime() - DAY),
    notAfter: options.notAfter ?? new Date(options.now.getTime() + 10 * 365 * DAY),
    publicKey: keys.cryptoKeys.publicKey,
    signingKey: parent.keys.cryptoKeys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      ...caExtensions({ pathLength: 0, ...options }),
      await SubjectKeyIdentifierExtension.create(keys.cryptoKeys.publicKey),
      await AuthorityKeyIdentifierExtension.create(parent.keys.cryptoKeys.publicKey),
    ],
  });
  return asTestCa(certificate, keys, parent);
}

export type TestKeyUsage = keyof typeof KeyUsageFlags;

/** Per-certificate deviations from the profile, for refusal tests. */
export interface CardCertificateOptions {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Replaces the profile's key usages (authentication: digitalSignature; signing: + nonRepudiation). */
  readonly keyUsage?: readonly TestKeyUsage[];
  /** Replaces the policy OID that marks the kind. */
  readonly policies?: readonly string[];
  /** Signing certificate: the 基本4情報 to embed; null embeds none. Authentication: embeds them if given. */
  readonly basic4?: Basic4 | null;
  readonly serialNumber?: string;
  /** Marks the leaf as a CA (must be refused). */
  readonly ca?: boolean;
  readonly extraExtensions?: readonly Extension[];
}

export interface IssueCardOptions {
  readonly now: Date;
  readonly basic4?: Basic4;
  /** Shown in both subjects; random hex unless given. Not personal data, like the real card's. */
  readonly cardId?: string;
  readonly authentication?: CardCertificateOptions;
  readonly signing?: CardCertificateOptions;
  /** Reuse the keys of another card (fast variants of one card). */
  readonly keys?: TestCard['keys'];
}

export interface TestCardCertificate {
  readonly certificate: X509Certificate;
  readonly pem: string;
  readonly der: Buffer;
  /** Upper-case hex, as the verifier and the CRL report it. */
  readonly serialNumber: string;
}

export interface TestCard {
  readonly issuer: TestCa;
  readonly basic4: Basic4;
  readonly cardId: string;
  readonly authentication: TestCardCertificate;
  readonly signing: TestCardCertificate;
  readonly keys: { readonly authentication: TestKeyPair; readonly signing: TestKeyPair };
}

/** subjectAltName with one otherName (UTF8String) per item of the 基本4情報. */
export function basic4SubjectAltName(basic4: Basic4): Extension {
  const otherName = (oid: string, value: string): Uint8Array =>
    encodeTlv(DerTag.Context0, concatBytes([encodeOid(oid), encodeTlv(DerTag.Context0, encodeUtf8String(value))]));
  const names = encodeTlv(
    DerTag.Sequence,
    concatBytes([
      otherName(JPKI_BASIC4_OIDS.name, basic4.name),
      otherName(JPKI_BASIC4_OIDS.address, basic4.address),
      otherName(JPKI_BASIC4_OIDS.dateOfBirth, basic4.dateOfBirth),
      otherName(JPKI_BASIC4_OIDS.sex, basic4.sex),
    ]),
  );
  // Copied onto a plain ArrayBuffer: with the DOM lib in the program (preact's JSX types) Uint8Array<ArrayBufferLike> is not a BufferSource.
  return new Extension('2.5.29.17', false, new Uint8Array(names));
}

async function issueCardCertificate(
  issuer: TestCa,
  kind: JpkiCertificateKind,
  keys: TestKeyPair,
  card: { cardId: string; basic4: Basic4; now: Date },
  options: CardCertificateOptions,
): Promise<TestCardCertificate> {
  const usages = options.keyUsage ?? (kind === 'signing' ? ['digitalSignature', 'nonRepudiation'] : ['digitalSignature']);
  const extensions: Extension[] = [
    new BasicConstraintsExtension(options.ca ?? false, undefined, true),
    new KeyUsagesExtension(
      usages.reduce((flags, usage) => flags | KeyUsageFlags[usage], 0),
      true,
    ),
    new CertificatePolicyExtension([...(options.policies ?? [JPKI_POLICY_OIDS[kind]])], false),
    await SubjectKeyIdentifierExtension.create(keys.cryptoKeys.publicKey),
    await AuthorityKeyIdentifierExtension.create(issuer.keys.cryptoKeys.publicKey),
  ];
  const basic4 = options.basic4 === undefined ? (kind === 'signing' ? card.basic4 : null) : options.basic4;
  if (basic4) extensions.push(basic4SubjectAltName(basic4));
  extensions.push(...(options.extraExtensions ?? []));

  const certificate = await X509CertificateGenerator.create({
    serialNumber: options.serialNumber ?? randomSerial(),
    subject: `CN=${card.cardId}, OU=${kind === 'signing' ? 'Signing' : 'Authentication'}, O=Simulated JPKI card, C=JP`,
    issuer: issuer.certificate.subjectName,
    notBefore: options.notBefore ?? new Date(card.now.getTime() - DAY),
    notAfter: options.notAfter ?? new Date(card.now.getTime() + 5 * 365 * DAY),
    publicKey: keys.cryptoKeys.publicKey,
    signingKey: issuer.keys.cryptoKeys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions,
  });
  return {
    certificate,
    pem: certificate.toString('pem'),
    der: Buffer.from(certificate.rawData),
    serialNumber: certificate.serialNumber.toUpperCase(),
  };
}

/** A card: two key pairs and the authentication and signing certificates `issuer` issued for them. */
export async function issueTestCard(issuer: TestCa, options: IssueCardOptions): Promise<TestCard> {
  const keys = options.keys ?? { authentication: await generateTestKeyPair(), signing: await generateTestKeyPair() };
  const card = {
    cardId: options.cardId ?? randomBytes(8).toString('hex').toUpperCase(),
    basic4: options.basic4 ?? DEFAULT_BASIC4,
    now: options.now,
  };
  return {
    issuer,
    basic4: card.basic4,
    cardId: card.cardId,
    authentication: await issueCardCertificate(issuer, 'authentication', keys.authentication, card, options.authentication ?? {}),
    signing: await issueCardCertificate(issuer, 'signing', keys.signing, card, options.signing ?? {}),
    keys,
  };
}

/** The chain a client sends: the card certificate, then every CA below the root. */
export function cardChain(card: TestCard, kind: JpkiCertificateKind): string[] {
  const chain = [card[kind].pem];
  for (let ca: TestCa | null = card.issuer; ca?.parent; ca = ca.parent) chain.push(ca.pem);
  return chain;
}

/** What the card computes: RSASSA-PKCS1-v1_5 with SHA-256 over `bytes` (a string signs as UTF-8), base64. */
export function signWithCard(card: TestCard, kind: JpkiCertificateKind, bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return sign('sha256', data, { key: card.keys[kind].privateKey, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
}

/** The signing certificate's signature over an application's canonical content, base64. */
export function signContentWithCard(card: TestCard, content: unknown): string {
  return signWithCard(card, 'signing', contentSigningBytes(content));
}

export interface RevokedEntry {
  readonly serialNumber: string;
  readonly revokedAt?: Date;
  readonly reason?: X509CrlReason;
}

export interface IssueCrlOptions {
  readonly now: Date;
  readonly revoked?: readonly (string | RevokedEntry)[];
  /** Default: an hour before `now`. */
  readonly thisUpdate?: Date;
  /** Default: a day after `now`; null leaves it out. */
  readonly nextUpdate?: Date | null;
  readonly crlNumber?: number;
  /** Sign with other keys than the CA's (a forged CRL). */
  readonly signingKeys?: TestKeyPair;
}

/** A CRL of `ca`, as the worker would hand it to the verifier. */
export async function issueTestCrl(ca: TestCa, options: IssueCrlOptions): Promise<RevocationList> {
  const crlNumber = encodeUnsignedInteger(BigInt(options.crlNumber ?? 1));
  const crl = await X509CrlGenerator.create({
    issuer: ca.certificate.subjectName,
    thisUpdate: options.thisUpdate ?? new Date(options.now.getTime() - 60 * 60 * 1000),
    nextUpdate: options.nextUpdate === null ? undefined : (options.nextUpdate ?? new Date(options.now.getTime() + DAY)),
    signingAlgorithm: SIGNING_ALGORITHM,
    signingKey: (options.signingKeys ?? ca.keys).cryptoKeys.privateKey,
    extensions: [
      new Extension('2.5.29.20', false, new Uint8Array(crlNumber)),
      await AuthorityKeyIdentifierExtension.create(ca.keys.cryptoKeys.publicKey),
    ],
    entries: (options.revoked ?? []).map((entry) => {
      const { serialNumber, revokedAt, reason } = typeof entry === 'string' ? { serialNumber: entry } as RevokedEntry : entry;
      return {
        serialNumber,
        revocationDate: revokedAt ?? new Date(options.now.getTime() - 2 * 60 * 60 * 1000),
        reason: reason ?? X509CrlReason.keyCompromise,
      };
    }),
  });
  return { issuer: ca.certificate.subject, der: Buffer.from(crl.rawData) };
}

export interface TestPki {
  readonly now: Date;
  readonly root: TestCa;
  /** Present when created with `intermediate: true`; it then issues the cards. */
  readonly intermediate: TestCa | null;
  readonly issuingCa: TestCa;
  /** What a municipality configures: the root. */
  readonly anchors: TrustAnchors;
  issueCard(options?: Omit<IssueCardOptions, 'now'> & { now?: Date }): Promise<TestCard>;
  /** A current CRL for every CA of the hierarchy, revoking `revoked` at the issuing CA. */
  crls(options?: Omit<IssueCrlOptions, 'now'> & { now?: Date }): Promise<RevocationList[]>;
}

/** Root (and optional intermediate) with helpers bound to them; one per test file is plenty. */
export async function createTestPki(options: { now: Date; intermediate?: boolean; rootKeys?: TestKeyPair }): Promise<TestPki> {
  const { now } = options;
  const root = await createTestCa({ now, keys: options.rootKeys });
  const intermediate = options.intermediate ? await createIntermediateCa(root, { now }) : null;
  const issuingCa = intermediate ?? root;
  return {
    now,
    root,
    intermediate,
    issuingCa,
    anchors: [root.pem],
    issueCard: (cardOptions = {}) => issueTestCard(issuingCa, { ...cardOptions, now: cardOptions.now ?? now }),
    crls: async (crlOptions = {}) => {
      const at = crlOptions.now ?? now;
      const lists = [await issueTestCrl(issuingCa, { ...crlOptions, now: at })];
      if (intermediate) lists.push(await issueTestCrl(root, { now: at }));
      return lists;
    },
  };
}
