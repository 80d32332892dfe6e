import { randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import { openFile, sealBuffer, SealedFileError } from './sealed-file';

describe('sealed backup files (age STREAM construction, ChaCha20-Poly1305)', () => {
  const dir = mkdtempSync(path.resolve(__dirname, '../../../../.data/sealed-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = randomBytes(32);

  it.each([0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024 + 17])('round-trips %i bytes and hashes both sides', async (size) => {
    const content = randomBytes(size);
    const sealed = path.join(dir, `s-${size}`);
    const copy = await sealBuffer(content, sealed, key);
    const opened = await openFile(sealed, path.join(dir, `o-${size}`), key);
    expect(await fs.readFile(path.join(dir, `o-${size}`))).toEqual(content);
    expect(opened).toEqual(copy);
    if (size >= 32) expect((await fs.readFile(sealed)).includes(content.subarray(0, 32))).toBe(false);
  });

  it('refuses a wrong key, a flipped bit, a truncated file and a dropped last chunk', async () => {
    const content = randomBytes(2 * 64 * 1024 + 5);
    const sealed = path.join(dir, 'victim');
    await sealBuffer(content, sealed, key);
    const bytes = await fs.readFile(sealed);
    const attempt = async (variant: Buffer, withKey = key) => {
      await fs.writeFile(path.join(dir, 'variant'), variant);
      return openFile(path.join(dir, 'variant'), path.join(dir, 'out'), withKey);
    };
    await expect(attempt(bytes, randomBytes(32))).rejects.toBeInstanceOf(SealedFileError);
    const flipped = Buffer.from(bytes);
    flipped[100] ^= 1;
    await expect(attempt(flipped)).rejects.toBeInstanceOf(SealedFileError);
    await expect(attempt(bytes.subarray(0, bytes.length - 1))).rejects.toBeInstanceOf(SealedFileError);
    // Cut exactly after the second full chunk: what is left looks whole but has no last chunk.
    const header = 20 + 32;
    await expect(attempt(bytes.subarray(0, header + 2 * (64 * 1024 + 16)))).rejects.toBeInstanceOf(SealedFileError);
    await expect(attempt(Buffer.from('not sealed at all, just text'))).rejects.toBeInstanceOf(SealedFileError);
  });
});
