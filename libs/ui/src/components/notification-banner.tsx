import type { ComponentChildren } from 'preact';
import { useUi } from '../context';

export interface NotificationBannerProps {
  /** info: something the reader should know; success: what they just did worked (announced as a status). */
  kind?: 'info' | 'success';
  title?: string;
  children: ComponentChildren;
  id?: string;
}

export function NotificationBanner(props: NotificationBannerProps) {
  const { t } = useUi();
  const kind = props.kind ?? 'info';
  const titleId = `${props.id ?? 'mg-banner'}-title`;
  return (
    <div class={`mg-banner mg-banner--${kind}`} id={props.id} role={kind === 'success' ? 'status' : 'region'} aria-labelledby={titleId}>
      <h2 class="mg-banner__title" id={titleId}>
        {props.title ?? t(kind === 'success' ? 'notification.success' : 'notification.info')}
      </h2>
      <div class="mg-banner__content">{props.children}</div>
    </div>
  );
}
