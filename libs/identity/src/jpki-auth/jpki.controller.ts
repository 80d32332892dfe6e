import { Body, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { IpRateLimitGuard } from '../rate-limit/ip-rate-limit.guard';
import { ApiTags } from '@nestjs/swagger';
import { ApiController, CurrentMunicipality, type MunicipalityId, Public, StaffOnly } from '@madoguchi/kernel';
import type { Request, Response } from 'express';
import { CurrentStaff } from '../access/access.decorators';
import type { StaffPrincipal } from '../access/principal';
import { AuthFacade } from '../auth.facade';
import type { TokensDto } from '../dto/auth-response.dto';
import { CrlUploadDto, JpkiLoginDto } from '../dto/auth.dto';
import { JpkiAuthService } from './jpki-auth.service';
import { JpkiTrustStore } from './jpki-trust.store';

@ApiTags('auth')
@ApiController()
export class JpkiController {
  constructor(
    private readonly jpki: JpkiAuthService,
    private readonly trust: JpkiTrustStore,
    private readonly auth: AuthFacade,
  ) {}

  @Post('auth/jpki/nonce')
  @Public()
  @UseGuards(IpRateLimitGuard)
  @HttpCode(200)
  nonce(@CurrentMunicipality() municipalityId: MunicipalityId): Promise<{ nonce: string; expiresAt: string }> {
    return this.jpki.issueNonce(municipalityId);
  }

  @Post('auth/jpki/login')
  @Public()
  @UseGuards(IpRateLimitGuard, AuthGuard('jpki'))
  @HttpCode(200)
  login(
    @CurrentMunicipality() municipalityId: MunicipalityId,
    @Req() request: Request & { user: { residentId: string } },
    @Body() body: JpkiLoginDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokensDto> {
    return this.auth.residentSession(municipalityId, request.user.residentId, body.transport ?? 'bearer', response, 'jpki');
  }

  @Post('admin/jpki/crls')
  @StaffOnly('administrator')
  @HttpCode(200)
  uploadCrl(@CurrentStaff() admin: StaffPrincipal, @Body() body: CrlUploadDto): Promise<{ issuer: string; thisUpdate: string; nextUpdate: string | null; added: boolean }> {
    return this.trust.load(admin.municipalityId, Buffer.from(body.crl, body.crl.includes('-----BEGIN') ? 'utf8' : 'base64'));
  }
}
