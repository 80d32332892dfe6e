import { useUi } from '../context';
import { describedBy, fieldId, type FieldProps, FormGroup } from './form-group';

export interface SelectOption {
  value: string;
  label: string;
  /** Set when the label is in another language than the page. */
  lang?: string;
}

export interface SelectProps extends FieldProps {
  options: SelectOption[];
  value?: string;
  /** A first, empty option ("choose one"); on unless false. */
  placeholder?: boolean;
  autocomplete?: string;
}

export function Select(props: SelectProps) {
  const { t } = useUi();
  const id = fieldId(props);
  return (
    <FormGroup {...props}>
      <select
        class={`mg-select${props.error ? ' mg-input--error' : ''}`}
        id={id}
        name={props.name}
        autocomplete={props.autocomplete}
        aria-describedby={describedBy(id, props)}
        aria-invalid={props.error ? 'true' : undefined}
      >
        {props.placeholder === false ? null : <option value="">{t('select.choose')}</option>}
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value} lang={option.lang}>
            {option.label}
          </option>
        ))}
      </select>
    </FormGroup>
  );
}
