import { asMunicipalityId } from '@madoguchi/kernel';
import { ProcedurePublishingService } from '@madoguchi/procedures';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import request from 'supertest';
import { parse } from 'yaml';
import { CONFIG_DIR, createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * The public HTTP surface end to end: Nest app, middleware, filter and a real
 * PostgreSQL, driven through supertest. The clock is fixed at 2026-11-22 (JST).
 */

interface Summary {
  code: string;
  version: number;
  name: { ja: string; en: string };
  category: string;
  nationalCategory: string | null;
  targeted: boolean;
  online: boolean;
}

interface KpiStatus {
  code: string;
  stage: string | null;
  online: boolean;
  onlineSince: string | null;
  offlineReasons: string[];
}

interface Kpi {
  municipalityId: string;
  asOf: string;
  targetedCount: number;
  onlineCount: number;
  target: { count: number; date: string };
  baseline: { count: number; date: string };
  gap: number;
  procedures: KpiStatus[];
  series: Array<{ month: string; online: number | null; plan: number }>;
}

/** The catalog files as data: what the API must report about each procedure. */
const catalog = readdirSync(path.join(CONFIG_DIR, 'procedures'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => parse(readFileSync(path.join(CONFIG_DIR, 'procedures', name), 'utf8')) as Summary & { steps: string[] });

const codesWhere = (predicate: (definition: (typeof catalog)[number]) => boolean) =>
  catalog
    .filter(predicate)
    .map((definition) => definition.code)
    .sort();
const codesOf = (body: Summary[]) => body.map((summary) => summary.code).sort();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The one error shape every failure has, plus the response's request id header. */
function expectErrorShape(response: request.Response, statusCode: number, code: string): void {
  expect(response.status).toBe(statusCode);
  expect(response.body).toMatchObject({
    statusCode,
    code,
    message: { ja: expect.any(String), en: expect.any(String) },
    requestId: expect.any(String),
  });
  expect(response.body.message.ja.length).toBeGreaterThan(0);
  expect(response.body.message.en.length).toBeGreaterThan(0);
  expect(response.headers['x-request-id']).toBe(response.body.requestId);
}

describe('HTTP API (supertest, real PostgreSQL)', () => {
  let t: TestApp;
  let server: Server;

  beforeAll(async () => {
    t = await createTestApp();
    server = t.app.getHttpServer();
  });
  afterAll(() => t.close());

  describe('health', () => {
    it('is live', async () => {
      const response = await request(server).get('/health/live').expect(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('is ready with the database up', async () => {
      const response = await request(server).get('/health/ready').expect(200);
      expect(response.body).toEqual({ status: 'ok', database: 'up' });
    });

    it('needs no municipality, even when an unknown one is named', async () => {
      const response = await request(server).get('/health/ready').set('X-Municipality-Id', '123456').expect(200);
      expect(response.body.database).toBe('up');
    });
  });

  describe('GET /procedures', () => {
    it('lists the whole catalog, newest version of each', async () => {
      const response = await request(server).get('/api/v1/procedures').expect(200);
      expect(response.body).toHaveLength(37);
      expect(codesOf(response.body)).toEqual(codesWhere(() => true));
      const juminhyo = (response.body as Summary[]).find((summary) => summary.code === 'juminhyo');
      expect(juminhyo).toMatchObject({ version: 1, category: 'certificate', targeted: true, online: true, name: { ja: '住民票の写しの交付請求' } });
      // A summary is a summary: no form schema, approval route or fee rule.
      expect(juminhyo).not.toHaveProperty('formSchema');
      expect(juminhyo).not.toHaveProperty('approvalRoute');
    });

    it('filters by category', async () => {
      const response = await request(server).get('/api/v1/procedures?category=subsidy').expect(200);
      expect(codesOf(response.body)).toEqual(codesWhere((definition) => definition.category === 'subsidy'));
      expect(response.body.length).toBeGreaterThan(1);
      const bookings = await request(server).get('/api/v1/procedures').query({ category: 'booking' }).expect(200);
      expect(codesOf(bookings.body)).toEqual(['kominkan-yoyaku', 'taiikukan-yoyaku']);
    });

    it('filters by national category', async () => {
      const response = await request(server).get('/api/v1/procedures?nationalCategory=kaigo').expect(200);
      expect(codesOf(response.body)).toEqual(codesWhere((definition) => definition.nationalCategory === 'kaigo'));
      expect(response.body).toHaveLength(11);
      const moving = await request(server).get('/api/v1/procedures?nationalCategory=hikkoshi').expect(200);
      expect(codesOf(moving.body)).toEqual(['tennyu-01', 'tenshutsu-01']);
    });

    it('filters by targeted', async () => {
      const targeted = await request(server).get('/api/v1/procedures?targeted=true').expect(200);
      expect(codesOf(targeted.body)).toEqual(codesWhere((definition) => definition.targeted));
      const untargeted = await request(server).get('/api/v1/procedures?targeted=false').expect(200);
      expect(codesOf(untargeted.body)).toEqual(codesWhere((definition) => !definition.targeted));
    });

    it('filters by online: the two halves partition the catalog', async () => {
      const online = await request(server).get('/api/v1/procedures?online=true').expect(200);
      const offline = await request(server).get('/api/v1/procedures?online=false').expect(200);
      expect((online.body as Summary[]).every((summary) => summary.online)).toBe(true);
      expect((offline.body as Summary[]).every((summary) => !summary.online)).toBe(true);
      expect([...codesOf(online.body), ...codesOf(offline.body)].sort()).toEqual(codesWhere(() => true));
      // Online channel open for years, delivered online.
      expect(codesOf(online.body)).toContain('juminhyo');
      // Online channel open, but identity must be shown in person.
      expect(codesOf(offline.body)).toContain('kosodate-14');
      expect(codesOf(offline.body)).toContain('tennyu-01');
      // Online channel planned, not open.
      expect(codesOf(offline.body)).toContain('bohan-camera-hojo');
    });

    it('searches names in Japanese and English, and codes', async () => {
      const japanese = await request(server).get('/api/v1/procedures').query({ q: '住民票' }).expect(200);
      expect(codesOf(japanese.body)).toEqual(['juminhyo']);
      const english = await request(server).get('/api/v1/procedures').query({ q: 'Certificate of RESIDENCE' }).expect(200);
      expect(codesOf(english.body)).toEqual(['juminhyo']);
      const partial = await request(server).get('/api/v1/procedures').query({ q: '予約' }).expect(200);
      expect(codesOf(partial.body)).toEqual(codesWhere((definition) => definition.name.ja.includes('予約')));
      expect(partial.body.length).toBeGreaterThanOrEqual(3);
      const byCode = await request(server).get('/api/v1/procedures').query({ q: 'kaigo-1' }).expect(200);
      expect(codesOf(byCode.body)).toEqual(['kaigo-10', 'kaigo-11']);
      const nothing = await request(server).get('/api/v1/procedures').query({ q: 'no such procedure' }).expect(200);
      expect(nothing.body).toEqual([]);
    });

    it('combines filters', async () => {
      const response = await request(server)
        .get('/api/v1/procedures')
        .query({ category: 'certificate', nationalCategory: 'kaigo', targeted: 'true', online: 'true' })
        .expect(200);
      expect(codesOf(response.body)).toEqual(['kaigo-05', 'kaigo-06']);
      const withText = await request(server).get('/api/v1/procedures').query({ category: 'booking', q: '体育館', online: 'true' }).expect(200);
      expect(codesOf(withText.body)).toEqual(['taiikukan-yoyaku']);
      const none = await request(server).get('/api/v1/procedures').query({ category: 'booking', nationalCategory: 'kosodate' }).expect(200);
      expect(none.body).toEqual([]);
    });

    it.each([
      ['an unknown category', 'category=parking', 'category'],
      ['an unknown national category', 'nationalCategory=kyoiku', 'nationalCategory'],
      ['a non-boolean targeted', 'targeted=yes', 'targeted'],
      ['a non-boolean online', 'online=1', 'online'],
      ['a search text over 100 characters', `q=${'a'.repeat(101)}`, 'q'],
      ['an unknown query parameter', 'colour=blue', 'colour'],
    ])('refuses %s with 400 VALIDATION_FAILED and details', async (_label, query, field) => {
      const response = await request(server).get(`/api/v1/procedures?${query}`);
      expectErrorShape(response, 400, 'VALIDATION_FAILED');
      const errors = response.body.details.errors as string[];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.some((message) => message.includes(field))).toBe(true);
    });
  });

  describe('GET /procedures/:code', () => {
    it('returns the public definition: form schema, fee and steps, never the approval route', async () => {
      const response = await request(server).get('/api/v1/procedures/juminhyo').expect(200);
      expect(response.body).toMatchObject({
        code: 'juminhyo',
        version: 1,
        category: 'certificate',
        identity: 'myNumberCardSignature',
        fee: { rule: 'perCopy', amount: 300, quantityField: 'copies' },
        steps: ['form', 'identity', 'fee', 'review', 'issue', 'notify'],
        document: { kind: 'certificate', delivery: 'online' },
      });
      expect(response.body.formSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['copies']) });
      expect(response.body.formSchema.properties.copies).toMatchObject({ type: 'integer', minimum: 1 });
      expect(response.body).not.toHaveProperty('approvalRoute');
      expect(response.body.fee).not.toHaveProperty('revenueAccountCode');
      expect(response.body.channels).toContainEqual({ channel: 'online', openedOn: '2021-04-01', open: true });
    });

    it('answers 404 PROCEDURE_NOT_FOUND for an unknown code', async () => {
      const response = await request(server).get('/api/v1/procedures/no-such-procedure');
      expectErrorShape(response, 404, 'PROCEDURE_NOT_FOUND');
    });
  });

  describe('tenancy', () => {
    it.each([
      ['an unknown municipality', '123456'],
      ['a malformed id', 'abc'],
    ])('answers 404 TENANCY_UNKNOWN_MUNICIPALITY for %s', async (_label, id) => {
      const response = await request(server).get('/api/v1/procedures').set('X-Municipality-Id', id);
      expectErrorShape(response, 404, 'TENANCY_UNKNOWN_MUNICIPALITY');
      const kpi = await request(server).get('/api/v1/kpi/online-procedures').set('X-Municipality-Id', id);
      expectErrorShape(kpi, 404, 'TENANCY_UNKNOWN_MUNICIPALITY');
    });

    it('serves the second municipality, whose published versions stay its own', async () => {
      const before = await request(server).get('/api/v1/procedures').set('X-Municipality-Id', OTHER_MUNICIPALITY).expect(200);
      expect(before.body).toHaveLength(37);

      const v1 = parse(readFileSync(path.join(CONFIG_DIR, 'procedures', 'juminhyo.yaml'), 'utf8')) as Record<string, unknown>;
      const v2 = { ...v1, version: 2, name: { ja: '住民票の写しの交付請求（第2版）', en: 'Request for a certificate of residence (v2)' }, fee: { ...(v1.fee as object), amount: 350 } };
      await t.get(ProcedurePublishingService).publish(asMunicipalityId(OTHER_MUNICIPALITY), v2, 'e2e-test');

      const other = await request(server).get('/api/v1/procedures/juminhyo').set('X-Municipality-Id', OTHER_MUNICIPALITY).expect(200);
      expect(other.body).toMatchObject({ version: 2, name: { en: 'Request for a certificate of residence (v2)' }, fee: { amount: 350 } });
      const otherList = await request(server).get('/api/v1/procedures').query({ q: 'juminhyo' }).set('X-Municipality-Id', OTHER_MUNICIPALITY).expect(200);
      expect(otherList.body.map((summary: Summary) => [summary.code, summary.version])).toEqual([['juminhyo', 2]]);

      const sample = await request(server).get('/api/v1/procedures/juminhyo').set('X-Municipality-Id', SAMPLE_MUNICIPALITY).expect(200);
      expect(sample.body).toMatchObject({ version: 1, name: { en: 'Request for a certificate of residence' }, fee: { amount: 300 } });
      // Without the header: the instance default, the sample city.
      const byDefault = await request(server).get('/api/v1/procedures/juminhyo').expect(200);
      expect(byDefault.body.version).toBe(1);
      const sampleList = await request(server).get('/api/v1/procedures').query({ q: 'juminhyo' }).expect(200);
      expect(sampleList.body.map((summary: Summary) => [summary.code, summary.version])).toEqual([['juminhyo', 1]]);

      const kpi = await request(server).get('/api/v1/kpi/online-procedures').set('X-Municipality-Id', OTHER_MUNICIPALITY).expect(200);
      expect(kpi.body.municipalityId).toBe(OTHER_MUNICIPALITY);
    });
  });

  describe('GET /kpi/online-procedures', () => {
    let kpi: Kpi;

    beforeAll(async () => {
      kpi = (await request(server).get('/api/v1/kpi/online-procedures').expect(200)).body as Kpi;
    });

    it('counts targeted and online procedures against the target', () => {
      expect(kpi.municipalityId).toBe(SAMPLE_MUNICIPALITY);
      expect(kpi.asOf).toBe('2026-11-22');
      expect(kpi.targetedCount).toBe(37);
      expect(kpi.target).toEqual({ count: 30, date: '2026-03-31' });
      expect(kpi.baseline).toEqual({ count: 2, date: '2023-03-31' });
      expect(kpi.onlineCount).toBe(kpi.procedures.filter((procedure) => procedure.online).length);
      expect(kpi.onlineCount).toBeGreaterThan(2);
      expect(kpi.onlineCount).toBeLessThan(37);
      expect(kpi.gap).toBe(Math.max(0, 30 - kpi.onlineCount));
    });

    it('agrees with the online filter of the listing', async () => {
      const online = await request(server).get('/api/v1/procedures?targeted=true&online=true').expect(200);
      expect(codesOf(online.body)).toEqual(kpi.procedures.filter((procedure) => procedure.online).map((procedure) => procedure.code).sort());
    });

    it('lists every targeted procedure with its stage and why it is not online', () => {
      expect(kpi.procedures).toHaveLength(37);
      const byCode = new Map(kpi.procedures.map((procedure) => [procedure.code, procedure]));
      expect(byCode.get('juminhyo')).toMatchObject({ stage: 'operate', online: true, onlineSince: '2021-04-01', offlineReasons: [] });
      expect(byCode.get('kaigo-04')).toMatchObject({ stage: 'draft', online: false, offlineReasons: ['onlineNotYetOpen'] });
      expect(byCode.get('bohan-camera-hojo')).toMatchObject({ stage: 'implement', online: false, onlineSince: null });
      expect(byCode.get('kosodate-06')).toMatchObject({ stage: 'study', online: false });
      expect(byCode.get('kosodate-14')).toMatchObject({ online: false, offlineReasons: ['identityInPerson'] });
      for (const procedure of kpi.procedures) {
        expect(procedure.online).toBe(procedure.offlineReasons.length === 0);
      }
    });

    it('has a monthly series from the baseline with the straight plan line from 2 to 30', () => {
      const { series } = kpi;
      expect(series[0]).toEqual({ month: '2023-03-31', online: 2, plan: 2 });
      const targetMonth = series.find((point) => point.month === '2026-03-31');
      expect(targetMonth?.plan).toBe(30);
      // One point per month end, in order, none missing.
      for (let index = 1; index < series.length; index += 1) {
        const previous = new Date(`${series[index - 1].month}T00:00:00Z`);
        const current = new Date(`${series[index].month}T00:00:00Z`);
        const expected = new Date(Date.UTC(previous.getUTCFullYear(), previous.getUTCMonth() + 2, 0));
        expect(current).toEqual(expected);
        expect(series[index].plan).toBeGreaterThanOrEqual(series[index - 1].plan);
      }
      // Flat at the target after the target date.
      expect(series.filter((point) => point.month > '2026-03-31').every((point) => point.plan === 30)).toBe(true);
      // The online count never falls and ends at today's count.
      const online = series.map((point) => point.online as number);
      expect(online.every((count) => count !== null)).toBe(true);
      expect(online.every((count, index) => index === 0 || count >= online[index - 1])).toBe(true);
      expect(online[online.length - 1]).toBe(kpi.onlineCount);
    });

    it('names the two baseline procedures online on 2023-03-31', async () => {
      const response = await request(server).get('/api/v1/kpi/online-procedures?asOf=2023-03-31').expect(200);
      const atBaseline = response.body as Kpi;
      expect(atBaseline.onlineCount).toBe(2);
      expect(atBaseline.procedures.filter((procedure) => procedure.online).map((procedure) => procedure.code).sort()).toEqual(['juminhyo', 'kosodate-15']);
    });

    it('reports an earlier date with fewer procedures online and no figures after it', async () => {
      const response = await request(server).get('/api/v1/kpi/online-procedures').query({ asOf: '2024-03-31' }).expect(200);
      const earlier = response.body as Kpi;
      expect(earlier.asOf).toBe('2024-03-31');
      expect(earlier.targetedCount).toBe(37);
      expect(earlier.onlineCount).toBeLessThan(kpi.onlineCount);
      expect(earlier.onlineCount).toBeGreaterThan(2);
      expect(earlier.gap).toBe(30 - earlier.onlineCount);
      expect(earlier.series.find((point) => point.month === '2024-03-31')?.online).toBe(earlier.onlineCount);
      expect(earlier.series.filter((point) => point.month > '2024-03-31').every((point) => point.online === null)).toBe(true);
      // Opened online on 2025-04-01: not yet online then, online now.
      expect(earlier.procedures.find((procedure) => procedure.code === 'nozei-shomei')).toMatchObject({ online: false, offlineReasons: ['onlineNotYetOpen'] });
      expect(kpi.procedures.find((procedure) => procedure.code === 'nozei-shomei')?.online).toBe(true);
    });

    it.each(['2023-13-01', '2023-02-30', '2024-3-31', 'yesterday'])('refuses asOf=%s with 400', async (asOf) => {
      const response = await request(server).get('/api/v1/kpi/online-procedures').query({ asOf });
      expectErrorShape(response, 400, 'VALIDATION_FAILED');
      expect((response.body.details.errors as string[]).some((message) => message.includes('asOf'))).toBe(true);
    });
  });

  describe('error shapes and request ids', () => {
    it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
      const response = await request(server).post('/api/v1/procedures').set('Content-Type', 'application/json').send('{bad');
      expectErrorShape(response, 400, 'MALFORMED_JSON');
    });

    it('answers a body above the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const big = JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) });
      const response = await request(server).post('/api/v1/procedures').set('Content-Type', 'application/json').send(big);
      expectErrorShape(response, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers an unknown route with 404 NOT_FOUND', async () => {
      const response = await request(server).get('/api/v1/no/such/route');
      expectErrorShape(response, 404, 'NOT_FOUND');
      const post = await request(server).post('/api/v1/procedures/juminhyo').send({ copies: 1 });
      expectErrorShape(post, 404, 'NOT_FOUND');
    });

    it('gives every response a request id', async () => {
      const response = await request(server).get('/health/live').expect(200);
      expect(response.headers['x-request-id']).toMatch(UUID);
      const other = await request(server).get('/health/live').expect(200);
      expect(other.headers['x-request-id']).not.toBe(response.headers['x-request-id']);
    });

    it('echoes a sane incoming X-Request-Id, in the header and the error body', async () => {
      const ok = await request(server).get('/api/v1/procedures/juminhyo').set('X-Request-Id', 'trace-42.a_B').expect(200);
      expect(ok.headers['x-request-id']).toBe('trace-42.a_B');
      const failed = await request(server).get('/api/v1/procedures/nope').set('X-Request-Id', 'trace-43');
      expectErrorShape(failed, 404, 'PROCEDURE_NOT_FOUND');
      expect(failed.body.requestId).toBe('trace-43');
      const malformed = await request(server).post('/api/v1/procedures').set('X-Request-Id', 'trace-44').set('Content-Type', 'application/json').send('{bad');
      expectErrorShape(malformed, 400, 'MALFORMED_JSON');
      expect(malformed.body.requestId).toBe('trace-44');
    });

    it.each([
      ['too long', 'a'.repeat(200)],
      ['with spaces', 'two words'],
      ['with odd characters', 'id<script>'],
    ])('replaces an insane incoming X-Request-Id (%s)', async (_label, incoming) => {
      const response = await request(server).get('/api/v1/procedures/nope').set('X-Request-Id', incoming);
      expectErrorShape(response, 404, 'PROCEDURE_NOT_FOUND');
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.body.requestId).toMatch(UUID);
    });
  });

  describe('OpenAPI', () => {
    it('serves the docs page', async () => {
      const response = await request(server).get('/api/docs').redirects(1).expect(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toMatch(/swagger/i);
    });

    it('serves the document with the public paths', async () => {
      const response = await request(server).get('/api/docs-json').expect(200);
      expect(response.body.openapi).toMatch(/^3\./);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/procedures', '/api/v1/procedures/{code}', '/api/v1/kpi/online-procedures', '/health/ready', '/health/live']),
      );
      const search = response.body.paths['/api/v1/procedures'].get;
      expect(search.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
        expect.arrayContaining(['category', 'nationalCategory', 'targeted', 'online', 'q']),
      );
    });
  });
});
