import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * A whole HTML document from a page component. preact escapes every text
 * and attribute value; nothing here emits raw HTML.
 */
export function renderDocument(page: VNode): string {
  return `<!doctype html>\n${renderToString(page)}`;
}
