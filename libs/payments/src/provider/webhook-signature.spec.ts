import { signatureHeader, verifyWebhookSignature, webhookSignature } from './webhook-signature';

const SECRET = 'a-test-secret-that-is-long-enough-1234';
const NOW = new Date('2026-11-22T01:00:00Z');
const T = NOW.getTime() / 1000;
const BODY = Buffer.from('{"id":"evt_1","type":"payment.succeeded"}');

describe('webhook signature (HMAC-SHA256 over timestamp.body)', () => {
  it('accepts what was signed with the secret, at the time it was signed', () => {
    expect(verifyWebhookSignature(signatureHeader(SECRET, T, BODY), BODY, SECRET, NOW)).toEqual({ ok: true, timestamp: T });
  });

  it('signs exactly `timestamp.body`', () => {
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    expect(webhookSignature(SECRET, T, BODY)).toBe(createHmac('sha256', SECRET).update(`${T}.${BODY.toString()}`).digest('hex'));
  });

  it('refuses another secret, another body or another timestamp', () => {
    expect(verifyWebhookSignature(signatureHeader('another-secret-that-is-long-enough-12', T, BODY), BODY, SECRET, NOW)).toEqual({ ok: false, problem: 'mismatch' });
    expect(verifyWebhookSignature(signatureHeader(SECRET, T, BODY), Buffer.from(`${BODY.toString()} `), SECRET, NOW)).toEqual({ ok: false, problem: 'mismatch' });
    const forgedTime = signatureHeader(SECRET, T, BODY).replace(`t=${T}`, `t=${T + 1}`);
    expect(verifyWebhookSignature(forgedTime, BODY, SECRET, NOW)).toEqual({ ok: false, problem: 'mismatch' });
  });

  it('refuses a timestamp more than five minutes away, either way', () => {
    expect(verifyWebhookSignature(signatureHeader(SECRET, T - 300, BODY), BODY, SECRET, NOW).ok).toBe(true);
    expect(verifyWebhookSignature(signatureHeader(SECRET, T + 300, BODY), BODY, SECRET, NOW).ok).toBe(true);
    expect(verifyWebhookSignature(signatureHeader(SECRET, T - 301, BODY), BODY, SECRET, NOW)).toEqual({ ok: false, problem: 'stale' });
    expect(verifyWebhookSignature(signatureHeader(SECRET, T + 301, BODY), BODY, SECRET, NOW)).toEqual({ ok: false, problem: 'stale' });
  });

  it('accepts any one matching v1 among several (secret rotation)', () => {
    const header = `t=${T},v1=${'0'.repeat(64)},v1=${webhookSignature(SECRET, T, BODY)}`;
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW).ok).toBe(true);
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['v1=abc', 'malformed'],
    [`t=${T}`, 'malformed'],
    [`t=soon,v1=${'a'.repeat(64)}`, 'malformed'],
    [`t=${T},v1=${'g'.repeat(64)}`, 'malformed'],
  ])('refuses the header %p as %s', (header, problem) => {
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW)).toEqual({ ok: false, problem });
  });
});
