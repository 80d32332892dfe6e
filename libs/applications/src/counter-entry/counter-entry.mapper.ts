import type { CompiledProcedure, IdentityLevel } from '@madoguchi/workflow';
import type { ApplicationEntity } from '@madoguchi/engine';
import { toApplicationDto } from '../application.mapper';
import type { IdentityCheck } from './counter-entry.repository';
import type { CounterApplicationDto, IdentityCheckDto } from './dto/counter-entry.dto';

/**
 * Online these levels are met by the card signature or cannot be met at all;
 * at the counter staff see the resident's documents instead.
 */
export const COUNTER_CHECKED_IDENTITY: readonly IdentityLevel[] = ['myNumberCardSignature', 'inPerson'];

export function toIdentityCheckDto(check: IdentityCheck): IdentityCheckDto {
  return {
    id: check.id,
    method: check.method,
    documentsShown: check.documentsShown,
    note: check.note,
    checkedBy: check.checkedBy,
    checkedAt: check.checkedAt.toISOString(),
  };
}

/** `formData` must already be masked (SensitiveFormFields.mask). */
export function toCounterApplicationDto(
  application: ApplicationEntity,
  compiled: CompiledProcedure,
  formData: Record<string, unknown>,
  checks: IdentityCheck[],
): CounterApplicationDto {
  return {
    ...toApplicationDto(application, compiled, formData),
    applicantId: application.applicantId,
    enteredBy: application.enteredBy,
    identityRequired: COUNTER_CHECKED_IDENTITY.includes(compiled.definition.identity),
    identityChecks: checks.map(toIdentityCheckDto),
  };
}
