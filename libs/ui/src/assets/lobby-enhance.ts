/**
 * The lobby display's script, appended to the counter pages' (one file from
 * our origin, no inline code). Without it the display reloads itself (a
 * `<noscript>` meta refresh); with it the page stays and every
 * `[data-mg-lobby-poll]` seconds fetches itself and swaps in the parts
 * that changed: the "now calling" live region (so a screen reader announces
 * just the new call), the waiting table and the time of the update. After
 * three failed fetches in a row it falls back to a full reload.
 */
export const LOBBY_SCRIPT = `(function () {
  'use strict';
  var live = document.querySelector('[data-mg-lobby-live]');
  if (!live || !window.fetch || !window.DOMParser) return;
  var every = Math.max(1, Number(live.getAttribute('data-mg-lobby-poll')) || 5) * 1000;
  var failures = 0;
  var swap = function (next, selector) {
    var here = document.querySelector(selector);
    var there = next.querySelector(selector);
    if (here && there && here.innerHTML !== there.innerHTML) here.innerHTML = there.innerHTML;
  };
  var poll = function () {
    fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        failures = 0;
        var next = new DOMParser().parseFromString(html, 'text/html');
        swap(next, '[data-mg-lobby-live]');
        swap(next, '[data-mg-lobby-board]');
        swap(next, '[data-mg-lobby-updated]');
        document.documentElement.setAttribute('data-mg-lobby-updates', String(Number(document.documentElement.getAttribute('data-mg-lobby-updates') || 0) + 1));
      }, function () {
        failures += 1;
        if (failures >= 3) window.location.reload();
      })
      .then(function () { setTimeout(poll, every); });
  };
  setTimeout(poll, every);
})();
`;
