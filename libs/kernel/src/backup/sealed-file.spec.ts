import { Decrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import { BACKUP_KEY_FILE, backupOpener, backupSealer, type FileOpener, type FileSealer, parseBackupKey, SealedFileError } from './sealed-file';

describe('sealed backup files (age v1 through age-encryption)', () => {
  const dir = mkdtempSync(path.resolve(__dirname, '../../../../.data/sealed-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const passphrase = parseBackupKey(randomBytes(24).toString('base64'));

  // One backup's sealer and opener (each costs one scrypt derivation).
  let pair: { sealer: FileSealer; opener: FileOpener };
  beforeAll(async () => {
    const { sealer } = await backupSealer(passphrase, dir);
    pair = { sealer, opener: await backupOpener(passphrase, dir) };
  });

  it.each([0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024 + 17])('round-trips %i bytes and hashes both sides', async (size) => {
    const { sealer, opener } = pair;
    const content = randomBytes(size);
    const sealed = path.join(dir, `s-${size}`);
    const copy = await sealer.sealBuffer(content, sealed);
    const opened = await opener.openFile(sealed, path.join(dir, `o-${size}`));
    expect(await fs.readFile(path.join(dir, `o-${size}`))).toEqual(content);
    expect(opened).toEqual(copy);
    expect(copy.bytes).toBe(size);
    expect((await fs.readFile(sealed)).subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    if (size >= 32) expect((await fs.readFile(sealed)).includes(content.subarray(0, 32))).toBe(false);
  });

  it('writes standard age files: the identity in backup-key.age opens them with any age implementation', async () => {
    const sub = mkdtempSync(path.join(dir, 'std-'));
    const { sealer } = await backupSealer(passphrase, sub);
    await sealer.sealBuffer(Buffer.from('内容'), path.join(sub, 'x.age'));
    const unwrap = new Decrypter();
    unwrap.addPassphrase((passphrase as { passphrase: string }).passphrase);
    const identity = await unwrap.decrypt(await fs.readFile(path.join(sub, BACKUP_KEY_FILE)), 'text');
    expect(identity).toMatch(/^AGE-SECRET-KEY-1/);
    const open = new Decrypter();
    open.addIdentity(identity);
    expect(await open.decrypt(await fs.readFile(path.join(sub, 'x.age')), 'text')).toBe('内容');
  });

  it('X25519: an identity seals and opens; a recipient seals but cannot open', async () => {
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const sub = mkdtempSync(path.join(dir, 'x25519-'));
    const { sealer } = await backupSealer(parseBackupKey(recipient), sub);
    const content = randomBytes(1000);
    await sealer.sealBuffer(content, path.join(sub, 'f.age'));
    await expect(backupOpener(parseBackupKey(recipient), sub)).rejects.toThrow(/only encrypts/);
    const opener = await backupOpener(parseBackupKey(identity), sub);
    await opener.openFile(path.join(sub, 'f.age'), path.join(sub, 'f'));
    expect(await fs.readFile(path.join(sub, 'f'))).toEqual(content);
    const stranger = await backupOpener(parseBackupKey(await generateX25519Identity()), sub);
    await expect(stranger.openFile(path.join(sub, 'f.age'), path.join(sub, 'g'))).rejects.toBeInstanceOf(SealedFileError);
  });

  it('refuses a wrong passphrase, a flipped bit, a truncated file and a dropped last chunk', async () => {
    const sub = mkdtempSync(path.join(dir, 'victim-'));
    const { sealer } = await backupSealer(passphrase, sub);
    const opener = await backupOpener(passphrase, sub);
    const content = randomBytes(2 * 64 * 1024 + 5);
    const sealed = path.join(sub, 'victim');
    await sealer.sealBuffer(content, sealed);
    const bytes = await fs.readFile(sealed);
    const attempt = async (variant: Buffer) => {
      await fs.writeFile(path.join(sub, 'variant'), variant);
      return opener.openFile(path.join(sub, 'variant'), path.join(sub, 'out'));
    };
    await expect(backupOpener(parseBackupKey(randomBytes(24).toString('base64')), sub)).rejects.toThrow(/does not authenticate/);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 1000] ^= 1;
    await expect(attempt(flipped)).rejects.toBeInstanceOf(SealedFileError);
    await expect(attempt(bytes.subarray(0, bytes.length - 1))).rejects.toBeInstanceOf(SealedFileError);
    // Cut exactly after the second full payload chunk: what is left looks whole but has no last chunk.
    const header = bytes.length - (2 * (64 * 1024 + 16) + 5 + 16);
    await expect(attempt(bytes.subarray(0, header + 2 * (64 * 1024 + 16)))).rejects.toBeInstanceOf(SealedFileError);
    await expect(attempt(Buffer.from('not sealed at all, just text'))).rejects.toBeInstanceOf(SealedFileError);
    // Three scrypt derivations: seconds on a quiet machine, past a minute on a busy one.
  }, 180_000);

  it('refuses a key that is neither an age key nor a long passphrase', () => {
    expect(() => parseBackupKey('short')).toThrow(/BACKUP_ENCRYPTION_KEY/);
    expect(() => parseBackupKey(undefined)).toThrow(/BACKUP_ENCRYPTION_KEY/);
  });
});
