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
  // Postal code → address: only where the page names a lookup route (data-mg-postal-lookup) and the
  // address field to fill (data-mg-address-target); pages set them only when postal data is installed.
  // An address already typed is never overwritten; typing the address by hand always works.
  Array.prototype.forEach.call(document.querySelectorAll('[data-mg-postal-lookup]'), function (wrapper) {
    var input = wrapper.querySelector('input');
    var address = document.getElementById(wrapper.getAttribute('data-mg-address-target') || '');
    if (!input || !address || !window.fetch) return;
    input.addEventListener('change', function () {
      var digits = input.value.replace(/[^0-9]/g, '');
      if (digits.length !== 7 || address.value) return;
      fetch(wrapper.getAttribute('data-mg-postal-lookup') + digits, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (found) { if (found && found.address && !address.value) address.value = found.address; })
        .catch(function () {});
    });
  });
})();
`;
