import { useUi } from '../context';

export interface FieldError {
  /** The id of the control to link to (for a group: its first control). */
  fieldId: string;
  message: string;
}

/**
 * The list of problems at the top of main, each linking to its field. It is
 * an alert, so screen readers announce it; tabindex=-1 lets the enhancement
 * script move focus to it on load (data-mg-focus-on-load), and a page
 * without JavaScript still meets it first in main.
 */
export function ErrorSummary({ errors, title }: { errors: FieldError[]; title?: string }) {
  const { t } = useUi();
  if (errors.length === 0) return null;
  return (
    <div class="mg-error-summary" role="alert" aria-labelledby="mg-error-summary-title" tabindex={-1} data-mg-focus-on-load="">
      <h2 class="mg-error-summary__title" id="mg-error-summary-title">
        {title ?? t('errorSummary.title')}
      </h2>
      <ul class="mg-error-summary__list">
        {errors.map((error) => (
          <li>
            <a href={`#${error.fieldId}`}>{error.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
