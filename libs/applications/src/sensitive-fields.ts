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

  has(form: Record<string, unknown>): boolean {
    return SENSITIVE_FORM_FIELDS.some((field) => typeof form[field] === 'string' && (form[field] as string).startsWith(SEALED));
  }
}

function context(municipalityId: string, applicationId: string, field: string): string {
  return `form:${municipalityId}:${applicationId}:${field}`;
}
