import { Injectable } from '@nestjs/common';
import { FieldCipher, maskIndividualNumber } from '@madoguchi/identity';
import type { MunicipalityId } from '@madoguchi/kernel';

/**
 * Form answers that are specific personal information. Whatever a procedure's
 * form calls `individualNumber` is encrypted before it is stored, shown only
 * masked, and decrypted in memory for validation, signing and the audited
 * reveal.
 */
export const SENSITIVE_FORM_FIELDS = ['individualNumber'] as const;

const SEALED = 'enc:';

@Injectable()
export class SensitiveFormFields {
  constructor(private readonly cipher: FieldCipher) {}

  seal(municipalityId: MunicipalityId | string, applicationId: string, form: Record<string, unknown>): Record<string, unknown> {
    const sealed = { ...form };
    for (const field of SENSITIVE_FORM_FIELDS) {
      const value = sealed[field];
      if (typeof value === 'string' && value !== '' && !value.startsWith(SEALED)) {
        sealed[field] = SEALED + this.cipher.encrypt(value, context(municipalityId, applicationId, field));
      }
    }
    return sealed;
  }

  open(municipalityId: MunicipalityId | string, applicationId: string, form: Record<string, unknown>): Record<string, unknown> {
    const opened = { ...form };
    for (const field of SENSITIVE_FORM_FIELDS) {
      const value = opened[field];
      if (typeof value === 'string' && value.startsWith(SEALED)) {
        opened[field] = this.cipher.decrypt(value.slice(SEALED.length), context(municipalityId, applicationId, field));
      }
    }
    return opened;
  }

  /** For every screen and response: the last four digits at most. */
  mask(municipalityId: MunicipalityId | string, applicationId: string, form: Record<string, unknown>): Record<string, unknown> {
    const opened = this.open(municipalityId, applicationId, form);
    const masked = { ...form };
    for (const field of SENSITIVE_FORM_FIELDS) {
      if (typeof opened[field] === 'string') masked[field] = maskIndividualNumber(opened[field] as string);
    }
    return masked;
  }

  /**
   * Sensitive answers are only ever shown masked, so the mask sent back in a
   * whole-form save means "unchanged", not a new value: the stored (sealed)
   * value is kept. Call under the row lock, with the stored form of the
   * revision the caller saw.
   */
  keepMasked(municipalityId: MunicipalityId | string, applicationId: string, stored: Record<string, unknown>, incoming: Record<string, unknown>): Record<string, unknown> {
    const masked = this.mask(municipalityId, applicationId, stored);
    const kept = { ...incoming };
    for (const field of SENSITIVE_FORM_FIELDS) {
      if (typeof kept[field] === 'string' && this.has({ [field]: stored[field] }) && kept[field] === masked[field]) kept[field] = stored[field];
    }
    return kept;
  }

  has(form: Record<string, unknown>): boolean {
    return SENSITIVE_FORM_FIELDS.some((field) => typeof form[field] === 'string' && (form[field] as string).startsWith(SEALED));
  }
}

function context(municipalityId: string, applicationId: string, field: string): string {
  return `form:${municipalityId}:${applicationId}:${field}`;
}
