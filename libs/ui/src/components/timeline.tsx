import type { ComponentChildren } from 'preact';
import { useUi } from '../context';

export interface TimelineItem {
  /** Already formatted for the page language (formatDate). */
  when: string;
  /** Machine-readable date or instant for <time datetime>. */
  datetime?: string;
  title: ComponentChildren;
  body?: ComponentChildren;
}

/** What happened, oldest first, in plain words. */
export function Timeline({ items, heading }: { items: TimelineItem[]; heading?: string }) {
  const { t } = useUi();
  return (
    <section class="mg-timeline" aria-labelledby="mg-timeline-title">
      <h2 class="mg-heading-m" id="mg-timeline-title">
        {heading ?? t('timeline.label')}
      </h2>
      <ol class="mg-timeline__list">
        {items.map((item) => (
          <li class="mg-timeline__item">
            <p class="mg-timeline__when">
              <time dateTime={item.datetime}>{item.when}</time>
            </p>
            <p class="mg-timeline__title">{item.title}</p>
            {item.body ? <div class="mg-timeline__body">{item.body}</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
