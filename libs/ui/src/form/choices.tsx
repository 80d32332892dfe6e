import type { ComponentChildren } from 'preact';
import { fieldId, FieldsetGroup, type FieldProps } from './form-group';

export interface ChoiceItem {
  value: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
}

export interface RadiosProps extends FieldProps {
  items: ChoiceItem[];
  value?: string;
  /** Side by side (for two short answers such as はい / いいえ). */
  inline?: boolean;
}

function Choice(props: { type: 'radio' | 'checkbox'; name: string; id: string; item: ChoiceItem; checked: boolean; invalid: boolean }) {
  const hintId = props.item.hint ? `${props.id}-item-hint` : undefined;
  return (
    <div class="mg-choice">
      <input
        class="mg-choice__input"
        type={props.type}
        id={props.id}
        name={props.name}
        value={props.item.value}
        checked={props.checked}
        aria-describedby={hintId}
        aria-invalid={props.invalid ? 'true' : undefined}
      />
      <label class="mg-choice__label" for={props.id}>
        {props.item.label}
      </label>
      {props.item.hint ? (
        <div id={hintId} class="mg-hint mg-choice__hint">
          {props.item.hint}
        </div>
      ) : null}
    </div>
  );
}

/** One answer from a few: radios in a fieldset. The first radio's id is the field id, so the error summary can link to it. */
export function Radios(props: RadiosProps) {
  const id = fieldId(props);
  return (
    <FieldsetGroup {...props}>
      <div class={props.inline ? 'mg-choices mg-choices--inline' : 'mg-choices'}>
        {props.items.map((item, index) => (
          <Choice type="radio" name={props.name} id={index === 0 ? id : `${id}-${index + 1}`} item={item} checked={item.value === props.value} invalid={Boolean(props.error)} />
        ))}
      </div>
    </FieldsetGroup>
  );
}

export interface CheckboxesProps extends FieldProps {
  items: ChoiceItem[];
  values?: string[];
}

/** Any number of answers: checkboxes in a fieldset, all posted under one name. */
export function Checkboxes(props: CheckboxesProps) {
  const id = fieldId(props);
  const values = new Set(props.values ?? []);
  return (
    <FieldsetGroup {...props}>
      <div class="mg-choices">
        {props.items.map((item, index) => (
          <Choice type="checkbox" name={props.name} id={index === 0 ? id : `${id}-${index + 1}`} item={item} checked={values.has(item.value)} invalid={Boolean(props.error)} />
        ))}
      </div>
    </FieldsetGroup>
  );
}
