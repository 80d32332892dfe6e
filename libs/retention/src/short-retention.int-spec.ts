import { BookingHoldsService } from '@madoguchi/bookings';
import { type AppConfig, loadAppConfig } from '@madoguchi/config';
import { APP_CONFIG } from '@madoguchi/kernel';
import { ShortRetentionSweep } from '@madoguchi/retention';
import { randomUUID } from 'node:crypto';
import { as, KOMINKAN, residentOf } from '../../../test/support/bookings-e2e';
import { createTestApp, type TestApp } from '../../../test/support/test-app';

const DAY = 24 * 60 * 60_000;
const CITY = '990001';

/**
 * Nothing short-lived grows forever: rows of every kind are written at a
 * known age, the clock moves on, and one sweep leaves exactly those still
 * inside their period (defaults of SHORT_RETENTION_DAYS, one overridden).
 */
describe('short retention sweep (aged with the clock)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SHORT_RETENTION_DAYS: 'webhookReceipts=10' } });
  });
  afterAll(() => t.close());

  it('deletes each kind after its own period and keeps what is younger, live or still needed', async () => {
    const now = t.clock.now();
    const { shortRetentionDays: days } = t.get<AppConfig>(APP_CONFIG as never);
    expect(days.webhookReceipts).toBe(10);
    const q = (sql: string, params: unknown[]) => t.db.asOwner((client) => client.query(sql, params));
    const id = () => randomUUID();
    // Each kind: one row a day past its period, one a day inside it, tagged so they can be told apart.
    const aged = (kind: keyof typeof days, tag: 'old' | 'new') => new Date(now.getTime() - (days[kind] + (tag === 'old' ? 0.5 : -0.5)) * DAY);
    for (const tag of ['old', 'new'] as const) {
      await q(`INSERT INTO idempotency_keys (municipality_id, owner, key, request_hash, status_code, response, created_at) VALUES ($1, $2, $3, 'h', 200, '{}', $4)`, [CITY, `resident:${id()}`, tag, aged('idempotencyKeys', tag)]);
      await q(
        `INSERT INTO sessions (municipality_id, id, subject_kind, subject_id, transport, auth_method, family_id, access_hash, access_expires_at, refresh_hash, refresh_expires_at, created_at, revoked_reason)
         VALUES ($1, $2, 'resident', $3, 'bearer', 'password', $2, $4, $5, $6, $5, $5, $7)`,
        [CITY, id(), id(), `a-${id()}`, aged('sessions', tag), `r-${id()}`, tag],
      );
      await q(`INSERT INTO one_time_tokens (municipality_id, token_hash, subject_kind, subject_id, purpose, expires_at, created_at) VALUES ($1, $2, 'resident', $3, 'verifyEmail', $4, $4)`, [CITY, tag, id(), aged('oneTimeTokens', tag)]);
      await q(`INSERT INTO rate_limits (municipality_id, bucket, window_start, hits) VALUES ($1, $2, $3, 1)`, [CITY, tag, aged('rateLimits', tag)]);
      await q(`INSERT INTO login_failures (municipality_id, bucket, failures, last_failed_at) VALUES ($1, $2, 1, $3)`, [CITY, tag, aged('loginFailures', tag)]);
      await q(`INSERT INTO webhook_receipts (municipality_id, provider, provider_event_id, event_type, outcome, received_at) VALUES ($1, 'simulated', $2, 'payment.succeeded', 'applied', $3)`, [CITY, tag, aged('webhookReceipts', tag)]);
      await q(`INSERT INTO jpki_nonces (municipality_id, nonce_hash, purpose, expires_at, created_at) VALUES ($1, $2, 'login', $3, $3)`, [CITY, tag, aged('jpkiNonces', tag)]);
      await q(`INSERT INTO mynumber_oidc_transactions (state_hash, municipality_id, purpose, browser_hash, nonce, code_verifier, expires_at, created_at) VALUES ($1, $2, 'login', 'b', 'n', 'v', $3, $3)`, [tag, CITY, aged('oidcTransactions', tag)]);
      await q(`INSERT INTO outbox (municipality_id, topic, payload, status, available_at, created_at, delivered_at) VALUES ($1, $2, '{}', 'delivered', $3, $3, $3)`, [CITY, `test.${tag}`, aged('outbox', tag)]);
    }
    // Never swept however old: a session whose refresh token still lives, a pending and a dead outbox message.
    await q(
      `INSERT INTO sessions (municipality_id, id, subject_kind, subject_id, transport, auth_method, family_id, access_hash, access_expires_at, refresh_hash, refresh_expires_at, created_at, revoked_reason)
       VALUES ($1, $2, 'resident', $3, 'bearer', 'password', $2, $4, $5, $6, $7, $5, 'live')`,
      [CITY, id(), id(), `a-${id()}`, new Date(now.getTime() - 400 * DAY), `r-${id()}`, new Date(now.getTime() + DAY)],
    );
    await q(`INSERT INTO outbox (municipality_id, topic, payload, status, available_at, created_at) VALUES ($1, 'test.pending', '{}', 'pending', $2, $2)`, [CITY, new Date(now.getTime() - 400 * DAY)]);
    await q(`INSERT INTO outbox (municipality_id, topic, payload, status, available_at, created_at) VALUES ($1, 'test.dead', '{}', 'dead', $2, $2)`, [CITY, new Date(now.getTime() - 400 * DAY)]);

    const deleted = await t.get(ShortRetentionSweep).run();
    const left = {
      idempotencyKeys: (await t.dataSource.query(`SELECT key AS tag FROM idempotency_keys WHERE key IN ('old', 'new')`)) as Array<{ tag: string }>,
      sessions: (await t.dataSource.query(`SELECT revoked_reason AS tag FROM sessions WHERE revoked_reason IN ('old', 'new', 'live') ORDER BY 1`)) as Array<{ tag: string }>,
      oneTimeTokens: (await t.dataSource.query(`SELECT token_hash AS tag FROM one_time_tokens`)) as Array<{ tag: string }>,
      rateLimits: (await t.dataSource.query(`SELECT bucket AS tag FROM rate_limits WHERE bucket IN ('old', 'new')`)) as Array<{ tag: string }>,
      loginFailures: (await t.dataSource.query(`SELECT bucket AS tag FROM login_failures WHERE bucket IN ('old', 'new')`)) as Array<{ tag: string }>,
      webhookReceipts: (await t.dataSource.query(`SELECT provider_event_id AS tag FROM webhook_receipts`)) as Array<{ tag: string }>,
      jpkiNonces: (await t.dataSource.query(`SELECT nonce_hash AS tag FROM jpki_nonces`)) as Array<{ tag: string }>,
      oidcTransactions: (await t.dataSource.query(`SELECT state_hash AS tag FROM mynumber_oidc_transactions`)) as Array<{ tag: string }>,
      outbox: (await t.dataSource.query(`SELECT topic AS tag FROM outbox WHERE topic LIKE 'test.%' ORDER BY 1`)) as Array<{ tag: string }>,
    };
    expect(Object.fromEntries(Object.entries(left).map(([kind, rows]) => [kind, rows.map((row) => row.tag)]))).toEqual({
      idempotencyKeys: ['new'],
      sessions: ['live', 'new'],
      oneTimeTokens: ['new'],
      rateLimits: ['new'],
      loginFailures: ['new'],
      webhookReceipts: ['new'],
      jpkiNonces: ['new'],
      oidcTransactions: ['new'],
      outbox: ['test.dead', 'test.new', 'test.pending'],
    });
    expect(deleted).toMatchObject({ idempotencyKeys: 1, sessions: 1, oneTimeTokens: 1, rateLimits: 1, loginFailures: 1, webhookReceipts: 1, jpkiNonces: 1, oidcTransactions: 1, outbox: 1 });
  });

  it('removes a lapsed facility hold and its events 30 days after it lapsed, not before', async () => {
    const count = async (where: string) => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM bookings WHERE ${where}`))[0].n);
    const holder = await residentOf(t);
    const held = await as(t.app.getHttpServer(), holder).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-2', date: '2026-12-01', slots: ['09:00'] }).expect(201);
    const hold = `id = '${held.body.id as string}'`;
    t.clock.advance(DAY);
    await t.get(BookingHoldsService).sweep();
    expect(await count(`${hold} AND status = 'expired'`)).toBe(1);
    t.clock.advance(29 * DAY);
    expect((await t.get(ShortRetentionSweep).run()).expiredHolds).toBe(0);
    expect(await count(hold)).toBe(1);
    t.clock.advance(2 * DAY);
    expect((await t.get(ShortRetentionSweep).run()).expiredHolds).toBe(1);
    expect(await count(hold)).toBe(0);
    expect(Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM booking_events WHERE booking_id = $1`, [held.body.id]))[0].n)).toBe(0);
  });

  it('refuses an unknown kind or a bad number in SHORT_RETENTION_DAYS at start', async () => {
    expect(() => loadAppConfig({ SHORT_RETENTION_DAYS: 'sessions=0' })).toThrow(/sessions must be a whole number of days from 1 to 3650/);
    expect(() => loadAppConfig({ SHORT_RETENTION_DAYS: 'forever=3' })).toThrow(/unknown kind "forever"/);
    expect(loadAppConfig({ SHORT_RETENTION_DAYS: 'outbox=14' }).shortRetentionDays).toMatchObject({ outbox: 14, sessions: 30 });
  });
});
