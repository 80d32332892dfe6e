import type { ComponentChildren } from 'preact';
import { useUi } from '../context';

/** The props every form control shares. */
export interface FieldProps {
  /** The form field name; also the element id unless `id` is given. */
  name: string;
  id?: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  /** The message shown by the field, and linked from the error summary. */
  error?: string;
  /** Shows 任意 / optional after the label. */
  optional?: boolean;
  /** Marks the label visually as the page heading (one question per page). */
  labelAsHeading?: boolean;
}

export function fieldId(props: Pick<FieldProps, 'name' | 'id'>): string {
  return props.id ?? props.name.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** Ids the control names in aria-describedby: its hint and error, when present. */
export function describedBy(id: string, props: Pick<FieldProps, 'hint' | 'error'>, extra?: string): string | undefined {
  const ids = [extra, props.hint ? `${id}-hint` : undefined, props.error ? `${id}-error` : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function OptionalMark({ optional }: { optional?: boolean }) {
  const { t } = useUi();
  return optional ? <span class="mg-optional">{t('field.optional')}</span> : null;
}

export function Hint({ id, hint }: { id: string; hint?: ComponentChildren }) {
  return hint ? (
    <div id={`${id}-hint`} class="mg-hint">
      {hint}
    </div>
  ) : null;
}

/** The message by the field; the prefix tells a screen reader it is an error. */
export function ErrorMessage({ id, error }: { id: string; error?: string }) {
  const { t } = useUi();
  return error ? (
    <p id={`${id}-error`} class="mg-error-message">
      <span class="mg-visually-hidden">{t('field.errorPrefix')}</span>
      {error}
    </p>
  ) : null;
}

/** A labelled single control: label, hint, error, then the control. */
export function FormGroup(props: FieldProps & { children: ComponentChildren }) {
  const id = fieldId(props);
  const label = (
    <label class="mg-label" for={id}>
      {props.label}
      <OptionalMark optional={props.optional} />
    </label>
  );
  return (
    <div class={props.error ? 'mg-form-group mg-form-group--error' : 'mg-form-group'}>
      {props.labelAsHeading ? <h1 class="mg-label-heading">{label}</h1> : label}
      <Hint id={id} hint={props.hint} />
      <ErrorMessage id={id} error={props.error} />
      {props.children}
    </div>
  );
}

/** A group of controls answering one question: fieldset and legend. */
export function FieldsetGroup(props: FieldProps & { children: ComponentChildren; extraDescribedBy?: string }) {
  const id = fieldId(props);
  return (
    <div class={props.error ? 'mg-form-group mg-form-group--error' : 'mg-form-group'}>
      <fieldset class="mg-fieldset" aria-describedby={describedBy(id, props)}>
        <legend class={props.labelAsHeading ? 'mg-legend mg-legend--heading' : 'mg-legend'}>
          {props.labelAsHeading ? (
            <h1 class="mg-label-heading">
              {props.label}
              <OptionalMark optional={props.optional} />
            </h1>
          ) : (
            <>
              {props.label}
              <OptionalMark optional={props.optional} />
            </>
          )}
        </legend>
        <Hint id={id} hint={props.hint} />
        <ErrorMessage id={id} error={props.error} />
        {props.children}
      </fieldset>
    </div>
  );
}
