import type { ApprovalLevel, StaffRole } from '@madoguchi/workflow';

export interface ResidentAccount {
  id: string;
  email: string | null;
  emailVerifiedAt: Date | null;
  passwordHash: string | null;
  failedLogins: number;
  lockedUntil: Date | null;
  jpkiSubject: string | null;
  individualNumberEnc: string | null;
  createdAt: Date;
}

export interface StaffAccount {
  id: string;
  loginId: string;
  displayName: string;
  passwordHash: string;
  roles: StaffRole[];
  approvalLevel: ApprovalLevel | null;
  departments: string[];
  totpSecretEnc: string | null;
  totpEnabledAt: Date | null;
  failedLogins: number;
  lockedUntil: Date | null;
  active: boolean;
  createdAt: Date;
}

/** Failed sign-ins in a row before the account locks; each further failure doubles the lock. */
export const LOCKOUT_THRESHOLD = 5;
const BASE_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

export function lockUntilAfterFailure(failedLogins: number, now: Date): Date | null {
  if (failedLogins < LOCKOUT_THRESHOLD) return null;
  const lockMs = Math.min(BASE_LOCK_MS * 2 ** (failedLogins - LOCKOUT_THRESHOLD), MAX_LOCK_MS);
  return new Date(now.getTime() + lockMs);
}
