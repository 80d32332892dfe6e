import { Body, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { AuthFacade, CurrentResident, IdentityError, IdentityErrorCode, IpRateLimitGuard, MIN_PASSWORD_LENGTH, ResidentOnly, type ResidentPrincipal } from '@madoguchi/identity';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { formField, weakPasswordAdvice } from './account-forms';
import { AccountHomeView, ChangePasswordView, DevicesView } from './account.views';

/** The signed-in resident's own account: overview, password change, signed-in devices and "sign out everywhere". */
@ResidentOnly()
@PageController('account')
export class AccountPageController {
  constructor(
    private readonly auth: AuthFacade,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  async home(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Query('changed') changed: unknown): Promise<void> {
    const context = this.pages.of(request);
    const me = (await this.auth.me(resident)) as { email: string | null; name: string | null; nameKana: string | null; myNumberCardLinked: boolean; authMethod: string };
    const view = AccountHomeView({ context, email: me.email, name: me.name, nameKana: me.nameKana, cardLinked: me.myNumberCardLinked, authMethod: me.authMethod, passwordChanged: changed === '1' });
    sendPage(response, context.lang, renderDocument(view));
  }

  @Get('password')
  passwordForm(@Req() request: Request, @Res() response: Response): void {
    const context = this.pages.of(request);
    sendPage(response, context.lang, renderDocument(ChangePasswordView({ context, errors: [], advice: null, minLength: MIN_PASSWORD_LENGTH })));
  }

  @Post('password')
  @UseGuards(IpRateLimitGuard)
  async changePassword(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const context = this.pages.of(request);
    const { t } = context;
    const current = formField(body, 'currentPassword', false);
    const next = formField(body, 'newPassword', false);
    const errors: FieldError[] = [];
    if (current === '') errors.push({ fieldId: 'currentPassword', message: t('account.password.currentMissing') });
    if (next === '') errors.push({ fieldId: 'newPassword', message: t('account.signIn.passwordMissing') });
    let advice = null;
    let status = 400;
    if (errors.length === 0) {
      try {
        await this.auth.changePassword(resident, current, next);
        response.redirect(303, '/account?changed=1');
        return;
      } catch (error) {
        if (error instanceof IdentityError && error.code === IdentityErrorCode.InvalidCredentials) {
          errors.push({ fieldId: 'currentPassword', message: t('account.password.currentWrong') });
          status = 422;
        } else {
          advice = weakPasswordAdvice(context, error);
          if (!advice) throw error;
          errors.push({ fieldId: 'newPassword', message: advice.message });
          status = 422;
        }
      }
    }
    sendPage(response, context.lang, renderDocument(ChangePasswordView({ context, errors, advice, minLength: MIN_PASSWORD_LENGTH })), status);
  }

  @Get('devices')
  async devices(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response): Promise<void> {
    const context = this.pages.of(request);
    sendPage(response, context.lang, renderDocument(DevicesView({ context, sessions: await this.auth.residentSessions(resident) })));
  }

  @Post('devices/sign-out-everywhere')
  async signOutEverywhere(@CurrentResident() resident: ResidentPrincipal, @Res() response: Response): Promise<void> {
    await this.auth.signOutEverywhere(resident, response);
    response.redirect(303, '/account/sign-in?out=everywhere');
  }
}
