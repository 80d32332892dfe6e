import { applyDecorators, Controller, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PageExceptionFilter } from './page-exception.filter';

/**
 * A portal page controller: HTML, not in the OpenAPI document, and errors
 * become pages (a sign-in redirect, a "not found" page) instead of JSON.
 * Access is declared as on JSON routes (`@Public`, `@ResidentOnly`) and
 * checked by the same guard.
 */
export function PageController(path = ''): ClassDecorator {
  return applyDecorators(ApiExcludeController(), UseFilters(PageExceptionFilter), Controller(path));
}
