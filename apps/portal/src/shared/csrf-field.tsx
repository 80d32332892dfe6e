import type { PageContext } from './page-context';

/**
 * The hidden `_csrf` field every form of a signed-in page carries: a plain
 * HTML form cannot send the X-CSRF-Token header, so the access guard reads
 * the field instead.
 */
export function CsrfField({ context }: { context: PageContext }) {
  return context.session.csrfToken ? <input type="hidden" name="_csrf" value={context.session.csrfToken} /> : null;
}
