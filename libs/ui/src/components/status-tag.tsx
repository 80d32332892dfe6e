import type { ComponentChildren } from 'preact';

export type StatusTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/** A short status word; colour is never the only signal (the word says it). */
export function StatusTag({ tone = 'neutral', children }: { tone?: StatusTone; children: ComponentChildren }) {
  return <strong class={`mg-tag mg-tag--${tone}`}>{children}</strong>;
}
