import { createHmac, timingSafeEqual } from 'node:crypto';

/** Seconds a webhook's timestamp may differ from our clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export const SIGNATURE_HEADER = 'x-sim-signature';

/** HMAC-SHA256 over `timestamp + '.' + body`, hex. */
export function webhookSignature(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** `t=<unix seconds>,v1=<hex>` */
export function signatureHeader(secret: string, timestamp: number, body: string | Buffer): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, body)}`;
}

export type SignatureProblem = 'missing' | 'malformed' | 'mismatch' | 'stale';

/**
 * Checks a signature header against the raw body as received. Several `v1`
 * entries are allowed (the provider signs with old and new secret while one
 * is rotated); one matching entry is enough. The timestamp is part of what is
 * signed, so a captured request cannot be replayed outside the window.
 */
export function verifyWebhookSignature(
  header: string | undefined,
  body: Buffer,
  secret: string,
  now: Date,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): { ok: true; timestamp: number } | { ok: false; problem: SignatureProblem } {
  if (!header) return { ok: false, problem: 'missing' };
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === null || candidates.length === 0) return { ok: false, problem: 'malformed' };
  const expected = Buffer.from(webhookSignature(secret, timestamp, body), 'hex');
  const matches = candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  if (!matches) return { ok: false, problem: 'mismatch' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, problem: 'stale' };
  return { ok: true, timestamp };
}
