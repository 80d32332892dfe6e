import { type Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { AccessRule } from '@madoguchi/kernel';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { listRoutes, type RouteInfo } from '../support/route-inventory';
import { createTestApp, type TestApp } from '../support/test-app';
import { RESPONSE_SCHEMAS } from '../../apps/api/src/openapi/response-schemas.generated';

/**
 * Issue 11: the OpenAPI document says what a client needs for every
 * operation. The facts it must agree with are read from the code (access
 * rules and handler parameters from Nest's metadata, error codes from the
 * typed error classes), never from a hand list, so a new route or code that
 * is not described fails here, naming it.
 */

type Json = Record<string, any>;
const REPO = path.resolve(__dirname, '../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const ERROR_REF = '#/components/schemas/ErrorResponse';

/** Controllers the document leaves out on purpose (the simulated payment provider's pages and API). */
function excludedControllers(app: TestApp['app']): Set<string> {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  return new Set(
    discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype as Type | null)
      .filter((controller): controller is Type => Boolean(controller && Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, controller)?.[0]))
      .map((controller) => controller.name),
  );
}

/** Handlers that take the Idempotency-Key header as a parameter, straight from Nest's route-argument metadata. */
function readsIdempotencyKey(app: TestApp['app'], route: RouteInfo): boolean {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const controller = discovery.getControllers().find((wrapper) => (wrapper.metatype as Type | null)?.name === route.controller)?.metatype as Type;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, route.handler) ?? {}) as Record<string, { data?: unknown }>;
  return Object.entries(args).some(([key, arg]) => Number(key.split(':')[0]) === RouteParamtypes.HEADERS && String(arg.data).toLowerCase() === 'idempotency-key');
}

/** Every stable code the typed error classes (and the exception filter's generic answers) can produce. */
function errorCodesInSource(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name)) files.push(full);
    }
  };
  walk(path.join(REPO, 'libs'));
  const codes = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const isErrorSource = file.endsWith('.errors.ts') || /extends (RequestError|DomainError)\b/.test(text) || file.endsWith('domain-exception.filter.ts');
    if (!isErrorSource) continue;
    for (const match of text.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) codes.add(match[1]);
    for (const match of text.matchAll(/code: '([A-Z]+)'/g)) codes.add(match[1]);
  }
  return [...codes].sort();
}

describe('OpenAPI document (issue 11)', () => {
  let t: TestApp;
  let document: Json;
  let routes: RouteInfo[];
  const operations = new Map<string, { route: RouteInfo; operation: Json; where: string }>();

  beforeAll(async () => {
    t = await createTestApp();
    const response = await request(t.app.getHttpServer() as Server).get('/api/docs-json').expect(200);
    document = response.body;
    const excluded = excludedControllers(t.app);
    routes = listRoutes(t.app).filter((route) => !excluded.has(route.controller));
    const byId = new Map<string, { operation: Json; where: string }>();
    for (const [pathKey, item] of Object.entries(document.paths as Json)) {
      for (const method of METHODS) if (item[method]) byId.set(item[method].operationId, { operation: item[method], where: `${method.toUpperCase()} ${pathKey}` });
    }
    for (const route of routes) {
      const found = byId.get(`${route.controller}_${route.handler}`);
      if (found) operations.set(route.key, { route, ...found });
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const resolve = (value: Json | undefined): Json | undefined => {
    let current = value;
    for (let hops = 0; current?.$ref && hops < 5; hops++) {
      const [, , kind, name] = String(current.$ref).split('/');
      current = document.components?.[kind]?.[name];
    }
    return current;
  };

  it('has an operation for every route Nest serves (except the excluded simulator)', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.filter((route) => !operations.has(route.key)).map((route) => route.key)).toEqual([]);
  });

  it('resolves every $ref it uses', () => {
    const dangling = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const ref = (value as Json).$ref;
        if (typeof ref === 'string' && !resolve({ $ref: ref })) dangling.add(ref);
        Object.values(value).forEach(walk);
      }
    };
    walk(document);
    expect([...dangling]).toEqual([]);
  });

  it('declares the bearer, session-cookie and CSRF security schemes', () => {
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'madoguchi_session' }),
      csrf: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' }),
    });
  });

  it('gives every operation the security, roles and x-madoguchi-access of its access rule', () => {
    const wrong: string[] = [];
    for (const { route, operation, where } of operations.values()) {
      const rule = route.rule as AccessRule;
      const expected =
        rule.kind === 'public'
          ? []
          : [{ bearer: [] }, SAFE.has(route.method) ? { session: [] } : { session: [], csrf: [] }];
      if (JSON.stringify(operation.security) !== JSON.stringify(expected)) wrong.push(`${where}: security ${JSON.stringify(operation.security)}`);
      if (JSON.stringify(operation['x-madoguchi-access']) !== JSON.stringify(rule)) wrong.push(`${where}: x-madoguchi-access`);
      const description = String(operation.description ?? '');
      if (!description.startsWith('Access:')) wrong.push(`${where}: no access line`);
      if (rule.kind === 'staff' && !rule.roles.every((role) => description.includes(role))) wrong.push(`${where}: roles missing from description`);
    }
    expect(wrong).toEqual([]);
  });

  it('describes the body of every success response (a schema, a declared non-JSON type, or none where the handler returns nothing)', () => {
    const missing: string[] = [];
    for (const { route, operation, where } of operations.values()) {
      // A handler typed `Promise<void>` answers with no body (freshness of this list: openapi-response-schemas.spec.ts).
      const returnsNothing = RESPONSE_SCHEMAS.operations[`${route.controller}_${route.handler}`] === null;
      const successes = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      const described = successes.some(([status, response]) => {
        if (status === '204' || returnsNothing) return true;
        const content = (response as Json).content as Json | undefined;
        if (!content) return false;
        return Object.entries(content).some(([type, media]) => (type === 'application/json' ? Object.keys(media.schema ?? {}).length > 0 : Boolean(media.schema)));
      });
      if (!described) missing.push(where);
    }
    expect(missing).toEqual([]);
  });

  it('references the shared ErrorResponse from the error answers each kind of operation can give', () => {
    const missing: string[] = [];
    for (const { route, operation, where } of operations.values()) {
      const statuses = route.rule?.kind === 'public' ? ['400', '404', '409', '422', '429'] : ['400', '401', '403', '404', '409', '422', '429'];
      for (const status of statuses) {
        const schema = resolve(operation.responses?.[status])?.content?.['application/json']?.schema;
        if (schema?.$ref !== ERROR_REF) missing.push(`${where} ${status}`);
      }
      if (route.rule?.kind === 'public' && (operation.responses?.['401'] || operation.responses?.['403'])) missing.push(`${where}: public but 401/403`);
    }
    expect(missing).toEqual([]);
    const error = document.components.schemas.ErrorResponse;
    expect(Object.keys(error.properties)).toEqual(['statusCode', 'code', 'message', 'details', 'requestId']);
    expect(error.properties.message.required).toEqual(['ja', 'en']);
  });

  it('lists every stable error code of the typed error classes', () => {
    const described = String(document.components.schemas.ErrorResponse.properties.code.description);
    const codes = errorCodesInSource();
    expect(codes.length).toBeGreaterThan(150);
    expect(codes.filter((code) => !new RegExp(`\\b${code}\\b`).test(described))).toEqual([]);
  });

  it('declares Idempotency-Key, optional, on exactly the handlers that read it', () => {
    const wrong: string[] = [];
    let honoured = 0;
    for (const { route, operation, where } of operations.values()) {
      const headers = (operation.parameters ?? []).filter((parameter: Json) => parameter.in === 'header' && String(parameter.name).toLowerCase() === 'idempotency-key');
      if (headers.length > 1) wrong.push(`${where}: Idempotency-Key declared ${headers.length} times`);
      const header = headers[0];
      if (readsIdempotencyKey(t.app, route)) {
        honoured++;
        if (!header) wrong.push(`${where}: reads Idempotency-Key but does not declare it`);
        else if (header.required === true) wrong.push(`${where}: Idempotency-Key declared required`);
      } else if (header) wrong.push(`${where}: declares Idempotency-Key but ignores it`);
    }
    expect(wrong).toEqual([]);
    expect(honoured).toBeGreaterThanOrEqual(6);
  });
});
