import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ACCESS_RULE, type AccessRule } from '@madoguchi/kernel';

/** One HTTP route as Nest will serve it, with the access rule it declares. */
export interface RouteInfo {
  /** "METHOD /path/:param", the key the authorization matrix uses. */
  key: string;
  method: string;
  path: string;
  controller: string;
  handler: string;
  /** The handler's rule, else its controller's; undefined when neither declares one. */
  rule: AccessRule | undefined;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [value === undefined ? '' : String(value)]);

function joinPath(...segments: string[]): string {
  const joined = segments
    .flatMap((segment) => segment.split('/'))
    .filter((part) => part.length > 0)
    .join('/');
  return `/${joined}`;
}

/**
 * Every route of every controller the application registered, read from the
 * same metadata Nest's router reads (no global prefix or versioning is used).
 * Walking the module container rather than a hand-kept list means a new
 * controller is seen without anyone remembering to add it.
 */
export function listRoutes(app: INestApplicationContext): RouteInfo[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes = new Map<string, RouteInfo>();
  const seen = new Set<Type>();
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | null;
    if (!controller || seen.has(controller)) continue;
    seen.add(controller);
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = controller.prototype[name] as (...args: unknown[]) => unknown;
      const handlerPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
      // Only methods carrying a route decorator are routes.
      if (handlerPath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler, controller]);
      for (const prefix of prefixes) {
        for (const suffix of asList(handlerPath)) {
          const path = joinPath(prefix, suffix);
          const key = `${method} ${path}`;
          routes.set(key, { key, method, path, controller: controller.name, handler: name, rule });
        }
      }
    }
  }
  return [...routes.values()];
}

/** Routes that would be refused for everyone because nobody declared who may call them. */
export function routesWithoutRule(routes: RouteInfo[]): string[] {
  return routes.filter((route) => !route.rule).map((route) => `${route.key} (${route.controller}.${route.handler})`);
}
