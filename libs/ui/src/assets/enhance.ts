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
  // A page waiting for news it cannot be pushed (a payment the provider has not confirmed yet)
  // loads itself again after the seconds it names; without script it has a refresh link.
  var refresh = document.querySelector('[data-mg-refresh-seconds]');
  if (refresh) {
    var seconds = Number(refresh.getAttribute('data-mg-refresh-seconds'));
    if (seconds > 0) window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
`;
