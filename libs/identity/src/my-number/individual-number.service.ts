import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { ResidentRepository } from '../accounts/resident.repository';
import type { StaffPrincipal } from '../access/principal';
import { FieldCipher } from '../crypto/field-cipher';
import { IdentityError } from '../identity.errors';
import { IdentityAudit } from '../identity-audit';
import { isValidIndividualNumber, maskIndividualNumber } from './individual-number';

/** Whether a staff member has a case of the resident in their departments. */
export type CaseCheck = (staff: StaffPrincipal, residentId: string) => Promise<boolean>;

/** Roles whose work (benefit eligibility) needs the number itself. */
const ROLES_ALLOWED_TO_REVEAL = ['reviewer', 'approver'] as const;

/**
 * Specific personal information: stored only encrypted, shown masked, and
 * decrypted in exactly one place, `reveal`, which checks the role and writes
 * an audit entry before returning anything. Never log the number.
 */
@Injectable()
export class IndividualNumberService {
  // Registered by the applications module; until then nobody may reveal (fail closed).
  private caseCheck: CaseCheck = async () => false;

  constructor(
    private readonly residents: ResidentRepository,
    private readonly cipher: FieldCipher,
    private readonly audit: IdentityAudit,
    private readonly clock: Clock,
  ) {}

  async store(municipalityId: MunicipalityId, residentId: string, individualNumber: string): Promise<{ masked: string }> {
    const normalized = individualNumber.replace(/[\s-]/g, '');
    if (!isValidIndividualNumber(normalized)) throw IdentityError.individualNumberInvalid();
    await this.residents.setIndividualNumber(municipalityId, residentId, this.cipher.encrypt(normalized, context(municipalityId, residentId)), this.clock.now());
    return { masked: maskIndividualNumber(normalized) };
  }

  /** The masked form, for screens; decrypts in memory only to take the last digits. */
  async masked(municipalityId: MunicipalityId, residentId: string): Promise<string | null> {
    const resident = await this.residents.findById(municipalityId, residentId);
    if (!resident?.individualNumberEnc) return null;
    return maskIndividualNumber(this.cipher.decrypt(resident.individualNumberEnc, context(municipalityId, residentId)));
  }

  /**
   * Identity knows nothing of applications; the applications module says
   * whether a staff member works on a case of the resident.
   */
  useCaseCheck(check: CaseCheck): void {
    this.caseCheck = check;
  }

  /**
   * The number for a system lookup in the resident registry (e.g. issuing a
   * certificate the resident applied for), never shown to anyone; audited
   * first as a decryption by the named component.
   */
  async forRegistryLookup(municipalityId: MunicipalityId, residentId: string, component: string, purpose: string): Promise<string | null> {
    const resident = await this.residents.findById(municipalityId, residentId);
    if (!resident?.individualNumberEnc) return null;
    await this.audit.individualNumberDecryptedBySystem(municipalityId, component, residentId, purpose);
    return this.cipher.decrypt(resident.individualNumberEnc, context(municipalityId, residentId));
  }

  async reveal(staff: StaffPrincipal, residentId: string, purpose: string): Promise<string> {
    if (!staff.roles.some((role) => (ROLES_ALLOWED_TO_REVEAL as readonly string[]).includes(role))) throw IdentityError.forbidden();
    const resident = await this.residents.findById(staff.municipalityId, residentId);
    // Only for residents with a submitted application in the staff member's departments.
    if (!resident?.individualNumberEnc || !(await this.caseCheck(staff, residentId))) throw IdentityError.notFound();
    // Audit first: if the entry cannot be written, nothing is shown.
    await this.audit.individualNumberDecrypted(staff.municipalityId, staff.id, residentId, purpose, staff.departments);
    return this.cipher.decrypt(resident.individualNumberEnc, context(staff.municipalityId, residentId));
  }
}

function context(municipalityId: MunicipalityId, residentId: string): string {
  return `individualNumber:${municipalityId}:${residentId}`;
}
