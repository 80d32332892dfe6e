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
  const raw = env.MADOGUCHI_ENCRYPTION_KEYS?.trim();
  if (!raw) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError(['MADOGUCHI_ENCRYPTION_KEYS is required in production (id:base64-32-byte-key, comma separated)']);
    }
    return developmentSecrets(dataDir);
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
  return { encryptionKeys: keys, activeKeyId, source: 'environment' };
}

function developmentSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ keys: { dev1: randomBytes(32).toString('base64') }, active: 'dev1' }, null, 2), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys: Record<string, string>; active: string };
  const keys = new Map(Object.entries(stored.keys).map(([id, encoded]) => [id, Buffer.from(encoded, 'base64')]));
  return { encryptionKeys: keys, activeKeyId: stored.active, source: 'development-file' };
}
