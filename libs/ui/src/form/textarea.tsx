import { describedBy, fieldId, type FieldProps, FormGroup } from './form-group';

export interface TextareaProps extends FieldProps {
  value?: string;
  rows?: number;
  maxLength?: number;
  autocomplete?: string;
  spellcheck?: boolean;
}

export function Textarea(props: TextareaProps) {
  const id = fieldId(props);
  return (
    <FormGroup {...props}>
      <textarea
        class={`mg-textarea${props.error ? ' mg-input--error' : ''}`}
        id={id}
        name={props.name}
        rows={props.rows ?? 5}
        maxLength={props.maxLength}
        autocomplete={props.autocomplete}
        spellcheck={props.spellcheck}
        aria-describedby={describedBy(id, props)}
        aria-invalid={props.error ? 'true' : undefined}
      >
        {props.value ?? ''}
      </textarea>
    </FormGroup>
  );
}
