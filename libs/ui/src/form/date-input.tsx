import { useUi } from '../context';
import type { MessageKey } from '../i18n/messages.ja';
import { fieldId, FieldsetGroup, type FieldProps } from './form-group';

/** Era letters as the kernel's calendar names them, newest first. */
export const DATE_INPUT_ERAS = ['R', 'H', 'S', 'T', 'M'] as const;
export type DateInputEra = (typeof DATE_INPUT_ERAS)[number];

export interface DateInputValue {
  era?: string;
  year?: string;
  month?: string;
  day?: string;
}

export interface DateInputProps extends FieldProps {
  value?: DateInputValue;
  /** `wareki`: era select + era year (how Japanese forms ask); `gregorian`: a four-digit year. */
  mode?: 'wareki' | 'gregorian';
  /** For a date of birth: lets the browser fill `bday-*`. */
  birthday?: boolean;
  /** Which part is wrong, so only that box is marked; all when absent. */
  errorParts?: Array<'era' | 'year' | 'month' | 'day'>;
}

/**
 * A date as separate boxes (era, year, month, day) posted as
 * `<name>-era`, `<name>-year`, `<name>-month`, `<name>-day`: numeric
 * keyboards on phones, no date picker to fight, and 和暦 the way residents
 * read it on their papers. The caller converts to ISO with the kernel's
 * calendar and reports errors against the field id (the first box).
 */
export function DateInput(props: DateInputProps) {
  const { t } = useUi();
  const id = fieldId(props);
  const mode = props.mode ?? 'wareki';
  const marked = (part: 'era' | 'year' | 'month' | 'day') => Boolean(props.error) && (!props.errorParts || props.errorParts.includes(part));
  const box = (part: 'year' | 'month' | 'day', label: MessageKey, width: number, first: boolean, autocomplete?: string) => (
    <div class="mg-date__item">
      <label class="mg-date__label" for={first ? id : `${id}-${part}`}>
        {t(label)}
      </label>
      <input
        class={`mg-input mg-input--w${width}${marked(part) ? ' mg-input--error' : ''}`}
        id={first ? id : `${id}-${part}`}
        name={`${props.name}-${part}`}
        type="text"
        inputmode="numeric"
        pattern="[0-9]*"
        maxLength={part === 'year' && mode === 'gregorian' ? 4 : 2}
        value={props.value?.[part] ?? ''}
        autocomplete={props.birthday ? autocomplete : undefined}
        aria-invalid={marked(part) ? 'true' : undefined}
      />
    </div>
  );
  return (
    <FieldsetGroup {...props}>
      <div class="mg-date">
        {mode === 'wareki' ? (
          <div class="mg-date__item">
            <label class="mg-date__label" for={id}>
              {t('date.era')}
            </label>
            <select class={`mg-select mg-select--era${marked('era') ? ' mg-input--error' : ''}`} id={id} name={`${props.name}-era`} aria-invalid={marked('era') ? 'true' : undefined}>
              {DATE_INPUT_ERAS.map((era) => (
                <option value={era} selected={(props.value?.era ?? 'R') === era}>
                  {t(`date.era.${era}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {box('year', mode === 'gregorian' ? 'date.gregorian' : 'date.year', mode === 'gregorian' ? 4 : 2, mode === 'gregorian', 'bday-year')}
        {box('month', 'date.month', 2, false, 'bday-month')}
        {box('day', 'date.day', 2, false, 'bday-day')}
      </div>
    </FieldsetGroup>
  );
}
