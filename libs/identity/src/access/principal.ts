import type { MunicipalityId } from '@madoguchi/kernel';
import type { ApprovalLevel, StaffRole } from '@madoguchi/workflow';

interface SessionFacts {
  municipalityId: MunicipalityId;
  id: string;
  sessionId: string;
  authMethod: string;
  transport: 'bearer' | 'cookie';
  /** Hash of the CSRF token of a cookie session; checked by the access guard. */
  csrfHash: string | null;
}

export interface ResidentPrincipal extends SessionFacts {
  kind: 'resident';
}

export interface StaffPrincipal extends SessionFacts {
  kind: 'staff';
  roles: StaffRole[];
  approvalLevel: ApprovalLevel | null;
  departments: string[];
}

export type Principal = ResidentPrincipal | StaffPrincipal;
