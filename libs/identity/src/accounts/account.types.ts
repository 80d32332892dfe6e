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
  /** 氏名 as the resident gave it at registration (null for card-only accounts and older ones). */
  name: string | null;
  /** Its reading in katakana (フリガナ). */
  nameKana: string | null;
  createdAt: Date;
}

/** A resident's name and its reading in katakana, as registration takes them. */
export interface ResidentName {
  name: string;
  kana: string | null;
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
  /** Last TOTP time step that signed in (unix seconds / 30); codes of that step or earlier are refused. */
  totpLastStep: number | null;
  active: boolean;
  createdAt: Date;
}

/**
 * Staff accounts lock after this many failed sign-ins (from any address) and
 * stay locked until an administrator unlocks them or the lock runs out. The
 * lock does not stop the owner: a correct password with a valid TOTP code
 * from an address that has not failed on the account still gets in. Every
 * lock is audited and listed for administrators (GET /admin/staff/locked).
 */
export const STAFF_LOCK_THRESHOLD = 10;
export const STAFF_LOCK_MS = 60 * 60_000;
