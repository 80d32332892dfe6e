import type { Translate } from '../i18n/i18n';
import { Checkboxes, Radios } from './choices';
import { DateInput } from './date-input';
import { fieldId } from './form-group';
import { Select } from './select';
import { type InputMode, TextInput } from './text-input';
import { Textarea } from './textarea';
import { countField, isDate, isGroup, isSensitive, orderedEntries, type RawValues, type SchemaNode } from './schema-form-model';

/** A field's words in the page language (a procedure's localized texts, by property path). */
export interface SchemaFieldText {
  title: string;
  hint?: string;
  choices?: Array<{ value: string; label: string }>;
}

/** What the schema form needs of the page: its translator. */
export interface SchemaFormContext {
  t: Translate;
}

/** What the fields of one page render from: schema, texts, raw values, errors by field id, masked stored values. */
export interface FieldsProps {
  context: SchemaFormContext;
  schema: Record<string, unknown>;
  keys: string[];
  required: string[];
  texts: Record<string, SchemaFieldText>;
  values: RawValues;
  errors: Record<string, string>;
  /** Masked sensitive answers by field name (e.g. `bankAccount.accountNumber` → `***4567`). */
  masked: Record<string, string>;
  /** Whether a page heading already names the single group (then its legend is not repeated as a heading). */
  groupIsHeading: boolean;
  /** The postal-code lookup route, when postal data is installed; the script then fills the address field beside a postal code. */
  postalLookup?: string | null;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
/** Texts are keyed by property path without array indexes (`children.name`). */
const textPath = (name: string) => name.split('.').filter((part) => !/^\d+$/.test(part)).join('.');

interface InputHints {
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  inputmode?: InputMode;
  width?: 2 | 3 | 4 | 5 | 10 | 20;
  /** For the postal-code → address enhancement. */
  postal?: boolean;
}

/** Native keyboards and browser autofill from the field's format, pattern and name. */
function hintsFor(node: SchemaNode, path: string): InputHints {
  const key = path.split('.').pop() ?? '';
  if (node.format === 'email') return { type: 'email', autocomplete: 'email', inputmode: 'email' };
  if (node.format === 'jp-phone' || /phone|tel$/i.test(key)) return { type: 'tel', autocomplete: 'tel', inputmode: 'tel', width: 20 };
  if (node.format === 'jp-postal-code' || /postalcode$/i.test(key)) return { autocomplete: 'postal-code', inputmode: 'numeric', width: 10, postal: true };
  if (node.type === 'integer') return { inputmode: 'numeric', width: 10 };
  if (node.type === 'number') return { inputmode: 'decimal', width: 10 };
  const digits = /^\^\[0-9\]\{(\d+)\}\$$/.exec(node.pattern ?? '');
  if (digits) {
    const length = Number(digits[1]);
    return { inputmode: 'numeric', autocomplete: 'off', width: length <= 2 ? 2 : length <= 3 ? 3 : length <= 4 ? 4 : length <= 5 ? 5 : length <= 10 ? 10 : 20 };
  }
  if (path === 'applicantName') return { autocomplete: 'name' };
  if (/kana$/i.test(key)) return { autocomplete: 'off' };
  return {};
}

function Leaf(props: FieldsProps & { node: SchemaNode; name: string; optional: boolean }) {
  const { node, name, context } = props;
  const text = props.texts[textPath(name)] ?? { title: name };
  const id = fieldId({ name });
  const error = props.errors[id];
  const common = { name, label: text.title, hint: text.hint, error, optional: props.optional };
  if (isDate(node)) {
    return (
      <DateInput
        {...common}
        mode="wareki"
        birthday={/birth/i.test(name)}
        value={{ era: first(props.values[`${name}-era`]) || undefined, year: first(props.values[`${name}-year`]), month: first(props.values[`${name}-month`]), day: first(props.values[`${name}-day`]) }}
      />
    );
  }
  if (node.type === 'boolean') {
    return <Checkboxes {...common} label={text.title} items={[{ value: 'true', label: context.t('apply.yes') }]} values={first(props.values[name]) === 'true' ? ['true'] : []} optional={false} />;
  }
  const choices = text.choices ?? (node.enum ?? node.items?.enum)?.map((value) => ({ value: String(value), label: String(value) }));
  if (node.type === 'array' && choices) {
    const values = props.values[name];
    return <Checkboxes {...common} items={choices} values={Array.isArray(values) ? values : values ? [values] : []} />;
  }
  if (choices) {
    return choices.length <= 6 ? <Radios {...common} items={choices} value={first(props.values[name])} /> : <Select {...common} options={choices} value={first(props.values[name])} />;
  }
  const masked = props.masked[name];
  if (isSensitive(node, textPath(name))) {
    // Never shown back: the stored answer is kept when the box is left empty.
    const hint = masked ? [text.hint, context.t('apply.sensitiveStored', { masked })].filter(Boolean).join(' ') : text.hint;
    return <TextInput {...common} hint={hint} optional={props.optional || Boolean(masked)} value="" autocomplete="off" inputmode="numeric" {...widthOf(hintsFor(node, name))} />;
  }
  if ((node.maxLength ?? 0) > 200) return <Textarea {...common} value={first(props.values[name])} maxLength={node.maxLength} />;
  const hints = hintsFor(node, name);
  const input = (
    <TextInput
      {...common}
      value={first(props.values[name])}
      type={hints.type}
      autocomplete={hints.autocomplete}
      inputmode={hints.inputmode}
      width={hints.width}
      maxLength={node.maxLength}
      spellcheck={hints.inputmode ? false : undefined}
    />
  );
  if (!hints.postal) return input;
  const address = props.postalLookup ? addressFieldOf(props.schema as SchemaNode, name) : null;
  return address ? (
    <div data-mg-postal-code={name} data-mg-postal-lookup={props.postalLookup} data-mg-address-target={fieldId({ name: address })}>
      {input}
    </div>
  ) : (
    <div data-mg-postal-code={name}>{input}</div>
  );
}

/**
 * The address field a postal code fills: the sibling named like it with
 * `Address` for `PostalCode` (`newPostalCode` → `newAddress`,
 * `applicant.postalCode` → `applicant.address`), when the schema has one.
 */
export function addressFieldOf(schema: SchemaNode, name: string): string | null {
  const parts = name.split('.');
  const last = parts.pop() ?? '';
  if (!/postalcode$/i.test(last)) return null;
  const candidate = last.replace(/PostalCode$/, 'Address').replace(/^postalCode$/i, 'address');
  let node: SchemaNode | undefined = schema;
  for (const part of parts) node = /^\d+$/.test(part) ? node?.items : node?.properties?.[part];
  return node?.properties?.[candidate]?.type === 'string' ? [...parts, candidate].join('.') : null;
}

const widthOf = (hints: InputHints) => (hints.width ? { width: hints.width } : {});

/** A repeatable list: each row with a remove button, then "add another" (submit buttons: they work without JavaScript). */
function List(props: FieldsProps & { node: SchemaNode; name: string; optional: boolean; asHeading: boolean }) {
  const { node, name, context } = props;
  const text = props.texts[textPath(name)] ?? { title: name };
  const count = Number(first(props.values[countField(name)])) || 0;
  const max = node.maxItems ?? 50;
  const item = node.items ?? {};
  const id = fieldId({ name });
  const error = props.errors[id];
  return (
    <div class={error ? 'mg-form-group mg-form-group--error' : 'mg-form-group'} id={id} tabindex={-1}>
      {props.asHeading ? null : <h2 class="mg-heading-m">{text.title}</h2>}
      {text.hint ? <p class="mg-hint">{text.hint}</p> : null}
      {error ? <p class="mg-error-message">{error}</p> : null}
      <input type="hidden" name={countField(name)} value={String(count)} />
      {Array.from({ length: count }, (_, index) => {
        const itemName = `${name}.${index}`;
        const label = context.t('apply.item', { title: text.title, number: index + 1 });
        return (
          <fieldset class="mg-fieldset mg-repeat">
            <legend class="mg-legend">{label}</legend>
            {item.type === 'object' ? (
              orderedEntries(item).map(([key, child]) => (
                <Node {...props} node={child} name={`${itemName}.${key}`} optional={!(item.required ?? []).includes(key)} asHeading={false} />
              ))
            ) : (
              <Leaf {...props} node={item} name={itemName} optional={false} />
            )}
            <button type="submit" class="mg-button mg-button--secondary" name="_action" value={`remove:${itemName}`}>
              {context.t('apply.remove')}
              <span class="mg-visually-hidden"> {label}</span>
            </button>
          </fieldset>
        );
      })}
      {count < max ? (
        <button type="submit" class="mg-button mg-button--secondary" name="_action" value={`add:${name}`}>
          {context.t('apply.addAnother', { title: text.title })}
        </button>
      ) : null}
    </div>
  );
}

function Node(props: FieldsProps & { node: SchemaNode; name: string; optional: boolean; asHeading: boolean }) {
  const { node, name } = props;
  if (node.type === 'object') {
    const text = props.texts[textPath(name)] ?? { title: name };
    const inner = orderedEntries(node).map(([key, child]) => (
      <Node {...props} node={child} name={`${name}.${key}`} optional={!(node.required ?? []).includes(key)} asHeading={false} />
    ));
    if (props.asHeading) return <>{inner}</>;
    return (
      <fieldset class="mg-fieldset" id={fieldId({ name })}>
        <legend class="mg-legend">{text.title}</legend>
        {inner}
      </fieldset>
    );
  }
  if (node.type === 'array' && (node.items?.type === 'object' || !node.items?.enum)) return <List {...props} />;
  return <Leaf {...props} />;
}

/** The fields of one page, in schema order. */
export function SectionFields(props: FieldsProps) {
  const properties = (props.schema as SchemaNode).properties ?? {};
  return (
    <>
      {props.keys.map((key) => (
        <Node {...props} node={properties[key]} name={key} optional={!props.required.includes(key)} asHeading={props.groupIsHeading && isGroup(properties[key])} />
      ))}
    </>
  );
}
