/**
 * Our stylesheet, written on the Digital Agency design tokens (CSS custom
 * properties from @digital-go-jp/design-tokens, prepended at build). Plain
 * CSS in a module so the build needs no loader and the file can be hashed.
 * Mobile first: one column, then wider spacing from 40em.
 */
export const PORTAL_CSS = String.raw`
*,*::before,*::after{box-sizing:border-box}
html.mg-html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body.mg-body{margin:0;background:var(--color-neutral-white);color:var(--color-neutral-solid-gray-900);font-family:var(--font-family-sans);font-size:var(--font-size-16);line-height:var(--line-height-170);letter-spacing:.02em;overflow-wrap:anywhere;line-break:strict}
@media (min-width:40em){body.mg-body{font-size:var(--font-size-17)}}
[lang="en"]{letter-spacing:0}
a{color:var(--color-primitive-blue-1000)}
a:visited{color:var(--color-primitive-magenta-900)}
a:hover{color:var(--color-primitive-blue-1200);text-decoration-thickness:3px}
:focus-visible{outline:4px solid var(--color-neutral-black);outline-offset:2px;box-shadow:0 0 0 2px var(--color-primitive-yellow-300)}
a:focus-visible{background:var(--color-primitive-yellow-300);color:var(--color-neutral-black);text-decoration:none}
.mg-visually-hidden{position:absolute!important;width:1px!important;height:1px!important;margin:0!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;border:0!important;white-space:nowrap!important}
.mg-skip-link{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:var(--color-primitive-yellow-300);color:var(--color-neutral-black)}
.mg-skip-link:focus{position:static;display:block;left:auto}
.mg-width-container{max-width:64rem;margin:0 auto;padding:0 1rem}
@media (min-width:40em){.mg-width-container{padding:0 2rem}}
.mg-header{border-top:6px solid var(--color-primitive-blue-900);border-bottom:1px solid var(--color-neutral-solid-gray-200);background:var(--color-neutral-white)}
.mg-header__inner{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem;padding-top:.75rem;padding-bottom:.75rem}
.mg-header__service{font-size:var(--font-size-20);font-weight:var(--font-weight-700);line-height:var(--line-height-140);color:var(--color-neutral-solid-gray-900);text-decoration:none}
.mg-header__service:visited{color:var(--color-neutral-solid-gray-900)}
.mg-header__service:hover{text-decoration:underline}
.mg-header__tools{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem}
.mg-language__list{display:flex;flex-wrap:wrap;gap:.25rem;margin:0;padding:0;list-style:none}
.mg-language__link,.mg-language__current{display:inline-block;padding:.125rem .625rem;border:1px solid var(--color-neutral-solid-gray-420);border-radius:var(--border-radius-full);font-size:var(--font-size-14);line-height:var(--line-height-170)}
.mg-language__link,.mg-language__link:visited{color:var(--color-primitive-blue-1000)}
.mg-language__current{background:var(--color-primitive-blue-900);border-color:var(--color-primitive-blue-900);color:var(--color-neutral-white);font-weight:var(--font-weight-700)}
.mg-main{display:block;padding:1.5rem 0 3rem}
.mg-main:focus{outline:none}
@media (min-width:40em){.mg-main{padding:2.5rem 0 4rem}}
h1,.mg-heading-xl{font-size:var(--font-size-28);line-height:var(--line-height-140);font-weight:var(--font-weight-700);margin:0 0 1.25rem}
@media (min-width:40em){h1,.mg-heading-xl{font-size:var(--font-size-36)}}
h2,.mg-heading-m{font-size:var(--font-size-22);line-height:var(--line-height-150);font-weight:var(--font-weight-700);margin:2rem 0 .75rem}
@media (min-width:40em){h2,.mg-heading-m{font-size:var(--font-size-26)}}
h3,.mg-heading-s{font-size:var(--font-size-18);line-height:var(--line-height-150);font-weight:var(--font-weight-700);margin:1.5rem 0 .5rem}
p{margin:0 0 1rem}
.mg-lead{font-size:var(--font-size-18);max-width:40em}
.mg-breadcrumbs{padding:.75rem 0 0;font-size:var(--font-size-14)}
.mg-breadcrumbs__list{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap}
.mg-breadcrumbs__item:not(:last-child)::after{content:"›";margin:0 .5rem;color:var(--color-neutral-solid-gray-600)}
.mg-footer{border-top:1px solid var(--color-neutral-solid-gray-200);background:var(--color-neutral-solid-gray-50);padding:2rem 0;font-size:var(--font-size-16)}
.mg-footer__note{color:var(--color-neutral-solid-gray-800);margin-top:1rem}
.mg-button{display:inline-flex;align-items:center;justify-content:center;gap:.5rem;min-height:3rem;padding:.625rem 1.5rem;border:2px solid transparent;border-radius:var(--border-radius-8);font:inherit;font-weight:var(--font-weight-700);line-height:var(--line-height-150);text-decoration:none;cursor:pointer;text-align:center}
.mg-button--primary,.mg-button--primary:visited{background:var(--color-primitive-blue-900);color:var(--color-neutral-white)}
.mg-button--primary:hover{background:var(--color-primitive-blue-1100);color:var(--color-neutral-white);text-decoration:underline}
.mg-button--secondary,.mg-button--secondary:visited{background:var(--color-neutral-white);border-color:var(--color-primitive-blue-900);color:var(--color-primitive-blue-900)}
.mg-button--secondary:hover{background:var(--color-primitive-blue-50);color:var(--color-primitive-blue-1100)}
.mg-button--warning,.mg-button--warning:visited{background:var(--color-semantic-error-1);color:var(--color-neutral-white)}
.mg-button--warning:hover{background:var(--color-semantic-error-2);color:var(--color-neutral-white)}
.mg-button:focus-visible{outline:4px solid var(--color-neutral-black);outline-offset:2px;box-shadow:0 0 0 2px var(--color-primitive-yellow-300);text-decoration:underline}
.mg-button--start{font-size:var(--font-size-20);min-height:3.5rem;padding:.75rem 2rem}
.mg-button__arrow{flex:none}
.mg-form-group{margin-bottom:1.75rem}
.mg-form-group--error{border-left:4px solid var(--color-semantic-error-1);padding-left:1rem}
.mg-label,.mg-legend{display:block;font-weight:var(--font-weight-700);margin-bottom:.25rem}
.mg-label-heading{margin:0 0 .5rem}
.mg-optional{font-weight:var(--font-weight-400)}
.mg-fieldset{margin:0;padding:0;border:0;min-width:0}
.mg-legend{padding:0}
.mg-hint{color:var(--color-neutral-solid-gray-700);margin-bottom:.5rem}
.mg-error-message{color:var(--color-semantic-error-1);font-weight:var(--font-weight-700);margin:0 0 .5rem}
.mg-input,.mg-textarea,.mg-select{display:block;width:100%;max-width:100%;min-height:3rem;padding:.5rem .75rem;border:1px solid var(--color-neutral-solid-gray-600);border-radius:var(--border-radius-8);background:var(--color-neutral-white);color:inherit;font:inherit}
.mg-select{width:auto;min-width:12rem}
.mg-input--error{border:2px solid var(--color-semantic-error-1)}
.mg-input:focus,.mg-textarea:focus,.mg-select:focus{outline:4px solid var(--color-neutral-black);outline-offset:2px;box-shadow:0 0 0 2px var(--color-primitive-yellow-300)}
.mg-input--w2{width:4.5em}.mg-input--w3{width:5.5em}.mg-input--w4{width:6.5em}.mg-input--w5{width:7.5em}.mg-input--w10{width:13em}.mg-input--w20{width:24em}
.mg-file{font:inherit;max-width:100%}
.mg-search{display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-end}
.mg-search .mg-input{flex:1 1 12rem;width:auto}
.mg-date{display:flex;flex-wrap:wrap;gap:.75rem}
.mg-date__label{display:block;font-weight:var(--font-weight-400)}
.mg-select--era{min-width:7em}
.mg-choices{display:flex;flex-direction:column;gap:.5rem}
.mg-choices--inline{flex-direction:row;flex-wrap:wrap;gap:.5rem 1.5rem}
.mg-choice{display:grid;grid-template-columns:auto 1fr;align-items:start;gap:0 .5rem}
.mg-choice__input{width:1.5rem;height:1.5rem;margin:.2rem 0 0;accent-color:var(--color-primitive-blue-900)}
.mg-choice__hint{grid-column:2}
.mg-error-summary{border:4px solid var(--color-semantic-error-1);border-radius:var(--border-radius-8);padding:1rem 1.25rem;margin-bottom:2rem}
.mg-error-summary:focus{outline:4px solid var(--color-neutral-black);outline-offset:2px;box-shadow:0 0 0 2px var(--color-primitive-yellow-300)}
.mg-error-summary__title{margin-top:0;font-size:var(--font-size-20)}
.mg-error-summary__list{margin:0;padding-left:1.25rem}
.mg-error-summary__list a{color:var(--color-semantic-error-1);font-weight:var(--font-weight-700)}
.mg-banner{border:3px solid var(--color-primitive-blue-900);border-radius:var(--border-radius-8);margin-bottom:2rem}
.mg-banner__title{margin:0;padding:.25rem 1rem;background:var(--color-primitive-blue-900);color:var(--color-neutral-white);font-size:var(--font-size-16)}
.mg-banner__content{padding:1rem}
.mg-banner--success{border-color:var(--color-semantic-success-2)}
.mg-banner--success .mg-banner__title{background:var(--color-semantic-success-2)}
.mg-banner--danger{border-color:var(--color-semantic-error-1)}
.mg-banner--danger .mg-banner__title{background:var(--color-semantic-error-1)}
.mg-summary-list{margin:0 0 2rem}
.mg-summary-list__row{display:grid;grid-template-columns:1fr;padding:.75rem 0;border-bottom:1px solid var(--color-neutral-solid-gray-200)}
@media (min-width:40em){.mg-summary-list__row{grid-template-columns:minmax(8rem,30%) 1fr auto;gap:1rem}}
.mg-summary-list__key{font-weight:var(--font-weight-700)}
.mg-summary-list__value,.mg-summary-list__actions{margin:0}
.mg-steps__position{font-weight:var(--font-weight-700);margin-bottom:.5rem}
.mg-steps__list{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:0 0 1.5rem;padding:0;list-style:none}
.mg-steps__item{display:flex;align-items:center;gap:.375rem;color:var(--color-neutral-solid-gray-700)}
.mg-steps__number{display:inline-grid;place-items:center;width:1.75rem;height:1.75rem;border-radius:50%;border:2px solid currentColor;font-weight:var(--font-weight-700)}
.mg-steps__item--current{color:var(--color-primitive-blue-900);font-weight:var(--font-weight-700)}
.mg-steps__item--current .mg-steps__number{background:var(--color-primitive-blue-900);color:var(--color-neutral-white);border-color:var(--color-primitive-blue-900)}
.mg-steps__item--done{color:var(--color-semantic-success-2)}
.mg-table-wrap{overflow-x:auto;margin-bottom:2rem}
/* The booking grid scrolls inside itself: positioned, so its visually hidden labels scroll with it instead of widening the page. */
.mg-grid{position:relative}
.mg-table{border-collapse:collapse;width:100%}
.mg-table__caption{text-align:left;font-weight:var(--font-weight-700);font-size:var(--font-size-20);margin-bottom:.5rem}
.mg-table__header,.mg-table__cell{padding:.5rem .75rem .5rem 0;border-bottom:1px solid var(--color-neutral-solid-gray-300);text-align:left;vertical-align:top}
.mg-table__header{font-weight:var(--font-weight-700)}
.mg-table__header--numeric,.mg-table__cell--numeric{text-align:right}
.mg-pagination{display:flex;justify-content:space-between;gap:1rem;margin:2rem 0}
.mg-pagination__link{font-weight:var(--font-weight-700)}
.mg-pagination__link--next{margin-left:auto}
.mg-tag{display:inline-block;padding:0 .5rem;border-radius:var(--border-radius-4);font-size:var(--font-size-14);font-weight:var(--font-weight-700);line-height:var(--line-height-170);border:1px solid currentColor}
.mg-tag--neutral{color:var(--color-neutral-solid-gray-800);background:var(--color-neutral-solid-gray-50)}
.mg-tag--info{color:var(--color-primitive-blue-1000);background:var(--color-primitive-blue-50)}
.mg-tag--success{color:var(--color-primitive-green-1000);background:var(--color-primitive-green-50)}
.mg-tag--warning{color:var(--color-primitive-orange-1100);background:var(--color-primitive-yellow-50)}
.mg-tag--danger{color:var(--color-primitive-red-1000);background:var(--color-primitive-red-50)}
.mg-timeline__list{margin:0;padding:0;list-style:none;border-left:3px solid var(--color-neutral-solid-gray-300)}
.mg-timeline__item{position:relative;padding:0 0 1.25rem 1.25rem}
.mg-timeline__item::before{content:"";position:absolute;left:-.6rem;top:.45rem;width:.9rem;height:.9rem;border-radius:50%;background:var(--color-primitive-blue-900)}
.mg-timeline__when{margin:0;color:var(--color-neutral-solid-gray-700);font-size:var(--font-size-14)}
.mg-timeline__title{margin:0;font-weight:var(--font-weight-700)}
.mg-link{color:var(--color-primitive-blue-1000)}
.mg-section{margin-bottom:2rem}
.mg-panel{background:var(--color-primitive-blue-50);border-radius:var(--border-radius-12);padding:1rem 1.25rem;margin-bottom:2rem}
.mg-panel>:last-child{margin-bottom:0}
.mg-life-events{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.75rem;margin:0 0 2rem;padding:0;list-style:none}
.mg-life-events a{display:block;padding:.875rem 1rem;border:1px solid var(--color-neutral-solid-gray-300);border-radius:var(--border-radius-8);font-weight:var(--font-weight-700);text-align:center;background:var(--color-neutral-white)}
.mg-life-events a[aria-current]{background:var(--color-primitive-blue-900);color:var(--color-neutral-white);border-color:var(--color-primitive-blue-900)}
.mg-cards{margin:0;padding:0;list-style:none;border-top:1px solid var(--color-neutral-solid-gray-200)}
.mg-card{padding:1rem 0;border-bottom:1px solid var(--color-neutral-solid-gray-200)}
.mg-card__title{margin:0 0 .25rem;font-size:var(--font-size-18)}
.mg-card__meta{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:0;color:var(--color-neutral-solid-gray-700);font-size:var(--font-size-14)}
.mg-filters{display:grid;gap:0 1.5rem}
@media (min-width:40em){.mg-filters{grid-template-columns:1fr 1fr}}
.mg-contact{margin:0}
.mg-contact div{display:flex;flex-wrap:wrap;gap:0 1rem}
.mg-contact dt{font-weight:var(--font-weight-700);min-width:6em}
.mg-contact dd{margin:0}
.mg-channels{margin:0 0 1rem;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.5rem}
.mg-code{font-family:var(--font-family-mono);overflow-wrap:anywhere}
.mg-caption{color:var(--color-neutral-solid-gray-700);margin:0}
.mg-button-group{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin-top:1.5rem}
.mg-list{padding-left:1.25rem}
.mg-list li{margin-bottom:.5rem}
.mg-account-nav{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;font-size:var(--font-size-16)}
.mg-account-nav__state{color:var(--color-neutral-solid-gray-800)}
.mg-account-nav__form{margin:0}
.mg-header__link,.mg-header__link:visited,.mg-link-button{color:var(--color-primitive-blue-1000);text-decoration:underline;font-size:var(--font-size-16)}
.mg-link-button{background:none;border:0;padding:0;font-family:inherit;cursor:pointer;line-height:inherit}
.mg-link-button:hover,.mg-header__link:hover{text-decoration-thickness:3px}
.mg-link-button:focus-visible{background:var(--color-primitive-yellow-300);color:var(--color-neutral-black)}
.mg-inline-form{margin:1rem 0}
.mg-caption{margin:0 0 .25rem;color:var(--color-neutral-solid-gray-700);font-size:var(--font-size-16)}
.mg-repeat{border-left:4px solid var(--color-neutral-solid-gray-300);padding:0 0 0 1rem;margin:0 0 1.5rem}
.mg-file-list{margin:0 0 1.5rem;padding:0;list-style:none}
.mg-file-list li{padding:.5rem 0;border-bottom:1px solid var(--color-neutral-solid-gray-200)}
.mg-inline-form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.mg-inline-form .mg-button{margin:0}
.mg-plain-list{margin:0;padding:0;list-style:none}
.mg-confirmation{background:var(--color-primitive-green-900);color:var(--color-neutral-white);padding:1.5rem;border-radius:var(--border-radius-8);text-align:center;margin-bottom:2rem}
.mg-confirmation h1{margin-bottom:.5rem}
.mg-reference{display:inline-block;font-size:var(--font-size-28);letter-spacing:.05em;overflow-wrap:anywhere}
`;
