import { useUi } from '../context';
import { describedBy, fieldId, type FieldProps, FormGroup } from './form-group';

export interface FileUploadProps extends FieldProps {
  /** Accepted types shown to the reader and given to the browser, e.g. `['PDF', 'JPEG', 'PNG']` with `accept`. */
  typesLabel?: string;
  accept?: string;
  maxMb?: number;
  multiple?: boolean;
}

/** A plain multipart file field; the types and size limit are said before the reader picks a file. */
export function FileUpload(props: FileUploadProps) {
  const { t } = useUi();
  const id = fieldId(props);
  const limitsId = `${id}-limits`;
  const hasLimits = props.typesLabel !== undefined && props.maxMb !== undefined;
  return (
    <FormGroup {...props}>
      {hasLimits ? (
        <p id={limitsId} class="mg-hint">
          {t('fileUpload.limits', { types: props.typesLabel!, maxMb: props.maxMb! })}
        </p>
      ) : null}
      <input
        class={`mg-file${props.error ? ' mg-input--error' : ''}`}
        type="file"
        id={id}
        name={props.name}
        accept={props.accept}
        multiple={props.multiple}
        aria-describedby={describedBy(id, props, hasLimits ? limitsId : undefined)}
        aria-invalid={props.error ? 'true' : undefined}
      />
    </FormGroup>
  );
}
