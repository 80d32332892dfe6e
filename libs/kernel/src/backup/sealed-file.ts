import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/**
 * Backup files at rest are age files (age-encryption.org/v1), written and
 * read with the `age-encryption` package (typage, by age's author): nothing
 * here is our own cryptography. Every sealed file opens with the age tool
 * too (`age -d -i identity.txt file.age`).
 *
 * BACKUP_ENCRYPTION_KEY is one of
 * - an X25519 identity `AGE-SECRET-KEY-1…`: backups are encrypted to its
 *   recipient and restored with it;
 * - an X25519 recipient `age1…`: the backup host can encrypt but never
 *   decrypt (the identity stays in the key store and is given to restore);
 * - anything else is a passphrase (at least 16 characters). scrypt per file
 *   would cost a second for each of the cluster's thousand files, so a
 *   backup makes one fresh X25519 identity, stores it as `backup-key.age`
 *   sealed with the passphrase (age's scrypt recipient, one derivation), and
 *   encrypts every file to it.
 */
export type BackupKey = { kind: 'passphrase'; passphrase: string } | { kind: 'identity'; identity: string } | { kind: 'recipient'; recipient: string };

export const BACKUP_KEY_FILE = 'backup-key.age';
export const SEALED_SUFFIX = '.age';

export interface SealedCopy {
  /** SHA-256 of the plaintext. */
  sha256: string;
  bytes: number;
  /** SHA-256 of the sealed file as written. */
  sealedSha256: string;
}

export class SealedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedFileError';
  }
}

/** BACKUP_ENCRYPTION_KEY, validated at start. */
export function parseBackupKey(raw: string | undefined): BackupKey {
  const value = raw?.trim() ?? '';
  if (value.startsWith('AGE-SECRET-KEY-1')) return { kind: 'identity', identity: value };
  if (/^age1[0-9a-z]+$/.test(value)) return { kind: 'recipient', recipient: value };
  if (value.length >= 16) return { kind: 'passphrase', passphrase: value };
  throw new Error(
    'BACKUP_ENCRYPTION_KEY must be an age X25519 identity (AGE-SECRET-KEY-1…, from `age-keygen`), an age recipient (age1…; restore then needs the identity) or a passphrase of at least 16 characters (e.g. `openssl rand -base64 32`); keep it apart from the backups',
  );
}

class Hasher extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

type WebStream = ReadableStream<Uint8Array>;
const toWeb = (stream: Readable): WebStream => Readable.toWeb(stream) as unknown as WebStream;
const fromWeb = (stream: WebStream): Readable => Readable.fromWeb(stream as unknown as NodeReadableStream<Uint8Array>);

/** Encrypts files to one X25519 recipient. */
export class FileSealer {
  private readonly encrypter = new Encrypter();
  constructor(recipient: string) {
    this.encrypter.addRecipient(recipient);
  }

  /** Encrypts `source` into `target`, hashing both sides on the way. A missing source throws its ENOENT. */
  async sealFile(source: string, target: string): Promise<SealedCopy> {
    const handle = await fs.open(source, 'r');
    return this.seal(handle.createReadStream(), target);
  }

  async sealBuffer(content: Buffer, target: string): Promise<SealedCopy> {
    return this.seal(Readable.from([content]), target);
  }

  private async seal(input: Readable, target: string): Promise<SealedCopy> {
    const plain = new Hasher();
    const sealed = new Hasher();
    input.on('error', (error) => plain.destroy(error));
    const encrypted = await this.encrypter.encrypt(toWeb(input.pipe(plain)));
    await pipeline(fromWeb(encrypted), sealed, createWriteStream(target, { mode: 0o600 }));
    return { sha256: plain.hash.digest('hex'), bytes: plain.bytes, sealedSha256: sealed.hash.digest('hex') };
  }
}

/** Decrypts files with one X25519 identity. */
export class FileOpener {
  private readonly decrypter = new Decrypter();
  constructor(identity: string) {
    this.decrypter.addIdentity(identity);
  }

  /** Decrypts `source` into `target`; throws SealedFileError on a wrong key or any change to the sealed bytes. */
  async openFile(source: string, target: string, mode = 0o600): Promise<SealedCopy> {
    const handle = await fs.open(source, 'r');
    const sealed = new Hasher();
    const plain = new Hasher();
    const input = handle.createReadStream();
    input.on('error', (error) => sealed.destroy(error));
    try {
      const decrypted = await this.decrypter.decrypt(toWeb(input.pipe(sealed)));
      await pipeline(fromWeb(decrypted), plain, createWriteStream(target, { mode }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code?.startsWith('E')) throw error;
      throw new SealedFileError(`${source} does not open: ${error instanceof Error ? error.message : String(error)} (wrong key, or the file was changed or truncated)`);
    }
    return { sha256: plain.hash.digest('hex'), bytes: plain.bytes, sealedSha256: sealed.hash.digest('hex') };
  }

  async openBuffer(content: Uint8Array): Promise<Buffer> {
    try {
      return Buffer.from(await this.decrypter.decrypt(content));
    } catch (error) {
      throw new SealedFileError(`does not open: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * The sealer for a new backup in `dir`: with a passphrase, makes the
 * backup's own identity and writes it to `backup-key.age` under the
 * passphrase.
 */
export async function backupSealer(key: BackupKey, dir: string): Promise<{ sealer: FileSealer; description: string }> {
  if (key.kind === 'recipient') return { sealer: new FileSealer(key.recipient), description: 'age v1, X25519 recipient from BACKUP_ENCRYPTION_KEY' };
  if (key.kind === 'identity') return { sealer: new FileSealer(await identityToRecipient(key.identity)), description: 'age v1, X25519 recipient of the identity in BACKUP_ENCRYPTION_KEY' };
  const identity = await generateX25519Identity();
  const wrapper = new Encrypter();
  wrapper.setPassphrase(key.passphrase);
  await fs.writeFile(`${dir}/${BACKUP_KEY_FILE}`, await wrapper.encrypt(identity), { mode: 0o600 });
  return { sealer: new FileSealer(await identityToRecipient(identity)), description: `age v1, X25519 to this backup's own identity, which ${BACKUP_KEY_FILE} holds under the passphrase (age scrypt)` };
}

/** The opener for an existing backup in `dir`. */
export async function backupOpener(key: BackupKey, dir: string): Promise<FileOpener> {
  if (key.kind === 'recipient') {
    throw new SealedFileError('BACKUP_ENCRYPTION_KEY is a recipient (age1…), which only encrypts: restore needs its identity (AGE-SECRET-KEY-1…)');
  }
  if (key.kind === 'identity') return new FileOpener(key.identity);
  let wrapped: Buffer;
  try {
    wrapped = await fs.readFile(`${dir}/${BACKUP_KEY_FILE}`);
  } catch {
    throw new SealedFileError(`${dir} has no ${BACKUP_KEY_FILE}: it was not sealed with a passphrase (set BACKUP_ENCRYPTION_KEY to its identity)`);
  }
  const unwrapper = new Decrypter();
  unwrapper.addPassphrase(key.passphrase);
  let identity: string;
  try {
    identity = await unwrapper.decrypt(wrapped, 'text');
  } catch {
    throw new SealedFileError(`${dir}: ${BACKUP_KEY_FILE} does not authenticate with BACKUP_ENCRYPTION_KEY (wrong passphrase, or the file was changed)`);
  }
  return new FileOpener(identity.trim());
}
