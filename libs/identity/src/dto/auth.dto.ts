import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { APPROVAL_LEVELS, type ApprovalLevel, STAFF_ROLES, type StaffRole } from '@madoguchi/workflow';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';

import { KATAKANA_NAME, RESIDENT_NAME_KANA_MAX_LENGTH, RESIDENT_NAME_MAX_LENGTH } from '../accounts/resident-name';

const TRANSPORTS = ['bearer', 'cookie'] as const;

export class RegisterResidentDto {
  @ApiProperty({ example: 'taro@example.jp' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MaxLength(256) password!: string;
  @ApiPropertyOptional({ description: '氏名; put into the applicant-name fields of new applications', example: '窓口 太郎', maxLength: RESIDENT_NAME_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @Matches(/\S/)
  @MaxLength(RESIDENT_NAME_MAX_LENGTH)
  name?: string;
  @ApiPropertyOptional({ description: 'Its reading in katakana (フリガナ); only with `name`', example: 'マドグチ タロウ', maxLength: RESIDENT_NAME_KANA_MAX_LENGTH })
  @IsOptional()
  @Matches(KATAKANA_NAME)
  @MaxLength(RESIDENT_NAME_KANA_MAX_LENGTH)
  nameKana?: string;
}

export class TokenDto {
  @ApiProperty() @IsString() @MaxLength(200) token!: string;
}

export class ResidentLoginDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @MaxLength(256) password!: string;
  @ApiPropertyOptional({ enum: TRANSPORTS, default: 'bearer' }) @IsOptional() @IsIn(TRANSPORTS) transport?: 'bearer' | 'cookie';
}

export class EmailDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;
}

export class ResetPasswordDto {
  @ApiProperty() @IsString() @MaxLength(200) token!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MaxLength(256) password!: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(256) currentPassword!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MaxLength(256) newPassword!: string;
}

export class StaffLoginDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) loginId!: string;
  @ApiProperty() @IsString() @MaxLength(256) password!: string;
  @ApiPropertyOptional({ description: 'Six-digit TOTP code' }) @IsOptional() @Matches(/^[0-9]{6}$/) totpCode?: string;
  @ApiPropertyOptional({ enum: TRANSPORTS, default: 'bearer' }) @IsOptional() @IsIn(TRANSPORTS) transport?: 'bearer' | 'cookie';
}

export class TotpCodeDto {
  @ApiProperty() @Matches(/^[0-9]{6}$/) code!: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @MaxLength(200) refreshToken!: string;
}

export class IndividualNumberDto {
  @ApiProperty({ description: '12 digits; spaces and hyphens are ignored' }) @IsString() @MaxLength(20) individualNumber!: string;
}

export class RevealDto {
  @ApiProperty({ description: 'Why the number is needed (recorded in the audit log)', example: '児童手当の認定審査' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  purpose!: string;
}

export class StaffUpdateDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) displayName!: string;
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) @IsArray() @ArrayUnique() @ArrayMaxSize(STAFF_ROLES.length) @IsIn(STAFF_ROLES, { each: true }) roles!: StaffRole[];
  @ApiProperty({ enum: APPROVAL_LEVELS, nullable: true }) @ValidateIf((_, value) => value !== null) @IsIn(APPROVAL_LEVELS) approvalLevel!: ApprovalLevel | null;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayUnique() @ArrayMaxSize(50) @IsString({ each: true }) departments!: string[];
  @ApiProperty() @IsBoolean() active!: boolean;
}

export class StaffCreateDto extends StaffUpdateDto {
  @ApiProperty() @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/) loginId!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MaxLength(256) password!: string;
}

class LocalizedNameDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) ja!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) en!: string;
}

export class DepartmentDto {
  @ApiProperty() @Matches(/^[a-z][a-z0-9-]{1,31}$/) code!: string;
  @ApiProperty({ type: LocalizedNameDto }) @ValidateNested() @Type(() => LocalizedNameDto) name!: LocalizedNameDto;
  @ApiProperty() @IsBoolean() active!: boolean;
}

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) targetType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) targetId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) action?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
}

export class JpkiLoginDto {
  @ApiProperty() @IsString() @MaxLength(100) nonce!: string;
  @ApiProperty({ description: 'Base64 RSA-SHA256 signature over the nonce (UTF-8 bytes)' }) @IsString() @MaxLength(4096) signature!: string;
  @ApiProperty({ type: [String], description: 'Authentication certificate first (PEM or base64 DER), then CA certificates' })
  @IsArray()
  @ArrayMaxSize(4)
  @IsString({ each: true })
  @MaxLength(16384, { each: true })
  certificateChain!: string[];
  @ApiPropertyOptional({ enum: TRANSPORTS }) @IsOptional() @IsIn(TRANSPORTS) transport?: 'bearer' | 'cookie';
}

export class CrlUploadDto {
  @ApiProperty({ description: 'The CRL, PEM or base64 DER' }) @IsString() @MaxLength(10_000_000) crl!: string;
}
