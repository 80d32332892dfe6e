import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Derives the JSON schema of every route handler's success body from its
 * TypeScript return type (the response DTOs the mappers already return), so
 * the OpenAPI document describes 150-odd operations without a second,
 * hand-kept copy of each DTO that could drift. The result is committed as
 * apps/api/src/openapi/response-schemas.generated.ts (production does not run
 * the compiler); openapi-response-schemas.spec.ts fails when it is stale.
 * Regenerate with: UPDATE_OPENAPI_SCHEMAS=1 npx jest test/support/openapi-response-schemas.spec.ts
 */

type Schema = Record<string, unknown>;
export interface GeneratedResponses {
  components: Record<string, Schema>;
  /** By operationId (`Controller_method`); null when the handler returns nothing. */
  operations: Record<string, Schema | null>;
}

const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All']);
/** Types whose body is not JSON; their operations are described in response-overrides.ts. */
const NOT_JSON = new Set(['StreamableFile', 'Buffer', 'Readable']);

function controllerFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (name === 'node_modules') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.controller.ts')) found.push(full);
    }
  };
  walk(path.join(root, 'libs'));
  walk(path.join(root, 'apps'));
  return found;
}

const decoratorName = (decorator: ts.Decorator): string | undefined => {
  const expression = decorator.expression;
  return ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) ? expression.expression.text : undefined;
};

/** `@Res()` without passthrough: the handler writes the response itself, so its return type says nothing. */
function writesResponseItself(method: ts.MethodDeclaration): boolean {
  return method.parameters.some((parameter) =>
    (ts.getDecorators(parameter) ?? []).some((decorator) => {
      if (decoratorName(decorator) !== 'Res' && decoratorName(decorator) !== 'Response') return false;
      return !/passthrough\s*:\s*true/.test(decorator.getText());
    }),
  );
}

export function generateResponseSchemas(root: string): GeneratedResponses {
  const configPath = path.join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const files = controllerFiles(root);
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const components: Record<string, Schema> = {};
  /** Component name by type, and which type holds each name (two DTOs may share a name). */
  const names = new Map<ts.Type, string>();
  const taken = new Set<string>();

  const nameOf = (type: ts.Type): string | undefined => {
    if (type.aliasSymbol && !type.aliasTypeArguments?.length) return type.aliasSymbol.name;
    const symbol = type.getSymbol();
    if (!symbol || symbol.name.startsWith('__')) return undefined;
    if ((type as ts.TypeReference).typeArguments?.length) return undefined;
    if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return undefined;
    return symbol.name;
  };

  const isPrimitiveLike = (type: ts.Type, flag: ts.TypeFlags): boolean => Boolean(type.flags & flag);

  const toSchema = (type: ts.Type): Schema => {
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (flags & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (flags & ts.TypeFlags.NumberLiteral) return { type: 'number', enum: [(type as ts.NumberLiteralType).value] };
    if (flags & ts.TypeFlags.BooleanLiteral) return { type: 'boolean' };
    if (flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & (ts.TypeFlags.BigInt | ts.TypeFlags.BigIntLiteral)) return { type: 'string' };
    if (type.isUnion()) {
      const members = type.types.filter((member) => !(member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      const nullable = members.length !== type.types.length && type.types.some((member) => member.flags & ts.TypeFlags.Null);
      let schema: Schema;
      if (members.length > 0 && members.every((member) => member.flags & ts.TypeFlags.BooleanLiteral)) schema = { type: 'boolean' };
      else if (members.length > 0 && members.every((member) => member.flags & ts.TypeFlags.StringLiteral))
        schema = { type: 'string', enum: members.map((member) => (member as ts.StringLiteralType).value) };
      else if (members.length > 0 && members.every((member) => member.flags & ts.TypeFlags.NumberLiteral))
        schema = { type: 'number', enum: members.map((member) => (member as ts.NumberLiteralType).value) };
      else if (members.length === 1) schema = toSchema(members[0]);
      else {
        // `true | false | X` arrives as three members: fold the booleans back together.
        const booleans = members.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
        const rest = members.filter((member) => !(member.flags & ts.TypeFlags.BooleanLiteral));
        const variants = [...rest.map(toSchema), ...(booleans.length ? [{ type: 'boolean' }] : [])];
        const unique = [...new Map(variants.map((variant) => [JSON.stringify(variant), variant])).values()];
        schema = unique.length === 1 ? unique[0] : { oneOf: unique };
      }
      return nullable ? (schema.$ref || schema.oneOf ? { allOf: [schema], nullable: true } : { ...schema, nullable: true }) : schema;
    }
    if (type.isIntersection()) {
      // Branded ids (`string & { __brand }`) are their primitive on the wire.
      const primitive = type.types.find((member) => isPrimitiveLike(member, ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike));
      if (primitive) return toSchema(primitive);
      return objectSchema(type);
    }
    if (flags & ts.TypeFlags.Object) {
      const symbolName = type.getSymbol()?.name;
      if (symbolName === 'Date') return { type: 'string', format: 'date-time' };
      if (symbolName && NOT_JSON.has(symbolName)) return { type: 'string', format: 'binary' };
      if (symbolName === 'Uint8Array') return { type: 'string', format: 'byte' };
      if (checker.isArrayType(type)) return { type: 'array', items: toSchema(checker.getTypeArguments(type as ts.TypeReference)[0]) };
      if (checker.isTupleType(type)) {
        const elements = checker.getTypeArguments(type as ts.TypeReference).map(toSchema);
        return { type: 'array', items: elements.length === 1 ? elements[0] : { oneOf: elements }, minItems: elements.length, maxItems: elements.length };
      }
      const name = nameOf(type);
      if (name) {
        let componentName = names.get(type);
        if (!componentName) {
          componentName = name;
          for (let n = 2; taken.has(componentName); n++) componentName = `${name}${n}`;
          names.set(type, componentName);
          taken.add(componentName);
          components[componentName] = {};
          components[componentName] = objectSchema(type);
        }
        return { $ref: `#/components/schemas/${componentName}` };
      }
      return objectSchema(type);
    }
    return {};
  };

  const objectSchema = (type: ts.Type): Schema => {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of checker.getPropertiesOfType(type)) {
      const propertyType = checker.getTypeOfSymbol(property);
      if (propertyType.getCallSignatures().length > 0) continue;
      const optional = Boolean(property.flags & ts.SymbolFlags.Optional);
      const schema = toSchema(optional ? checker.getNonNullableType(propertyType) : propertyType);
      // Keep `null` of an optional property: `?: string | null` may be null.
      properties[property.name] =
        optional && propertyType.isUnion() && propertyType.types.some((member) => member.flags & ts.TypeFlags.Null) && !schema.nullable
          ? schema.$ref
            ? { allOf: [schema], nullable: true }
            : { ...schema, nullable: true }
          : schema;
      if (!optional) required.push(property.name);
    }
    const schema: Schema = { type: 'object', properties };
    if (required.length) schema.required = required;
    const index = checker.getIndexInfosOfType(type)[0];
    if (index) schema.additionalProperties = Object.keys(toSchema(index.type)).length ? toSchema(index.type) : true;
    if (!Object.keys(properties).length && !index) schema.additionalProperties = true;
    return schema;
  };

  const operations: Record<string, Schema | null> = {};
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    source.forEachChild(function visit(node) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const isController = (ts.getDecorators(node) ?? []).some((decorator) => ['Controller', 'ApiController'].includes(decoratorName(decorator) ?? ''));
      if (!isController) return;
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        if (!(ts.getDecorators(member) ?? []).some((decorator) => ROUTE_DECORATORS.has(decoratorName(decorator) ?? ''))) continue;
        if (writesResponseItself(member)) continue;
        const signature = checker.getSignatureFromDeclaration(member);
        if (!signature) continue;
        const returned = checker.getAwaitedType(checker.getReturnTypeOfSignature(signature)) ?? checker.getReturnTypeOfSignature(signature);
        const symbolName = returned.getSymbol()?.name;
        if (symbolName && NOT_JSON.has(symbolName)) continue;
        const id = `${node.name.text}_${member.name.text}`;
        operations[id] = returned.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined) ? null : toSchema(returned);
      }
    });
  }
  const sorted = <T>(record: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  return { components: sorted(components), operations: sorted(operations) };
}

/** The committed module's text for a generation result. */
export function renderGeneratedModule(result: GeneratedResponses): string {
  return [
    '/* eslint-disable */',
    '// Generated from the route handlers\' return types by test/support/openapi-response-schemas.ts. Do not edit:',
    '// UPDATE_OPENAPI_SCHEMAS=1 npx jest test/support/openapi-response-schemas.spec.ts',
    'export const RESPONSE_SCHEMAS: { components: Record<string, unknown>; operations: Record<string, unknown> } = ',
    `${JSON.stringify(result, null, 2)};`,
    '',
  ].join('\n');
}
