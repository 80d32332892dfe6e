import { describedBy, fieldId, type FieldProps, FormGroup } from './form-group';

export type InputMode = 'text' | 'numeric' | 'decimal' | 'tel' | 'email' | 'url' | 'search' | 'none';

export interface TextInputProps extends FieldProps {
  value?: string;
  type?: 'text' | 'email' | 'tel' | 'password' | 'search' | 'url';
  /** The HTML autocomplete token (`name`, `postal-code`, `email`, `off`, …): lets browsers fill what they know. */
  autocomplete?: string;
  inputmode?: InputMode;
  spellcheck?: boolean;
  maxLength?: number;
  pattern?: string;
  /** Width in characters, so the box hints at the expected length; full width when absent. */
  width?: 2 | 3 | 4 | 5 | 10 | 20;
  /** The language of what is typed when it differs from the page (e.g. `en` for romaji). */
  inputLang?: string;
}

export function TextInput(props: TextInputProps) {
  const id = fieldId(props);
  return (
    <FormGroup {...props}>
      <input
        class={`mg-input${props.width ? ` mg-input--w${props.width}` : ''}${props.error ? ' mg-input--error' : ''}`}
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        spellcheck={props.spellcheck}
        maxLength={props.maxLength}
        pattern={props.pattern}
        lang={props.inputLang}
        aria-describedby={describedBy(id, props)}
        aria-invalid={props.error ? 'true' : undefined}
      />
    </FormGroup>
  );
}
