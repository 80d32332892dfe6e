import { PORTAL_SCRIPT } from './enhance';

/**
 * The staff office's script: the portal's enhancements plus two of its own.
 * Every office page works without it.
 *
 * - Idle warning: the server ends a staff session after a period without
 *   requests (`[data-mg-idle-seconds]` says how long). Two minutes before,
 *   the hidden alert region is shown (role=alert: announced) with a button
 *   that fetches the keep-alive URL, which counts as activity. At the end
 *   the page goes to the sign-in page, so no stale form is left on screen.
 * - "Select all" in the queue's bulk form (`[data-mg-select-all]`).
 */
export const OFFICE_SCRIPT = `${PORTAL_SCRIPT}(function () {
  'use strict';
  var idle = document.querySelector('[data-mg-idle-seconds]');
  if (idle) {
    var seconds = Number(idle.getAttribute('data-mg-idle-seconds'));
    var keepAlive = idle.getAttribute('data-mg-keepalive');
    var signIn = idle.getAttribute('data-mg-sign-in');
    var button = idle.querySelector('button');
    var warnTimer, endTimer;
    var arm = function () {
      clearTimeout(warnTimer);
      clearTimeout(endTimer);
      idle.hidden = true;
      warnTimer = setTimeout(function () {
        idle.hidden = false;
        if (button) button.focus();
      }, Math.max(0, seconds - 120) * 1000);
      endTimer = setTimeout(function () { window.location.assign(signIn); }, seconds * 1000);
    };
    if (button) {
      button.addEventListener('click', function () {
        fetch(keepAlive, { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' }).then(function (response) {
          if (response.ok) arm(); else window.location.assign(signIn);
        });
      });
    }
    arm();
  }
  var all = document.querySelector('[data-mg-select-all]');
  if (all) {
    all.hidden = false;
    var box = all.querySelector('input');
    box.addEventListener('change', function () {
      var boxes = document.querySelectorAll('input[name="ids"]');
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = box.checked;
    });
  }
})();
`;

/** The office's few layout rules on top of the portal stylesheet: denser, same tokens. */
export const OFFICE_CSS = String.raw`
.mg-office-account{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;font-size:var(--font-size-14)}
.mg-office-account__who{margin:0}
.mg-office-account__meta{color:var(--color-neutral-solid-gray-700)}
.mg-office-nav{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;margin:0;padding:0;list-style:none}
.mg-office-inline-form{display:inline}
.mg-office-counts{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:0 0 1rem;padding:0;list-style:none}
.mg-office-details{margin:1rem 0}
.mg-office-details>summary{cursor:pointer;font-weight:var(--font-weight-700)}
.mg-office-filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:0 1.5rem;margin-top:1rem}
.mg-office-actions{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1.5rem;margin:1rem 0}
.mg-office-bulk{margin:1rem 0;border:1px solid var(--color-neutral-solid-gray-420);padding:1rem}
.mg-office-assign{margin:1rem 0}
.mg-office-action{margin:0 0 1.5rem;padding:1rem;border-left:4px solid var(--color-neutral-solid-gray-420)}
.mg-office-confirm{padding:1rem;border:3px solid var(--color-primitive-blue-900);margin:0 0 1.5rem}
.mg-office-notes{padding-left:1.25rem}
.mg-office-route{padding-left:1.75rem}
.mg-office-route__step{margin:0 0 .5rem;padding-left:.5rem;border-left:4px solid var(--color-neutral-solid-gray-420)}
.mg-office-route__step--current{border-left-color:var(--color-primitive-blue-900);font-weight:var(--font-weight-700)}
.mg-office-route__decisions{font-weight:normal;margin:.25rem 0 0;padding-left:1.25rem}
.mg-office-badges{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:0 0 1rem;padding:0;list-style:none}
.mg-office-approval{margin:0 0 2rem;padding-bottom:1rem;border-bottom:1px solid var(--color-neutral-solid-gray-420)}
.mg-office-checkbox{width:1.5rem;height:1.5rem}
.mg-office-chart{display:grid;gap:0 2rem;margin:0 0 2rem}
.mg-office-chart__figure{margin:0;min-width:0}
.mg-office-chart__figure img{display:block;max-width:100%;height:auto;border:1px solid var(--color-neutral-solid-gray-420)}
.mg-office-chart__summary{margin:.5rem 0 0}
.mg-office-chart__data{min-width:0}
@media (min-width:64em){.mg-office-chart{grid-template-columns:minmax(0,3fr) minmax(0,2fr);align-items:start}}
.mg-office-kpi{margin:0 0 2rem;padding-top:1rem;border-top:1px solid var(--color-neutral-solid-gray-420)}
`;
