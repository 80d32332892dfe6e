import { applyDecorators, Controller, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OfficeExceptionFilter } from './office-exception.filter';

/**
 * An office page controller under /office: HTML, not in the OpenAPI
 * document, errors as office pages. Access is declared as on JSON routes
 * (`@Public`, `@StaffOnly`) and checked by the same global guard.
 */
export function OfficePageController(path = ''): ClassDecorator {
  return applyDecorators(ApiExcludeController(), UseFilters(OfficeExceptionFilter), Controller(path ? `office/${path}` : 'office'));
}
