import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { asMunicipalityId } from '@madoguchi/kernel';
import { toCsv } from '@madoguchi/reporting';
import type { WorkflowActor } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { type Caller, CounterDriver, jst } from '../support/counter-e2e';
import { expectError, IdentityDriver } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import type { TestMailbox } from '../support/test-mailbox';

/**
 * Open data over HTTP without signing in: the DCAT catalog, every dataset as
 * CSV read back with an RFC 4180 reader, and as JSON; the columns must be
 * the ones stored in test/fixtures/opendata-columns.json (changing them
 * breaks every harvester and spreadsheet that reads them).
 *
 * No CSV library is installed, so parseCsv below is a strict RFC 4180
 * reader written for this test (quoted fields, doubled quotes, CRLF).
 */
const STORED_COLUMNS: Record<string, string[]> = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/opendata-columns.json'), 'utf8'));
const M1 = asMunicipalityId('990001');
const HOIKU_FORM = { applicantName: '窓口 花子', applicantKana: 'マドグチ ハナコ', phone: '03-1234-5678', childName: '窓口 太郎', facilityName: '桜ヶ丘保育園', reason: '就労', reasonContinues: true };

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (fieldStarted) throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      fieldStarted = true;
      i += 1;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i += 1;
    } else if (ch === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`CR without LF at ${i}`);
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += 2;
    } else if (ch === '\n') {
      throw new Error(`bare LF at ${i}`);
    } else {
      field += ch;
      fieldStarted = true;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (fieldStarted || row.length > 0) throw new Error('last line not ended with CRLF');
  return rows;
}

describe('open data (public, HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  const get = (url: string) => request(t.app.getHttpServer()).get(`/api/v1${url}`).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

  beforeAll(async () => {
    t = await createTestApp({ env: { OPENDATA_MIN_CELL_COUNT: '3' } });
    // Four 現況届 submitted online, two at the counter: 4 is published, 2 is suppressed.
    const actor: WorkflowActor = { kind: 'resident', id: randomUUID() };
    for (const channel of ['online', 'online', 'online', 'online', 'counter', 'counter'] as const) {
      const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: 'kosodate-13', channel, applicantId: actor.id, formData: HOIKU_FORM, actor });
      await t.get(ApplicationWorkflowService).transition(M1, draft.id, { type: 'resident.submit', actor, payload: {} });
    }
    // At the counter, 10:00–10:59 on 2026-11-22: four tickets, all called at 10:10, three served for 5 minutes, one no-show.
    const identity = new IdentityDriver(t, undefined as unknown as TestMailbox);
    const staff = (handle: { id: string; municipalityId: string }): Caller => ({ kind: 'staff', id: handle.id, municipalityId: handle.municipalityId });
    const admin = staff(await identity.administrator('opendata.admin'));
    const clerk = staff(await identity.staff('opendata.clerk', ['clerk']));
    const c = new CounterDriver(t);
    await c.createService(admin, 'certificates', 'E', { ja: '住民票・印鑑証明', en: 'Certificates' });
    const counter = await c.createCounter(admin, '市民課 1番窓口', ['certificates']);
    t.clock.set(jst('2026-11-22 10:00'));
    const tickets = [];
    for (let n = 0; n < 4; n += 1) tickets.push((await c.kiosk('certificates').expect(201)).body.id as string);
    for (const [index, ticket] of tickets.entries()) {
      t.clock.set(jst(`2026-11-22 10:${String(10 + index * 6).padStart(2, '0')}`));
      await c.callNext(clerk, counter).expect(200);
      if (index === 3) {
        await c.act(clerk, ticket, 'no-show');
        continue;
      }
      await c.act(clerk, ticket, 'start');
      t.clock.set(jst(`2026-11-22 10:${String(15 + index * 6).padStart(2, '0')}`));
      await c.act(clerk, ticket, 'finish');
    }
    t.clock.set(jst('2026-11-22 11:00'));
  });
  afterAll(() => t.close());

  it('lists the datasets as a DCAT catalog (JSON-LD) with publisher, CC BY 4.0, modified and CSV/JSON distributions', async () => {
    const response = await request(t.app.getHttpServer()).get('/api/v1/opendata').expect(200);
    const catalog = response.body;
    expect(catalog['@type']).toBe('dcat:Catalog');
    expect(catalog['@context']).toMatchObject({ dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/' });
    const ids = catalog['dcat:dataset'].map((dataset: Record<string, string>) => dataset['dct:identifier']);
    expect(ids).toEqual(Object.keys(STORED_COLUMNS).map((id) => `990001-${id}`));
    for (const dataset of catalog['dcat:dataset']) {
      expect(dataset).toMatchObject({
        '@type': 'dcat:Dataset',
        'dct:title': expect.arrayContaining([expect.objectContaining({ '@language': 'ja' })]),
        'dct:description': expect.any(Array),
        'dct:publisher': { 'foaf:name': expect.any(String) },
        'dct:license': { '@id': 'https://creativecommons.org/licenses/by/4.0/' },
        'dct:modified': { '@value': '2026-11-22' },
      });
      const formats = dataset['dcat:distribution'].map((distribution: Record<string, unknown>) => [distribution['dct:format'], distribution['dcat:mediaType']]);
      expect(formats).toEqual([['CSV', 'text/csv'], ['JSON', 'application/json']]);
    }
  });

  it.each(Object.keys(STORED_COLUMNS))('serves %s as CSV (BOM, CRLF, header row, stored columns) and JSON with the same columns and rows', async (dataset) => {
    const csv = await get(`/opendata/${dataset}.csv`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual(STORED_COLUMNS[dataset]);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row).toHaveLength(STORED_COLUMNS[dataset].length);

    const json = (await request(t.app.getHttpServer()).get(`/api/v1/opendata/${dataset}.json`).expect(200)).body;
    expect(json.columns).toEqual(STORED_COLUMNS[dataset]);
    expect(json.rows).toHaveLength(rows.length - 1);
    for (const row of json.rows) expect(Object.keys(row)).toEqual(STORED_COLUMNS[dataset]);
  });

  it('suppresses counts under the threshold with "*"', async () => {
    const json = (await request(t.app.getHttpServer()).get('/api/v1/opendata/applications-by-month.json').expect(200)).body;
    expect(json.rows).toEqual([
      { municipality_code: '990001', month: '2026-11', procedure_code: 'kosodate-13', channel: 'counter', applications: '*' },
      { municipality_code: '990001', month: '2026-11', procedure_code: 'kosodate-13', channel: 'online', applications: 4 },
    ]);
  });

  it('publishes counter waiting times per service and hour, with small counts and the averages over them suppressed', async () => {
    const json = (await request(t.app.getHttpServer()).get('/api/v1/opendata/counter-waiting-times.json').expect(200)).body;
    expect(json.rows).toEqual([
      {
        municipality_code: '990001',
        period_from: '2025-11-23',
        period_to: '2026-11-22',
        service_code: 'certificates',
        service_name_ja: '住民票・印鑑証明',
        service_name_en: 'Certificates',
        hour: 10,
        tickets: 4,
        called: 4,
        served: 3,
        // One no-show of four is under the threshold of 3, and so is the rate that would reveal it.
        no_shows: '*',
        no_show_rate: '*',
        average_wait_seconds: expect.any(Number),
        average_service_seconds: 300,
      },
    ]);
  });

  it('publishes the cashless share for each of the last 24 months; no fees paid is 0, not suppressed, and no share', async () => {
    const json = (await request(t.app.getHttpServer()).get('/api/v1/opendata/cashless-share.json').expect(200)).body;
    expect(json.rows).toHaveLength(24);
    expect(json.rows[0].month).toBe('2024-12');
    expect(json.rows[23]).toEqual({ municipality_code: '990001', month: '2026-11', fee_payments: 0, cashless_payments: 0, cashless_share: null, cashless_procedures: expect.any(Number) });
    expect(json.rows[23].cashless_procedures).toBeGreaterThan(0);
  });

  it('publishes the facility list in the 公共施設一覧 layout', async () => {
    const json = (await request(t.app.getHttpServer()).get('/api/v1/opendata/facilities.json').expect(200)).body;
    expect(json.rows[0]).toMatchObject({ 都道府県コード又は市区町村コード: '990001', NO: 1, 名称: expect.any(String), 利用可能曜日: expect.any(String) });
    // The optional facility details fill their columns; what a facility lacks stays empty.
    const centre = json.rows.find((row: Record<string, unknown>) => row['名称'] === '中央公民館');
    expect(centre).toMatchObject({
      名称_カナ: 'チュウオウコウミンカン',
      名称_英字: 'Central Community Centre',
      所在地_連結表記: '架空県桜ヶ丘市中央1丁目2番3号',
      緯度: 35.6581,
      経度: 139.3284,
      電話番号: '099-555-0101',
      URL: 'https://www.city.sakuragaoka.example.jp/shisetsu/chuo-kominkan/',
    });
    expect(json.rows.find((row: Record<string, unknown>) => row['名称'] === '河辺運動場').URL).toBeNull();
  });

  it('refuses an unknown dataset', async () => {
    expectError(await request(t.app.getHttpServer()).get('/api/v1/opendata/residents.csv'), 404, 'OPENDATA_DATASET_NOT_FOUND');
  });

  it('neutralises formula-like cells and quotes what RFC 4180 requires (writer unit)', () => {
    const csv = toCsv(['a', 'b'], [
      { a: '=HYPERLINK("http://x")', b: '+81' },
      { a: '-1', b: '@SUM(A1)' },
      { a: '\tTab', b: 'comma, "quote"\r\nnewline' },
      { a: null, b: 3 },
    ]);
    expect(csv.startsWith('\uFEFFa,b\r\n')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows).toEqual([
      ['a', 'b'],
      ["'=HYPERLINK(\"http://x\")", "'+81"],
      ["'-1", "'@SUM(A1)"],
      ["'\tTab", 'comma, "quote"\r\nnewline'],
      ['', '3'],
    ]);
  });
});
