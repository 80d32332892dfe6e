import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './app-config';

/**
 * Data-encryption keys (AES-256-GCM) by key id. The active key encrypts;
 * every listed key decrypts, so keys rotate by adding a new one, making it
 * active, and re-encrypting at leisure.
 */
export interface Secrets {
  encryptionKeys: ReadonlyMap<string, Buffer>;
  activeKeyId: string;
  /** HMAC-SHA256 key that signs the audit chain checkpoints (AUDIT_CHECKPOINT_KEY). */
  auditCheckpointKey: Buffer;
  /** Where the keys came from, for the start-up log (never the keys). */
  source: 'environment' | 'development-file';
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * From MADOGUCHI_ENCRYPTION_KEYS ("id:base64,id:base64") and
 * MADOGUCHI_ENCRYPTION_ACTIVE_KEY. Outside production, when they are unset, a
 * key is generated once into `<dataDir>/secrets.json` (git-ignored) so a
 * fresh checkout runs; production refuses to start without them.
 */
export function loadSecrets(env: NodeJS.ProcessEnv, dataDir: string): Secrets {
  const auditCheckpointKey = loadAuditCheckpointKey(env, dataDir);
  const raw = env.MADOGUCHI_ENCRYPTION_KEYS?.trim();
  if (!raw) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError(['MADOGUCHI_ENCRYPTION_KEYS is required in production (id:base64-32-byte-key, comma separated)']);
    }
    return { ...developmentSecrets(dataDir), auditCheckpointKey };
  }
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  for (const entry of raw.split(',')) {
    const [id, encoded] = entry.trim().split(':');
    const key = encoded ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    if (!id || !KEY_ID.test(id) || key.length !== 32) {
      problems.push(`MADOGUCHI_ENCRYPTION_KEYS: entry "${id ?? ''}:…" must be id:base64 of exactly 32 bytes`);
      continue;
    }
    keys.set(id, key);
  }
  const activeKeyId = env.MADOGUCHI_ENCRYPTION_ACTIVE_KEY?.trim() || [...keys.keys()].pop() || '';
  if (!keys.has(activeKeyId)) problems.push(`MADOGUCHI_ENCRYPTION_ACTIVE_KEY "${activeKeyId}" is not among MADOGUCHI_ENCRYPTION_KEYS`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { encryptionKeys: keys, activeKeyId, auditCheckpointKey, source: 'environment' };
}

/**
 * AUDIT_CHECKPOINT_KEY: base64 of at least 32 random bytes. It is what makes
 * a checkpoint file unforgeable by someone who can write to it, so keep it
 * away from the database's owner account. Outside production a key is
 * generated once into `<dataDir>/secrets.json`.
 */
function loadAuditCheckpointKey(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  const raw = env.AUDIT_CHECKPOINT_KEY?.trim();
  if (raw) {
    const key = Buffer.from(raw, 'base64');
    if (key.length < 32) throw new ConfigError(['AUDIT_CHECKPOINT_KEY must be base64 of at least 32 bytes']);
    return key;
  }
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(['AUDIT_CHECKPOINT_KEY is required in production (base64 of 32+ random bytes; e.g. openssl rand -base64 32)']);
  }
  const file = path.join(dataDir, 'secrets.json');
  developmentSecrets(dataDir);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { auditCheckpointKey?: string };
  if (!stored.auditCheckpointKey) {
    stored.auditCheckpointKey = randomBytes(32).toString('base64');
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return Buffer.from(stored.auditCheckpointKey, 'base64');
}

function developmentSecrets(dataDir: string): Omit<Secrets, 'auditCheckpointKey'> {
  const file = path.join(dataDir, 'secrets.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ keys: { dev1: randomBytes(32).toString('base64') }, active: 'dev1' }, null, 2), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys: Record<string, string>; active: string };
  const keys = new Map(Object.entries(stored.keys).map(([id, encoded]) => [id, Buffer.from(encoded, 'base64')]));
  return { encryptionKeys: keys, activeKeyId: stored.active, source: 'development-file' };
}
