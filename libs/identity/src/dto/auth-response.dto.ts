import { ApiProperty } from '@nestjs/swagger';
import type { StaffAccount } from '../accounts/account.types';
import type { IssuedTokens } from '../sessions/session.service';

export class TokensDto {
  @ApiProperty({ nullable: true, type: String, description: 'Null for cookie sessions (the cookie carries it)' }) accessToken!: string | null;
  @ApiProperty() accessExpiresAt!: string;
  @ApiProperty({ nullable: true, type: String }) refreshToken!: string | null;
  @ApiProperty({ nullable: true, type: String }) refreshExpiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Cookie sessions: send as X-CSRF-Token on changes' }) csrfToken!: string | null;
}

export function toTokens(tokens: IssuedTokens, transport: 'bearer' | 'cookie'): TokensDto {
  return {
    accessToken: transport === 'bearer' ? tokens.accessToken : null,
    accessExpiresAt: tokens.accessExpiresAt.toISOString(),
    refreshToken: tokens.refreshToken,
    refreshExpiresAt: tokens.refreshExpiresAt?.toISOString() ?? null,
    csrfToken: tokens.csrfToken,
  };
}

export class StaffDto {
  @ApiProperty() id!: string;
  @ApiProperty() loginId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ nullable: true, type: String }) approvalLevel!: string | null;
  @ApiProperty({ type: [String] }) departments!: string[];
  @ApiProperty() totpEnabled!: boolean;
  @ApiProperty() active!: boolean;
}

export class LockedStaffDto {
  @ApiProperty() id!: string;
  @ApiProperty() loginId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() lockedUntil!: string;
}

export function toLockedStaffDto(account: StaffAccount): LockedStaffDto {
  return { id: account.id, loginId: account.loginId, displayName: account.displayName, lockedUntil: account.lockedUntil!.toISOString() };
}

/** Lists what an administrator sees of a staff account: no hashes, no secrets. */
export function toStaffDto(account: StaffAccount): StaffDto {
  return {
    id: account.id,
    loginId: account.loginId,
    displayName: account.displayName,
    roles: account.roles,
    approvalLevel: account.approvalLevel,
    departments: account.departments,
    totpEnabled: account.totpEnabledAt !== null,
    active: account.active,
  };
}
