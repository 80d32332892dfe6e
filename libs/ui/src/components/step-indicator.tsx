import { useUi } from '../context';

/** Where the reader is in a multi-page procedure. `current` counts from 1. */
export function StepIndicator({ steps, current }: { steps: string[]; current: number }) {
  const { t } = useUi();
  return (
    <nav class="mg-steps" aria-label={t('stepIndicator.label')}>
      <p class="mg-steps__position">{t('stepIndicator.position', { current, total: steps.length })}</p>
      <ol class="mg-steps__list">
        {steps.map((step, index) => {
          const number = index + 1;
          const state = number < current ? 'done' : number === current ? 'current' : 'todo';
          return (
            <li class={`mg-steps__item mg-steps__item--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span class="mg-steps__number" aria-hidden="true">
                {number}
              </span>
              <span class="mg-steps__text">
                {step}
                {state === 'done' ? <span class="mg-visually-hidden"> {t('stepIndicator.done')}</span> : null}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
