import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@madoguchi/kernel';
import type { FieldError } from '@madoguchi/ui';
import type { Request } from 'express';
import type { OfficeContext } from '../shared/office-context';

/** A form field as trimmed text, at most `max` characters ('' when absent or not text). */
export const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');

/** A repeated form field (checkboxes) as strings. */
export const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').slice(0, 50);

/** The posted form, as fields by name. */
export const formOf = (request: Request): Record<string, unknown> => (request.body ?? {}) as Record<string, unknown>;

/** A whole number from a form field within [min, max], or null. */
export function wholeNumber(value: string, min: number, max: number): number | null {
  if (!/^\d{1,9}$/.test(value)) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}

/** A ja/en name pair: both required. */
export function checkNames(context: OfficeContext, values: { nameJa: string; nameEn: string }, errors: FieldError[]): void {
  if (!values.nameJa) errors.push({ fieldId: 'nameJa', message: context.t('office.admin.catalog.nameJaMissing') });
  if (!values.nameEn) errors.push({ fieldId: 'nameEn', message: context.t('office.admin.catalog.nameEnMissing') });
}

/**
 * A refusal of the service (duplicate, unknown reference, invalid) said on
 * the form, with its own status; anything else (not found, 5xx) goes to the
 * office's error page as it would on any page.
 */
export function refusalOnForm(context: OfficeContext, error: unknown, fieldOf: (error: DomainError) => string): { error: FieldError; status: number } {
  if (!(error instanceof DomainError) || [401, 403, 404].includes(error.httpStatus) || error.httpStatus >= 500) throw error;
  return { error: { fieldId: fieldOf(error), message: context.lang === 'en' ? error.userMessage.en : error.userMessage.ja }, status: error.httpStatus };
}

/** A path parameter that must match a code pattern (400 otherwise, as the JSON API's pipes answer). */
export function codeParam(pattern: RegExp, name: string): PipeTransform<string, string> {
  return {
    transform(value: string): string {
      if (!pattern.test(value)) throw new BadRequestException({ message: [`${name} must be a code (a-z, 0-9, -)`] });
      return value;
    },
  };
}
