import { Injectable } from '@nestjs/common';
import { FieldCipher } from '../crypto/field-cipher';
import { maskIndividualNumber } from '../my-number/individual-number';
import type { MunicipalityId } from '@madoguchi/kernel';

/**
 * Form answers that are sensitive personal information: the individual
 * number (個人番号) and whatever a form schema marks `x-sensitive` (bank
 * account numbers…), by one mechanism. The paths come from
 * `sensitiveFieldPaths(schema)` (CompiledProcedure.sensitivePaths). A value
 * at such a path is encrypted before it is stored, shown only masked (last
 * four digits at most) on every read, resident or staff, and decrypted in
 * memory for validation, signing, approval and the audited reveal.
 *
 * A sealed value says so itself (`enc:`), so opening and masking need no
 * schema: whatever was sealed is opened, at any depth.
 */
export const SENSITIVE_FORM_FIELDS = ['individualNumber'] as const;

const SEALED = 'enc:';

type Form = Record<string, unknown>;

@Injectable()
export class SensitiveFormFields {
  constructor(private readonly cipher: FieldCipher) {}

  /** Encrypts the answers at `paths` (dotted, `*` for array items); the default is the individual number alone. */
  seal(municipalityId: MunicipalityId | string, applicationId: string, form: Form, paths: readonly string[] = SENSITIVE_FORM_FIELDS): Form {
    let sealed = form;
    for (const path of paths) {
      sealed = rewriteAt(sealed, path.split('.'), [], (value, at) =>
        typeof value === 'string' && value !== '' && !value.startsWith(SEALED) ? SEALED + this.cipher.encrypt(value, context(municipalityId, applicationId, at)) : value,
      );
    }
    return sealed;
  }

  open(municipalityId: MunicipalityId | string, applicationId: string, form: Form): Form {
    return mapSealed(form, [], (value, at) => this.cipher.decrypt(value.slice(SEALED.length), context(municipalityId, applicationId, at))) as Form;
  }

  /** For every screen and response: the last four characters at most. */
  mask(municipalityId: MunicipalityId | string, applicationId: string, form: Form): Form {
    return mapSealed(form, [], (value, at) => {
      const opened = this.cipher.decrypt(value.slice(SEALED.length), context(municipalityId, applicationId, at));
      return at.length === 1 && at[0] === 'individualNumber' ? maskIndividualNumber(opened) : maskLast4(opened);
    }) as Form;
  }

  /**
   * Sensitive answers are only ever shown masked, so the mask sent back in a
   * whole-form save means "unchanged", not a new value: the stored (sealed)
   * value is kept. Call under the row lock, with the stored form of the
   * revision the caller saw.
   */
  keepMasked(municipalityId: MunicipalityId | string, applicationId: string, stored: Form, incoming: Form): Form {
    const masked = this.mask(municipalityId, applicationId, stored);
    const keep = (storedNode: unknown, maskedNode: unknown, incomingNode: unknown): unknown => {
      if (typeof storedNode === 'string' && storedNode.startsWith(SEALED)) return incomingNode === maskedNode ? storedNode : incomingNode;
      if (Array.isArray(storedNode) && Array.isArray(incomingNode)) {
        return incomingNode.map((item, index) => keep(storedNode[index], (maskedNode as unknown[])[index], item));
      }
      if (isObject(storedNode) && isObject(incomingNode)) {
        const out: Form = { ...incomingNode };
        for (const key of Object.keys(incomingNode)) out[key] = keep(storedNode[key], (maskedNode as Form)[key], incomingNode[key]);
        return out;
      }
      return incomingNode;
    };
    return keep(stored, masked, incoming) as Form;
  }

  has(form: Form): boolean {
    let found = false;
    mapSealed(form, [], (value) => {
      found = true;
      return value;
    });
    return found;
  }
}

function context(municipalityId: string, applicationId: string, at: string[]): string {
  // A top-level field keeps the context it always had (form:…:individualNumber).
  return `form:${municipalityId}:${applicationId}:${at.join('.')}`;
}

/** 1234567 → ***4567 */
export function maskLast4(value: string): string {
  return value.length <= 4 ? '*'.repeat(value.length) : `${'*'.repeat(value.length - 4)}${value.slice(-4)}`;
}

function isObject(value: unknown): value is Form {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy with every sealed string replaced by `change(value, path)`. */
function mapSealed(node: unknown, at: string[], change: (value: string, at: string[]) => string): unknown {
  if (typeof node === 'string') return node.startsWith(SEALED) ? change(node, at) : node;
  if (Array.isArray(node)) return node.map((item, index) => mapSealed(item, [...at, String(index)], change));
  if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, mapSealed(value, [...at, key], change)]));
  return node;
}

/** A copy with the value(s) at `path` (segments; `*` any array index) replaced. */
function rewriteAt(node: Form, path: string[], at: string[], change: (value: unknown, at: string[]) => unknown): Form {
  const [head, ...rest] = path;
  if (!(head in node)) return node;
  const value = node[head];
  const here = [...at, head];
  if (rest.length === 0) return { ...node, [head]: change(value, here) };
  if (rest[0] === '*' && Array.isArray(value)) {
    const tail = rest.slice(1);
    return {
      ...node,
      [head]: value.map((item, index) =>
        tail.length === 0 ? change(item, [...here, String(index)]) : isObject(item) ? rewriteAt(item, tail, [...here, String(index)], change) : item,
      ),
    };
  }
  return isObject(value) ? { ...node, [head]: rewriteAt(value, rest, here, change) } : node;
}
