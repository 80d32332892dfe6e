import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Backup files at rest: the payload format of age (age-encryption.org/v1,
 * "STREAM" of Hoang, Reyhanitabar, Rogaway and Vizár) with Node's own
 * ChaCha20-Poly1305, because the `age-encryption` package is not installed
 * here. Nothing in it is new: a fresh 32-byte salt per file, the file key
 * HKDF-SHA256(backup key, salt, "madoguchi-backup/v1 payload"), 64 KiB
 * chunks each sealed with ChaCha20-Poly1305 under the nonce
 * 11-byte big-endian chunk counter || 0x01 on the last chunk else 0x00.
 * The last chunk is always shorter than 64 KiB (possibly empty), so a
 * truncated, reordered or extended file fails to open. The header is ours
 * (magic + salt, no recipient stanzas), so the files are not readable by the
 * age tool: replacing this with `age-encryption` (scrypt or X25519
 * recipients) is a drop-in change of this file.
 */
export const SEALED_MAGIC = Buffer.from('madoguchi-sealed/v1\n', 'ascii');
const SALT_BYTES = 32;
const CHUNK = 64 * 1024;
const TAG = 16;
const INFO = Buffer.from('madoguchi-backup/v1 payload', 'ascii');

export interface SealedCopy {
  /** SHA-256 of the plaintext. */
  sha256: string;
  bytes: number;
  /** SHA-256 of the sealed file as written. */
  sealedSha256: string;
}

/** The backup key: 32 bytes, base64, from configuration (BACKUP_ENCRYPTION_KEY). */
export function parseBackupKey(raw: string | undefined): Buffer {
  const key = raw?.trim() ? Buffer.from(raw.trim(), 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new Error('BACKUP_ENCRYPTION_KEY must be the base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`); keep it apart from the backups');
  return key;
}

function fileKey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, INFO, 32));
}

function nonce(counter: bigint, last: boolean): Buffer {
  const value = Buffer.alloc(12);
  // 11-byte counter: the high byte of a 12-byte field is the flag, so write the counter into bytes 3..10 (the top three are zero for any real file).
  value.writeBigUInt64BE(counter, 3);
  value[11] = last ? 1 : 0;
  return value;
}

function seal(key: Buffer, counter: bigint, last: boolean, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce(counter, last), { authTagLength: TAG });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, counter: bigint, last: boolean, sealed: Buffer): Buffer {
  if (sealed.length < TAG) throw new SealedFileError('truncated chunk');
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce(counter, last), { authTagLength: TAG });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw new SealedFileError('a chunk does not authenticate (wrong key, or the file was changed or truncated)');
  }
}

export class SealedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedFileError';
  }
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

class Sealer extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private counter = 0n;
  private readonly key: Buffer;
  constructor(backupKey: Buffer) {
    super();
    const salt = randomBytes(SALT_BYTES);
    this.key = fileKey(backupKey, salt);
    this.push(Buffer.concat([SEALED_MAGIC, salt]));
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    // Keep at least one byte back: only the flush knows which chunk is last.
    while (this.pending.length > CHUNK) {
      this.push(seal(this.key, this.counter++, false, this.pending.subarray(0, CHUNK)));
      this.pending = this.pending.subarray(CHUNK);
    }
    callback();
  }
  override _flush(callback: TransformCallback): void {
    if (this.pending.length === CHUNK) {
      this.push(seal(this.key, this.counter++, false, this.pending));
      this.pending = Buffer.alloc(0);
    }
    this.push(seal(this.key, this.counter++, true, this.pending));
    callback();
  }
}

class Opener extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private counter = 0n;
  private key: Buffer | null = null;
  constructor(private readonly backupKey: Buffer) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      if (!this.key) {
        if (this.pending.length < SEALED_MAGIC.length + SALT_BYTES) return callback();
        if (!this.pending.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC)) throw new SealedFileError('not a madoguchi-sealed/v1 file');
        this.key = fileKey(this.backupKey, this.pending.subarray(SEALED_MAGIC.length, SEALED_MAGIC.length + SALT_BYTES));
        this.pending = this.pending.subarray(SEALED_MAGIC.length + SALT_BYTES);
      }
      // A full sealed chunk followed by more bytes is not the last one.
      while (this.pending.length > CHUNK + TAG) {
        this.push(open(this.key, this.counter++, false, this.pending.subarray(0, CHUNK + TAG)));
        this.pending = this.pending.subarray(CHUNK + TAG);
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
  override _flush(callback: TransformCallback): void {
    try {
      if (!this.key) throw new SealedFileError('not a madoguchi-sealed/v1 file');
      if (this.pending.length === CHUNK + TAG) {
        // A full chunk cannot be the last: the writer always ends with a short one.
        this.push(open(this.key, this.counter++, false, this.pending));
        throw new SealedFileError('the file ends without its last chunk (truncated)');
      }
      this.push(open(this.key, this.counter++, true, this.pending));
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

/** Encrypts `source` into `target`, hashing both sides on the way. */
export async function sealFile(source: string, target: string, key: Buffer): Promise<SealedCopy> {
  const plain = new Hasher();
  const sealed = new Hasher();
  await pipeline(createReadStream(source), plain, new Sealer(key), sealed, createWriteStream(target, { mode: 0o600 }));
  return { sha256: plain.hash.digest('hex'), bytes: plain.bytes, sealedSha256: sealed.hash.digest('hex') };
}

export async function sealBuffer(content: Buffer, target: string, key: Buffer): Promise<SealedCopy> {
  const plain = new Hasher();
  const sealed = new Hasher();
  await pipeline(Readable.from([content]), plain, new Sealer(key), sealed, createWriteStream(target, { mode: 0o600 }));
  return { sha256: plain.hash.digest('hex'), bytes: plain.bytes, sealedSha256: sealed.hash.digest('hex') };
}

/** Decrypts `source` into `target`; throws SealedFileError on any change to the sealed bytes. */
export async function openFile(source: string, target: string, key: Buffer, mode = 0o600): Promise<{ sha256: string; bytes: number; sealedSha256: string }> {
  const sealed = new Hasher();
  const plain = new Hasher();
  await pipeline(createReadStream(source), sealed, new Opener(key), plain, createWriteStream(target, { mode }));
  return { sha256: plain.hash.digest('hex'), bytes: plain.bytes, sealedSha256: sealed.hash.digest('hex') };
}
