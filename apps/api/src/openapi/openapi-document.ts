import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ResponseObject, SchemaObject } from '@nestjs/swagger';

import type { AccessRule } from '@madoguchi/kernel';
import { ERROR_CODES } from './error-codes';
import { listOperations, type OperationFacts } from './operation-catalog';
import { RESPONSE_SCHEMAS } from './response-schemas.generated';

/** Security scheme names, as operations reference them. */
export const SECURITY_SCHEMES = { bearer: 'bearer', session: 'session', csrf: 'csrf' } as const;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** The error answers an operation can give, by who may call it. Public operations never refuse for want of a sign-in. */
const ERROR_RESPONSES: Record<string, { name: string; description: string }> = {
  '400': { name: 'BadRequest', description: 'The request is malformed or fails validation (VALIDATION_FAILED, BAD_REQUEST, …).' },
  '401': { name: 'Unauthorized', description: 'No valid access token or session (AUTH_UNAUTHENTICATED, AUTH_TOKEN_INVALID).' },
  '403': { name: 'Forbidden', description: 'Signed in but not allowed: wrong role, other municipality, or missing CSRF token (AUTH_FORBIDDEN, AUTH_TENANT_MISMATCH, AUTH_CSRF_FAILED).' },
  '404': { name: 'NotFound', description: 'No such record, or one the caller may not see (never 403 for someone else’s data).' },
  '409': { name: 'Conflict', description: 'The record is in a state that does not allow this, or an Idempotency-Key conflict.' },
  '422': { name: 'UnprocessableEntity', description: 'The request is well-formed but breaks a business rule (e.g. APPLICATION_FORM_INVALID).' },
  '429': { name: 'TooManyRequests', description: 'Rate limited (RATE_LIMITED, AUTH_RATE_LIMITED); see Retry-After.' },
};
const PUBLIC_ERRORS = ['400', '404', '409', '422', '429'];
const SIGNED_IN_ERRORS = ['400', '401', '403', '404', '409', '422', '429'];

/** The shared error shape (libs/kernel ErrorBody), with every stable code. */
function errorResponseSchema(): SchemaObject {
  return {
    type: 'object',
    required: ['statusCode', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer', example: 404 },
      code: {
        type: 'string',
        example: 'APPLICATION_NOT_FOUND',
        description: `Stable machine-readable code; clients branch on it, never on the message. Known codes: ${ERROR_CODES.join(', ')}.`,
      },
      message: {
        type: 'object',
        required: ['ja', 'en'],
        properties: { ja: { type: 'string' }, en: { type: 'string' } },
        description: 'What to show the person, in Japanese and English.',
      },
      details: { type: 'object', additionalProperties: true, description: 'Code-specific facts, e.g. the form problems of APPLICATION_FORM_INVALID.' },
      requestId: { type: 'string', description: 'The X-Request-Id of the request, to quote to support.' },
    },
  };
}

/** One line a person reads, saying who may call the operation. */
export function describeAccess(rule: AccessRule): string {
  switch (rule.kind) {
    case 'public':
      return 'Access: public (no sign-in).';
    case 'resident':
      return 'Access: a signed-in resident (their own records only).';
    case 'authenticated':
      return 'Access: any signed-in resident or staff member.';
    case 'staff': {
      const scope = rule.scope
        ? ` Department-scoped (${rule.scope.subject}): ${rule.scope.roles.join(', ')} reach their own departments' records; ${rule.scope.municipalityWide.join(', ') || 'nobody'} reach every department's.`
        : '';
      return `Access: staff with a role among ${rule.roles.join(', ')}.${scope}`;
    }
  }
}

/** Bearer token, or the session cookie plus the CSRF header on a change. */
function securityFor(rule: AccessRule, httpMethod: string): Array<Record<string, string[]>> {
  if (rule.kind === 'public') return [];
  const cookie: Record<string, string[]> = SAFE_METHODS.has(httpMethod) ? { [SECURITY_SCHEMES.session]: [] } : { [SECURITY_SCHEMES.session]: [], [SECURITY_SCHEMES.csrf]: [] };
  return [{ [SECURITY_SCHEMES.bearer]: [] }, cookie];
}

/**
 * `@Headers('idempotency-key')` on a handler makes @nestjs/swagger add a
 * required lower-case header next to the declared optional `Idempotency-Key`;
 * headers are case-insensitive, so keep only the declared one.
 */
function dropDuplicateHeaders(operation: OperationObject): void {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  const declared = new Set(parameters.filter((parameter) => parameter.in === 'header' && parameter.name !== parameter.name.toLowerCase()).map((parameter) => parameter.name.toLowerCase()));
  operation.parameters = parameters.filter((parameter) => !(parameter.in === 'header' && parameter.name === parameter.name.toLowerCase() && declared.has(parameter.name)));
}

function isSuccess(status: string): boolean {
  return /^2\d\d$/.test(status);
}

/** The success response's body from the handler's own return type, unless a decorator (ApiFileResponse) already declared a file or page. */
function describeSuccess(operation: OperationObject, facts: OperationFacts): void {
  const responses = operation.responses as Record<string, ResponseObject>;
  const generated = RESPONSE_SCHEMAS.operations[facts.operationId];
  for (const [status, response] of Object.entries(responses)) {
    if (!isSuccess(status) || response.content) continue;
    if (generated === null) {
      // The handler returns nothing: say so rather than leave the body unknown.
      response.description ||= 'No body.';
    } else if (generated !== undefined) {
      response.content = { 'application/json': { schema: generated as SchemaObject } };
    }
  }
}

/**
 * Completes what @nestjs/swagger reads from the decorators with what the code
 * already knows: each operation's security and allowed roles from its access
 * rule, the shared error answers, and the success body from the handler's
 * return type. Done here, in one place, so no route needs a hand-written copy
 * that could drift from the guard.
 */
export function completeDocument(document: OpenAPIObject, operations: OperationFacts[]): OpenAPIObject {
  const byId = new Map(operations.map((facts) => [facts.operationId, facts]));
  document.components ??= {};
  document.components.schemas = { ...RESPONSE_SCHEMAS.components, ...document.components.schemas, ErrorResponse: errorResponseSchema() } as typeof document.components.schemas;
  document.components.responses = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description }) => [
      name,
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } },
    ]),
  );
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      const facts = operation?.operationId ? byId.get(operation.operationId) : undefined;
      if (!operation || !facts?.rule) continue;
      const rule = facts.rule;
      operation.security = securityFor(rule, facts.httpMethod);
      (operation as OperationObject & { 'x-madoguchi-access': AccessRule })['x-madoguchi-access'] = rule;
      operation.description = [describeAccess(rule), operation.description].filter(Boolean).join('\n\n');
      describeSuccess(operation, facts);
      dropDuplicateHeaders(operation);
      for (const status of rule.kind === 'public' ? PUBLIC_ERRORS : SIGNED_IN_ERRORS) {
        const existing = operation.responses[status] as ResponseObject | undefined;
        operation.responses[status] = existing?.content
          ? existing
          : { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
      }
    }
  }
  return document;
}

/** The OpenAPI document of the running application. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Madoguchi API')
    .setDescription(
      '窓口 — municipal procedures online, end to end. Sign in for a bearer access token, or use the session cookie (then send X-CSRF-Token on every change). Errors share one shape: ErrorResponse { statusCode, code, message: { ja, en }, details?, requestId }.',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'The accessToken from a sign-in or refresh ("<municipality>.<random>").' },
      SECURITY_SCHEMES.bearer,
    )
    .addCookieAuth('madoguchi_session', { type: 'apiKey', in: 'cookie', description: 'The session cookie a browser sign-in sets.' }, SECURITY_SCHEMES.session)
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The csrfToken of the sign-in; required with the session cookie on every change (POST, PUT, PATCH, DELETE).' },
      SECURITY_SCHEMES.csrf,
    )
    .build();
  return completeDocument(SwaggerModule.createDocument(app, config), listOperations(app));
}
