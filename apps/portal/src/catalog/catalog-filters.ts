import type { NationalCategory, ProcedureCategory } from '@madoguchi/workflow';
import { PROCEDURE_CATEGORIES } from '@madoguchi/workflow';

/**
 * Life events a resident thinks in, mapped to the national priority
 * categories the catalog already carries (子育て, 介護, 引越し, 被災者支援).
 */
export const LIFE_EVENTS = {
  kosodate: 'kosodate',
  kaigo: 'kaigo',
  hikkoshi: 'hikkoshi',
  saigai: 'hisai',
} as const satisfies Record<string, NationalCategory>;
export type LifeEvent = keyof typeof LIFE_EVENTS;

/** The home page's filters, read leniently from the query: anything unknown is ignored, never an error page. */
export interface CatalogFilters {
  q: string;
  category?: ProcedureCategory;
  event?: LifeEvent;
  online: boolean;
}

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function readCatalogFilters(query: Record<string, unknown>): CatalogFilters {
  const category = single(query.category);
  const event = single(query.event);
  return {
    q: (single(query.q) ?? '').slice(0, 100),
    category: (PROCEDURE_CATEGORIES as readonly string[]).includes(category ?? '') ? (category as ProcedureCategory) : undefined,
    event: event !== undefined && Object.hasOwn(LIFE_EVENTS, event) ? (event as LifeEvent) : undefined,
    online: single(query.online) === '1',
  };
}

/** The query string for these filters, for links that keep or change them. */
export function catalogHref(filters: Partial<CatalogFilters>): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.category) params.set('category', filters.category);
  if (filters.event) params.set('event', filters.event);
  if (filters.online) params.set('online', '1');
  const text = params.toString();
  return text ? `/?${text}#results` : '/';
}
