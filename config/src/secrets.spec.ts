import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadSecrets } from './secrets';

describe('loadSecrets: the audit checkpoint key', () => {
  const dataDir = path.resolve(__dirname, '../../.data', `test-secrets-${process.pid}-${randomBytes(3).toString('hex')}`);
  const encryption = { MADOGUCHI_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reads AUDIT_CHECKPOINT_KEY as base64 of 32+ bytes', () => {
    const key = randomBytes(48);
    expect(loadSecrets({ ...encryption, AUDIT_CHECKPOINT_KEY: key.toString('base64') }, dataDir).auditCheckpointKey).toEqual(key);
    expect(() => loadSecrets({ ...encryption, AUDIT_CHECKPOINT_KEY: randomBytes(16).toString('base64') }, dataDir)).toThrow(/AUDIT_CHECKPOINT_KEY must be base64 of at least 32 bytes/);
  });

  it('is required in production', () => {
    expect(() => loadSecrets({ ...encryption, NODE_ENV: 'production' }, dataDir)).toThrow(/AUDIT_CHECKPOINT_KEY is required in production/);
  });

  it('outside production, is generated once into secrets.json and kept', () => {
    const first = loadSecrets({}, dataDir);
    expect(first.auditCheckpointKey).toHaveLength(32);
    expect(loadSecrets({}, dataDir).auditCheckpointKey).toEqual(first.auditCheckpointKey);
    expect(loadSecrets(encryption, dataDir).auditCheckpointKey).toEqual(first.auditCheckpointKey);
    const stored = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'));
    expect(Object.keys(stored).sort()).toEqual(['active', 'auditCheckpointKey', 'keys']);
  });
});
