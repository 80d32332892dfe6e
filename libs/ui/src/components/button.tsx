import type { ComponentChildren } from 'preact';

export interface ButtonProps {
  children: ComponentChildren;
  /** primary: the one next step; secondary: an alternative; warning: destroys or withdraws something. */
  variant?: 'primary' | 'secondary' | 'warning';
  /** A link that looks like a button (navigation); a real <button> when absent. */
  href?: string;
  type?: 'submit' | 'button';
  /** A documented keyboard shortcut (the browser's access key), for staff pages' frequent actions. */
  accessKey?: string;
  name?: string;
  value?: string;
  /** A start button: larger, with an arrow, for "start the procedure". */
  start?: boolean;
  /** Lets several buttons of one form be told apart in tests and by the server. */
  id?: string;
}

export function Button(props: ButtonProps) {
  const className = `mg-button mg-button--${props.variant ?? 'primary'}${props.start ? ' mg-button--start' : ''}`;
  const content = (
    <>
      {props.children}
      {props.start ? (
        <svg class="mg-button__arrow" aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24">
          <path fill="currentColor" d="M8.6 3.4 7.2 4.8 14.4 12l-7.2 7.2 1.4 1.4L17.2 12z" />
        </svg>
      ) : null}
    </>
  );
  if (props.href !== undefined) {
    return (
      <a class={className} href={props.href} id={props.id} draggable={false}>
        {content}
      </a>
    );
  }
  return (
    <button class={className} type={props.type ?? 'submit'} name={props.name} value={props.value} id={props.id} accessKey={props.accessKey}>
      {content}
    </button>
  );
}
