/**
 * Styles and script of the counter pages (desk console, lobby kiosk, lobby
 * display), appended to the office's. Every page works without the script.
 *
 * - Kiosk slip: the print button (`[data-mg-print]`) is hidden without
 *   JavaScript (nothing to do then) and prints the slip with it.
 */
export const COUNTER_SCRIPT = `(function () {
  'use strict';
  var print = document.querySelector('[data-mg-print]');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
})();
`;

/** Big type for the ticket being served, touch targets of 44 px and more on the kiosk, type readable across a room on the display. */
export const COUNTER_CSS = String.raw`
.mg-desk-ticket{margin:1rem 0;padding:1rem;border:3px solid var(--color-primitive-blue-900)}
.mg-desk-ticket__number{display:block;font-size:4rem;line-height:1.1;font-weight:var(--font-weight-700);overflow-wrap:anywhere}
.mg-desk-forms{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:flex-end;margin:1rem 0}
.mg-desk-forms form{margin:0}
.mg-desk-keys{font-size:var(--font-size-14)}
.mg-kiosk{max-width:60rem;margin:0 auto;padding:1rem}
.mg-kiosk__langs{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem;padding:0;list-style:none}
.mg-kiosk__langs a,.mg-kiosk__langs span{display:inline-block;min-height:44px;min-width:44px;padding:.6rem 1rem;font-size:1.25rem;border:2px solid var(--color-primitive-blue-900)}
.mg-kiosk__langs span{background:var(--color-primitive-blue-900);color:#fff}
.mg-kiosk__services{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem;margin:0;padding:0;list-style:none}
.mg-kiosk__service{width:100%;min-height:6rem;padding:1rem;font-size:1.5rem;text-align:left}
.mg-kiosk__service small{display:block;font-size:1.125rem;font-weight:400}
.mg-kiosk__slip{padding:1.5rem;border:3px solid #000;text-align:center}
.mg-kiosk__number{display:block;font-size:5rem;line-height:1.1;font-weight:var(--font-weight-700);overflow-wrap:anywhere}
.mg-kiosk .mg-button{min-height:44px;font-size:1.25rem}
/* A button styled display:inline-flex would show despite the hidden attribute: the print button must stay hidden without JavaScript. */
.mg-kiosk [hidden]{display:none}
.mg-lobby{padding:1rem;font-size:1.75rem}
.mg-lobby h1{font-size:2.5rem;margin:0 0 1rem}
.mg-lobby h2{font-size:2rem}
.mg-lobby__calls{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem;margin:0;padding:0;list-style:none}
.mg-lobby__call{padding:1rem;border:4px solid var(--color-primitive-blue-900)}
.mg-lobby__number{display:block;font-size:5rem;line-height:1.1;font-weight:var(--font-weight-700);overflow-wrap:anywhere}
.mg-lobby table{width:100%;border-collapse:collapse}
.mg-lobby th,.mg-lobby td{padding:.5rem;border-bottom:2px solid var(--color-neutral-solid-gray-420);text-align:left;overflow-wrap:anywhere}
@media (max-width:40rem){.mg-lobby{font-size:1.125rem}.mg-lobby__number,.mg-kiosk__number{font-size:3rem}.mg-lobby h1{font-size:1.75rem}}
@media print{.mg-kiosk__langs,.mg-kiosk .mg-button,.mg-skip-link{display:none}.mg-kiosk__slip{border:0}}
.mg-counter-receipt{margin:1rem 0;padding:1rem;border:3px solid var(--color-primitive-blue-900)}
.mg-counter-receipt .mg-reference{font-size:2rem;overflow-wrap:anywhere}
@media print{body:has(.mg-counter-receipt) .mg-header,body:has(.mg-counter-receipt) .mg-footer,body:has(.mg-counter-receipt) .mg-breadcrumbs,.mg-counter-receipt__actions{display:none}.mg-counter-receipt{border:0}}
`;
