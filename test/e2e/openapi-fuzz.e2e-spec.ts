import fc from 'fast-check';
import type { Server } from 'node:http';
import request from 'supertest';
import { IdentityDriver } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';

/**
 * Issue 10 ("Trust"): every operation the OpenAPI document describes, called
 * by every kind of caller with generated bad requests. No answer may be a
 * 5xx; the test lists every 5xx with method, path, caller and input.
 *
 * The generator is fast-check with a fixed seed, so a failure names inputs
 * that reproduce on the next run.
 */

const SEED = 20261122;
/** Small, so "over the body limit" costs little to send. */
const BODY_LIMIT_BYTES = 64 * 1024;

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  template: string;
  pathParams: string[];
  queryParams: string[];
  hasBody: boolean;
}

interface BadRequest {
  label: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

type OpenApi = { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: unknown }>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operations(document: OpenApi): Operation[] {
  const list: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = operation.parameters ?? [];
      list.push({
        method,
        template,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        hasBody: operation.requestBody !== undefined || method !== 'get',
      });
    }
  }
  return list;
}

/** Hostile path segments, already percent-encoded as a client would put them on the wire. */
const HOSTILE_SEGMENTS = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%FF',
  '%E3%81',
  '%',
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '-1',
  '0',
  '99999999999999999999999',
  '1e308',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '%27%20OR%201%3D1--',
  encodeURIComponent('住民票'),
  'x'.repeat(4000),
  '%F0%9F%8F%A0',
];

const HOSTILE_QUERY_VALUES = [
  '%00',
  '%ED%A0%80',
  '%FF',
  '-1',
  '-99999999999999999999',
  '99999999999999999999',
  '1e308',
  'NaN',
  'true',
  '2026-13-45',
  '0000-00-00',
  '9999-12-31',
  '-000001-01-01',
  '2026-02-30T25:61:00Z',
  'x'.repeat(4000),
  '%27%3B%20DROP%20TABLE%20x--',
];

/** JSON values of the wrong type where an object (or a field of one) is expected. */
const WRONG_JSON = [
  '[]',
  '[{}]',
  'null',
  '0',
  '-1',
  '1e309',
  '"text"',
  'true',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
];

function fieldValues(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(null, -1, 0, -2147483649, 2 ** 53 + 1, 1e308, -1e308, '', ' ', '-1', 'NaN', true, [], {}, [[]], [{}], '9999-99-99', '../../etc/passwd', 'x'.repeat(20_000)),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  );
}

/** A body for one operation: a random object over plausible field names, or the wrong JSON altogether. */
function bodies(fieldNames: string[], count: number, seed: number): string[] {
  const names = fieldNames.length > 0 ? fieldNames : ['name', 'id'];
  const objects = fc.sample(fc.dictionary(fc.constantFrom(...names), fieldValues(), { maxKeys: names.length }), { seed, numRuns: count });
  return objects.map((object) => JSON.stringify(object));
}

function fillPath(template: string, params: string[], value: (name: string) => string): string {
  let path = template;
  for (const name of params) path = path.replace(`{${name}}`, value(name));
  return path;
}

/** Field names the components declare, to make generated bodies look like the real thing. */
function allFieldNames(document: OpenApi & { components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> } }): string[] {
  const names = new Set<string>();
  for (const schema of Object.values(document.components?.schemas ?? {})) for (const name of Object.keys(schema.properties ?? {})) names.add(name);
  return [...names];
}

function badRequests(operation: Operation, fieldNames: string[], index: number): BadRequest[] {
  const plain = () => '00000000-0000-4000-8000-000000000000';
  const requests: BadRequest[] = [];
  const segmentAt = (offset: number) => HOSTILE_SEGMENTS[(index + offset) % HOSTILE_SEGMENTS.length];
  // Path parameters: every hostile segment in the first parameter (a few in later ones).
  if (operation.pathParams.length > 0) {
    for (const segment of HOSTILE_SEGMENTS) {
      requests.push({ label: `path ${segment.slice(0, 40)}`, path: fillPath(operation.template, operation.pathParams, (name) => (name === operation.pathParams[0] ? segment : plain())) });
    }
    for (const name of operation.pathParams.slice(1)) {
      requests.push({ label: `path ${name}=${segmentAt(1)}`, path: fillPath(operation.template, operation.pathParams, (n) => (n === name ? segmentAt(1) : plain())) });
    }
  }
  const base = fillPath(operation.template, operation.pathParams, plain);
  // Query parameters: declared ones with hostile values, arrays and objects where strings are expected.
  const queryNames = operation.queryParams.length > 0 ? operation.queryParams : ['q'];
  for (const [n, value] of HOSTILE_QUERY_VALUES.entries()) {
    const name = queryNames[n % queryNames.length];
    requests.push({ label: `query ${name}=${value.slice(0, 40)}`, path: `${base}?${queryNames.map((q) => `${q}=${q === name ? value : '1'}`).join('&')}` });
  }
  for (const name of queryNames) {
    requests.push({ label: `query ${name}[]`, path: `${base}?${name}=a&${name}=b&${name}[]=c` });
    requests.push({ label: `query ${name}[x]`, path: `${base}?${name}[x][y]=1` });
  }
  // From and to swapped and far apart, where a route takes a period.
  if (queryNames.includes('from') || queryNames.includes('to')) {
    requests.push({ label: 'period reversed', path: `${base}?from=2026-12-31&to=2026-01-01` });
    requests.push({ label: 'period huge', path: `${base}?from=0001-01-01&to=9999-12-31` });
  }
  if (operation.method === 'get' || operation.method === 'delete') return requests;
  // Bodies.
  for (const json of WRONG_JSON) requests.push({ label: `json ${json.slice(0, 40)}`, path: base, contentType: 'application/json', body: json });
  for (const [n, json] of bodies(fieldNames, 4, SEED + index).entries()) requests.push({ label: `fields #${n} ${json.slice(0, 80)}`, path: base, contentType: 'application/json', body: json });
  requests.push(
    { label: 'invalid json', path: base, contentType: 'application/json', body: '{"a":' },
    { label: 'empty json', path: base, contentType: 'application/json', body: '' },
    { label: 'text/plain', path: base, contentType: 'text/plain', body: 'hello' },
    { label: 'xml', path: base, contentType: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
    { label: 'multipart', path: base, contentType: 'multipart/form-data; boundary=X', body: '--X\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--X--\r\n' },
    { label: 'json charset latin1', path: base, contentType: 'application/json; charset=latin1', body: '{}' },
    { label: 'json bad utf-8 bytes', path: base, contentType: 'application/json', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    { label: 'json nested deep', path: base, contentType: 'application/json', body: '['.repeat(5000) + ']'.repeat(5000) },
    { label: 'json under limit', path: base, contentType: 'application/json', body: JSON.stringify({ name: 'あ'.repeat(Math.floor((BODY_LIMIT_BYTES - 100) / 3)) }) },
    { label: 'json over limit', path: base, contentType: 'application/json', body: JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES + 10) }) },
    { label: 'bad X-File-Name', path: base, contentType: 'application/octet-stream', body: Buffer.from('%PDF-1.4\n'), headers: { 'X-File-Name': '%ED%A0%80', 'Idempotency-Key': 'k'.repeat(300) } },
  );
  return requests;
}

describe('OpenAPI-driven fuzz: no bad request gets a 5xx (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let server: Server;
  const callers: Array<{ name: string; token: string | null }> = [{ name: 'anonymous', token: null }];

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url, BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) } });
    const id = new IdentityDriver(t, mailbox);
    server = id.server;
    callers.push({ name: 'resident', token: (await id.resident('fuzz.resident@example.jp')).token });
    callers.push({ name: 'clerk', token: (await id.staff('fuzz.clerk', ['clerk'], { departments: ['shimin'] })).token });
    callers.push({ name: 'administrator', token: (await id.administrator('fuzz.admin')).token });
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

  it('answers every generated bad request with something other than a 5xx', async () => {
    const docs = await request(server).get('/api/docs-json').expect(200);
    const document = docs.body as OpenApi;
    const ops = operations(document);
    // Sessions ending mid-run would turn the rest into 401s: sign-out routes go last.
    ops.sort((a, b) => Number(/logout|sessions|revoke/.test(a.template)) - Number(/logout|sessions|revoke/.test(b.template)));
    expect(ops.length).toBeGreaterThan(50);
    const fieldNames = allFieldNames(document);
    const failures: string[] = [];
    let sent = 0;
    for (const [index, operation] of ops.entries()) {
      const cases = badRequests(operation, fieldNames, index);
      // Each case goes to one caller, a different one per operation, so every
      // caller meets every kind of case across the run at a quarter of the cost.
      for (const [n, bad] of cases.entries()) {
        {
          const caller = callers[(n + index) % callers.length];
          let call = request(server)[operation.method](bad.path);
          if (caller.token) call = call.set('Authorization', `Bearer ${caller.token}`);
          for (const [name, value] of Object.entries(bad.headers ?? {})) call = call.set(name, value);
          if (bad.contentType !== undefined) call = call.set('Content-Type', bad.contentType);
          let status: number;
          try {
            const response = await (bad.body !== undefined ? call.send(bad.body) : call);
            status = response.status;
            if (status >= 500) failures.push(`${status} ${operation.method.toUpperCase()} ${bad.path.slice(0, 120)} as ${caller.name}: ${bad.label} -> ${JSON.stringify(response.body).slice(0, 120)}`);
          } catch (error) {
            failures.push(`no answer ${operation.method.toUpperCase()} ${bad.path.slice(0, 120)} as ${caller.name}: ${bad.label} (${String(error).slice(0, 80)})`);
          }
          sent += 1;
        }
      }
    }
    process.stdout.write(`openapi fuzz: ${ops.length} operations x ${callers.length} callers, ${sent} requests, ${failures.length} 5xx\n`);
    expect(failures).toEqual([]);
  }, 600_000);
});
