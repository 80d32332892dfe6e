import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock } from '@madoguchi/kernel';
import { X509Certificate } from '@peculiar/x509';
import { constants, createPrivateKey, generateKeyPairSync, privateEncrypt, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Basic4, RevocationList } from '../jpki';
import {
  cardChain,
  createTestCa,
  importTestKeyPair,
  issueTestCard,
  issueTestCrl,
  privateKeyPem,
  signWithCard,
  type TestCa,
  type TestCard,
} from '../jpki/simulated-cards';

/** What the simulated national CA did with a card: the picker shows it so a tester can choose a refusal. */
export type SimulatedCardStatus = 'valid' | 'revoked' | 'untrustedCa';

export interface SimulatedCard {
  readonly id: string;
  readonly status: SimulatedCardStatus;
  readonly basic4: Basic4;
  readonly pin: string;
  readonly signingPassword: string;
  readonly card: TestCard;
}

interface StoredKeyPair {
  certificatePem: string;
  keyPem: string;
}

interface StoredState {
  version: 1;
  clientSecret: string;
  cookieKey: string;
  idTokenKeyPem: string;
  ca: StoredKeyPair;
  untrustedCa: StoredKeyPair;
  cards: Array<{
    id: string;
    status: SimulatedCardStatus;
    basic4: Basic4;
    pin: string;
    signingPassword: string;
    authentication: StoredKeyPair;
    signing: StoredKeyPair;
  }>;
}

export interface SimulatedState {
  readonly clientSecret: string;
  readonly cookieKey: string;
  readonly idTokenKey: KeyObject;
  readonly ca: TestCa;
  readonly cards: readonly SimulatedCard[];
}

/** The same for every test card, and shown on the picker page: these are not secrets. */
export const SIMULATED_CARD_PIN = '1234';
export const SIMULATED_CARD_SIGNING_PASSWORD = 'MADOGUCHI1';
const CARD_COUNT = 5;
const DAY = 24 * 60 * 60 * 1000;
/** DER prefix of DigestInfo for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

interface RegistryPerson {
  name: string;
  address: string;
  birthDate: string;
  sex: 'male' | 'female';
}

/** Adults of the sample resident registry (config/registry/*.yaml): the cards belong to people the registry knows. */
export function sampleRegistryAdults(configDir: string, at: Date): RegistryPerson[] {
  const directory = path.join(configDir, 'registry');
  const files = existsSync(directory) ? readdirSync(directory).filter((file) => file.endsWith('.yaml')).sort() : [];
  const people: RegistryPerson[] = [];
  for (const file of files) {
    const registry = parseYaml(readFileSync(path.join(directory, file), 'utf8')) as {
      households?: Array<{ address: string; members: Array<{ name: string; birthDate: string | Date; sex: 'male' | 'female' }> }>;
    };
    for (const household of registry.households ?? []) {
      for (const member of household.members) {
        const birthDate = member.birthDate instanceof Date ? member.birthDate.toISOString().slice(0, 10) : String(member.birthDate);
        // Signing certificates are issued from 15 years of age.
        if (at.getTime() - Date.parse(birthDate) < 15 * 365.25 * DAY) continue;
        people.push({ name: member.name, address: household.address, birthDate, sex: member.sex });
      }
    }
  }
  return people;
}

/**
 * The simulated service's own world, created once into
 * `$DATA_DIR/simulated-digital-auth/state.json` on first use: a simulated
 * national CA and its CRL, a second CA nobody trusts, five cards of people
 * in the sample registry (three valid, one revoked on the CRL, one from the
 * untrusted CA, so the refusals can be tried from the browser), the key the
 * service signs ID tokens with, and the portal's client secret.
 *
 * Created lazily: suites that never use the simulator pay nothing. Two
 * processes racing to create it agree on one file (hard link, first wins).
 */
@Injectable()
export class SimulatedCardStore {
  private readonly logger = new Logger('SimulatedDigitalAuth');
  private loading?: Promise<SimulatedState>;
  private loaded?: SimulatedState;
  private crl?: { list: RevocationList; issuedAt: number };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.config.digitalAuth.mode === 'simulated';
  }

  private get file(): string {
    return path.join(this.config.dataDir, 'simulated-digital-auth', 'state.json');
  }

  /** The state if it is already on disk or in memory (the trust store must not create it). */
  peek(): SimulatedState | undefined {
    return this.loaded;
  }

  /** Loads an existing state at start so its CA is trusted from the first request. */
  async loadIfPresent(): Promise<SimulatedState | undefined> {
    if (!this.enabled || !existsSync(this.file)) return undefined;
    return this.state();
  }

  state(): Promise<SimulatedState> {
    this.loading ??= this.loadOrCreate().then((state) => (this.loaded = state));
    return this.loading;
  }

  /** The simulated CA's current CRL (reissued daily), listing the revoked test card. */
  async currentCrl(): Promise<RevocationList> {
    const state = await this.state();
    const now = this.clock.now();
    if (!this.crl || Math.abs(now.getTime() - this.crl.issuedAt) > DAY) {
      const revoked = state.cards.filter((card) => card.status === 'revoked').flatMap((card) => [card.card.authentication.serialNumber, card.card.signing.serialNumber]);
      this.crl = { list: await issueTestCrl(state.ca, { now, revoked, nextUpdate: new Date(now.getTime() + 7 * DAY) }), issuedAt: now.getTime() };
    }
    return this.crl.list;
  }

  /** The card's authentication key signs the relying party's nonce (UTF-8), as the real card signs a challenge. */
  signNonce(card: SimulatedCard, nonce: string): { signature: string; certificateChain: string[] } {
    return { signature: signWithCard(card.card, 'authentication', nonce), certificateChain: chainOf(card, 'authentication') };
  }

  /**
   * The card's signing key over a SHA-256 the relying party computed: the
   * card signs DigestInfo(SHA-256, hash), which is exactly RSASSA-PKCS1-v1_5
   * over the content, so the service never sees the content itself.
   */
  signHash(card: SimulatedCard, sha256Hex: string): { signature: string; certificateChain: string[] } {
    const digest = Buffer.from(sha256Hex, 'hex');
    if (digest.length !== 32) throw new Error('a SHA-256 hash is 32 bytes');
    const signature = privateEncrypt(
      { key: card.card.keys.signing.privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([SHA256_DIGEST_INFO, digest]),
    ).toString('base64');
    return { signature, certificateChain: chainOf(card, 'signing') };
  }

  private async loadOrCreate(): Promise<SimulatedState> {
    if (!existsSync(this.file)) await this.create();
    return this.fromStored(JSON.parse(readFileSync(this.file, 'utf8')) as StoredState);
  }

  private async create(): Promise<void> {
    const now = this.clock.now();
    const people = sampleRegistryAdults(this.config.configDir, now).slice(0, CARD_COUNT);
    if (people.length === 0) throw new Error(`the simulated digital authentication service needs people in ${path.join(this.config.configDir, 'registry')}`);
    this.logger.log({ msg: 'creating the simulated CA and test cards', cards: people.length });
    const ca = await createTestCa({ now, name: 'CN=Madoguchi simulated JPKI CA, O=Madoguchi (simulated), C=JP' });
    const untrustedCa = await createTestCa({ now, name: 'CN=Untrusted simulated CA, O=Nobody, C=JP' });
    const cards: StoredState['cards'] = [];
    for (const [index, person] of people.entries()) {
      // The last two show the refusals: one revoked, one from a CA nobody trusts.
      const status: SimulatedCardStatus = index === people.length - 1 && people.length >= 3 ? 'untrustedCa' : index === people.length - 2 && people.length >= 3 ? 'revoked' : 'valid';
      const basic4: Basic4 = { name: person.name, address: person.address, dateOfBirth: person.birthDate, sex: person.sex };
      const card = await issueTestCard(status === 'untrustedCa' ? untrustedCa : ca, { now, basic4 });
      cards.push({
        id: card.cardId,
        status,
        basic4,
        pin: SIMULATED_CARD_PIN,
        signingPassword: SIMULATED_CARD_SIGNING_PASSWORD,
        authentication: { certificatePem: card.authentication.pem, keyPem: privateKeyPem(card.keys.authentication) },
        signing: { certificatePem: card.signing.pem, keyPem: privateKeyPem(card.keys.signing) },
      });
    }
    const idTokenKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const state: StoredState = {
      version: 1,
      clientSecret: this.config.digitalAuth.clientSecret ?? randomBytes(32).toString('base64url'),
      cookieKey: randomBytes(32).toString('base64url'),
      idTokenKeyPem: idTokenKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ca: { certificatePem: ca.pem, keyPem: privateKeyPem(ca.keys) },
      untrustedCa: { certificatePem: untrustedCa.pem, keyPem: privateKeyPem(untrustedCa.keys) },
      cards,
    };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${randomUUID()}`;
    writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
    try {
      linkSync(temporary, this.file);
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
  }

  private async fromStored(stored: StoredState): Promise<SimulatedState> {
    const importCa = async (pair: StoredKeyPair): Promise<TestCa> => {
      const certificate = new X509Certificate(pair.certificatePem);
      return { name: certificate.subject, certificate, pem: pair.certificatePem, der: Buffer.from(certificate.rawData), keys: await importTestKeyPair(pair.keyPem, pair.certificatePem), parent: null };
    };
    const ca = await importCa(stored.ca);
    const untrustedCa = await importCa(stored.untrustedCa);
    const cards: SimulatedCard[] = [];
    for (const item of stored.cards) {
      const certificate = (pem: string) => {
        const parsed = new X509Certificate(pem);
        return { certificate: parsed, pem, der: Buffer.from(parsed.rawData), serialNumber: parsed.serialNumber.toUpperCase() };
      };
      const card: TestCard = {
        issuer: item.status === 'untrustedCa' ? untrustedCa : ca,
        basic4: item.basic4,
        cardId: item.id,
        authentication: certificate(item.authentication.certificatePem),
        signing: certificate(item.signing.certificatePem),
        keys: {
          authentication: await importTestKeyPair(item.authentication.keyPem, item.authentication.certificatePem),
          signing: await importTestKeyPair(item.signing.keyPem, item.signing.certificatePem),
        },
      };
      cards.push({ id: item.id, status: item.status, basic4: item.basic4, pin: item.pin, signingPassword: item.signingPassword, card });
    }
    return { clientSecret: this.config.digitalAuth.clientSecret ?? stored.clientSecret, cookieKey: stored.cookieKey, idTokenKey: createPrivateKey(stored.idTokenKeyPem), ca, cards };
  }
}

/** Certificates as base64 DER, leaf first: what a card reader hands over. */
function chainOf(card: SimulatedCard, kind: 'authentication' | 'signing'): string[] {
  return cardChain(card.card, kind).map((pem) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, ''));
}
