import { Inject, Injectable } from '@nestjs/common';
import type { Secrets } from '@madoguchi/config';
import { SECRETS } from '@madoguchi/kernel';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * AES-256-GCM for single fields (the individual number, TOTP secrets). The
 * stored text names its key id, so keys rotate; the associated data binds a
 * ciphertext to its owner and purpose, so it cannot be moved to another row.
 */
@Injectable()
export class FieldCipher {
  constructor(@Inject(SECRETS) private readonly secrets: Secrets) {}

  encrypt(plaintext: string, associatedData: string): string {
    const keyId = this.secrets.activeKeyId;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(keyId), iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt(stored: string, associatedData: string): string {
    const [version, keyId, iv, tag, ciphertext] = stored.split('.');
    if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) throw new Error('unreadable ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The key id a stored value was encrypted with, for rotation reports. */
  keyIdOf(stored: string): string | null {
    return stored.split('.')[1] ?? null;
  }

  private key(keyId: string): Buffer {
    const key = this.secrets.encryptionKeys.get(keyId);
    if (!key) throw new Error(`encryption key "${keyId}" is not configured`);
    return key;
  }
}
