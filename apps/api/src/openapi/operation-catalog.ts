import { type INestApplicationContext, RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ACCESS_RULE, type AccessRule, IDEMPOTENCY_KEY_HEADER } from '@madoguchi/kernel';

/** What the code says about one handler, keyed by the operationId Swagger gives it. */
export interface OperationFacts {
  /** `${Controller}_${method}`: @nestjs/swagger's default operationId, so no path is involved. */
  operationId: string;
  controller: string;
  handler: string;
  httpMethod: string;
  /** The handler's rule, else its controller's. */
  rule: AccessRule | undefined;
  /** @HttpCode on the handler, when any. */
  httpCode: number | undefined;
  /** The handler reads `Idempotency-Key` (a `@Headers('idempotency-key')` parameter). */
  readsIdempotencyKey: boolean;
}

interface RouteArgument {
  index: number;
  data?: unknown;
}

/** Does the handler take the `Idempotency-Key` header as a parameter? Read from Nest's own route-argument metadata. */
function readsHeader(controller: Type, handler: string, header: string): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, RouteArgument>;
  return Object.entries(args).some(
    ([key, argument]) => key.split(':')[0] === String(RouteParamtypes.HEADERS) && typeof argument.data === 'string' && argument.data.toLowerCase() === header,
  );
}

/**
 * Every route handler of every registered controller, read from the metadata
 * Nest's router reads. The OpenAPI document is completed from these facts
 * (security from the access rule, the idempotency header from the handler's
 * parameters), so a new route is described without anyone remembering to.
 */
export function listOperations(app: INestApplicationContext): OperationFacts[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const operations = new Map<string, OperationFacts>();
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | null;
    if (!controller) continue;
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = controller.prototype[name] as (...args: unknown[]) => unknown;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const operationId = `${controller.name}_${name}`;
      operations.set(operationId, {
        operationId,
        controller: controller.name,
        handler: name,
        httpMethod: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod],
        rule: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler, controller]),
        httpCode: Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined,
        readsIdempotencyKey: readsHeader(controller, name, IDEMPOTENCY_KEY_HEADER),
      });
    }
  }
  return [...operations.values()];
}
