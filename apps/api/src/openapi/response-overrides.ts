import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * Operations whose success body is not JSON (files, HTML pages, redirects),
 * by operationId. Their handlers return a StreamableFile or write to the
 * response themselves, so the type says nothing a client can use.
 */
export const RESPONSE_OVERRIDES: Record<string, { contentType: string; schema?: SchemaObject; description?: string }> = {};
