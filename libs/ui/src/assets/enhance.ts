/**
 * The one script pages load, as a file (the CSP allows no inline script).
 * It only enhances: every page works without it. Today it moves focus to
 * the error summary when a form comes back with errors, so a screen reader
 * and a keyboard start there.
 */
export const PORTAL_SCRIPT = `(function () {
  'use strict';
  var target = document.querySelector('[data-mg-focus-on-load]');
  if (target && typeof target.focus === 'function') target.focus();
})();
`;
