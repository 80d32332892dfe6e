import { Body, Get, HttpCode, Ip, Post, Req, Res, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { IpRateLimitGuard } from './rate-limit/ip-rate-limit.guard';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiController, CurrentMunicipality, type MunicipalityId } from '@madoguchi/kernel';
import type { Request, Response } from 'express';
import { Authenticated, CurrentPrincipal, CurrentResident, CurrentStaff, Public, ResidentOnly, StaffOnly } from './access/access.decorators';
import type { Principal, ResidentPrincipal, StaffPrincipal } from './access/principal';
import type { StaffAccount } from './accounts/account.types';
import type { TokensDto } from './dto/auth-response.dto';
import {
  ChangePasswordDto,
  EmailDto,
  RefreshDto,
  RegisterResidentDto,
  ResetPasswordDto,
  ResidentLoginDto,
  StaffLoginDto,
  TokenDto,
  TotpCodeDto,
} from './dto/auth.dto';
import { AuthFacade } from './auth.facade';
import { STAFF_ROLES } from '@madoguchi/workflow';

type LoginRequest = Request & { user: { residentId?: string; account?: StaffAccount } };

/**
 * IpRateLimitGuard sits on each route that takes credentials or tokens from
 * strangers, not on the controller: /auth/me, logout and TOTP enrolment are
 * signed-in calls that must not spend (or be stopped by) a sign-in allowance.
 */
@ApiTags('auth')
@ApiController('auth')
export class AuthController {
  constructor(private readonly auth: AuthFacade) {}

  @Post('residents/register')
  @UseGuards(IpRateLimitGuard)
  @Public()
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'A mail goes to the address; the answer is the same whether or not it was registered' })
  register(@CurrentMunicipality() municipalityId: MunicipalityId, @Ip() ip: string, @Body() body: RegisterResidentDto): Promise<{ status: string }> {
    return this.auth.register(municipalityId, ip, body.email, body.password, body.name ? { name: body.name.trim(), kana: body.nameKana?.trim() || null } : null);
  }

  @Post('residents/verify-email')
  @UseGuards(IpRateLimitGuard)
  @Public()
  @HttpCode(204)
  verifyEmail(@CurrentMunicipality() municipalityId: MunicipalityId, @Body() body: TokenDto): Promise<void> {
    return this.auth.verifyEmail(municipalityId, body.token);
  }

  @Post('residents/login')
  @Public()
  @UseGuards(IpRateLimitGuard, AuthGuard('resident-password'))
  @HttpCode(200)
  @ApiOkResponse({ description: 'Tokens, or a session cookie with transport=cookie' })
  residentLogin(
    @CurrentMunicipality() municipalityId: MunicipalityId,
    @Req() request: LoginRequest,
    @Body() body: ResidentLoginDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokensDto> {
    return this.auth.residentSession(municipalityId, request.user.residentId!, body.transport ?? 'bearer', response);
  }

  @Post('residents/password-reset')
  @UseGuards(IpRateLimitGuard)
  @Public()
  @HttpCode(202)
  requestPasswordReset(@CurrentMunicipality() municipalityId: MunicipalityId, @Ip() ip: string, @Body() body: EmailDto): Promise<{ status: string }> {
    return this.auth.requestPasswordReset(municipalityId, ip, body.email);
  }

  @Post('residents/password-reset/confirm')
  @UseGuards(IpRateLimitGuard)
  @Public()
  @HttpCode(204)
  confirmPasswordReset(@CurrentMunicipality() municipalityId: MunicipalityId, @Body() body: ResetPasswordDto): Promise<void> {
    return this.auth.confirmPasswordReset(municipalityId, body.token, body.password);
  }

  @Post('residents/password')
  @UseGuards(IpRateLimitGuard)
  @ResidentOnly()
  @HttpCode(204)
  changePassword(@CurrentResident() resident: ResidentPrincipal, @Body() body: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(resident, body.currentPassword, body.newPassword);
  }

  @Post('staff/login')
  @Public()
  @UseGuards(IpRateLimitGuard, AuthGuard('staff-password'))
  @HttpCode(200)
  staffLogin(
    @CurrentMunicipality() municipalityId: MunicipalityId,
    @Req() request: LoginRequest,
    @Body() body: StaffLoginDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokensDto> {
    return this.auth.staffSession(municipalityId, request.user.account!, body.transport ?? 'bearer', response);
  }

  @Post('staff/totp')
  @StaffOnly(...STAFF_ROLES)
  @HttpCode(200)
  beginTotp(@CurrentStaff() staff: StaffPrincipal): Promise<{ secret: string; otpauthUri: string }> {
    return this.auth.beginTotp(staff);
  }

  @Post('staff/totp/confirm')
  @StaffOnly(...STAFF_ROLES)
  @HttpCode(204)
  confirmTotp(@CurrentStaff() staff: StaffPrincipal, @Body() body: TotpCodeDto): Promise<void> {
    return this.auth.confirmTotp(staff, body.code);
  }

  @Post('refresh')
  @UseGuards(IpRateLimitGuard)
  @Public()
  @HttpCode(200)
  refresh(@Body() body: RefreshDto): Promise<TokensDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse()
  logout(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response): Promise<void> {
    return this.auth.logout(principal!, response);
  }

  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() principal: Principal): Promise<Record<string, unknown>> {
    return this.auth.me(principal!);
  }
}
