import { Body, Controller, Get, Header, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@madoguchi/kernel';
import type { Request, Response } from 'express';
import { interactionPage } from './simulated-digital-auth.pages';
import { errorPage, isSignRequest, SimulatedDigitalAuthService } from './simulated-digital-auth.service';

/**
 * The hosted pages of the simulated digital authentication service: choose a
 * test card, type the PIN (sign-in) or the signing password (sign). The
 * protocol endpoints are oidc-provider's (SimulatedDigitalAuthMiddleware).
 */
@ApiExcludeController()
@Controller('simulated-digital-auth/interaction')
@Public()
export class SimulatedDigitalAuthController {
  constructor(private readonly simulator: SimulatedDigitalAuthService) {}

  @Get(':uid')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
  async show(@Param('uid') _uid: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    if (!this.simulator.enabled) throw new NotFoundException();
    const details = await this.detailsOrError(request, response);
    if (!details) return;
    response.type('html').send(interactionPage({ details, cards: await this.simulator.cards(), signing: isSignRequest(details.params) }));
  }

  @Post(':uid')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
  async submit(
    @Param('uid') _uid: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!this.simulator.enabled) throw new NotFoundException();
    const details = await this.detailsOrError(request, response);
    if (!details) return;
    const field = (name: string): string | undefined => (typeof body?.[name] === 'string' ? (body[name] as string) : undefined);
    if (field('action') === 'cancel') return this.simulator.cancel(request, response);
    const outcome = await this.simulator.submit(request, response, { cardId: field('card'), secret: field('secret') });
    if (outcome.kind === 'finished') return;
    response
      .status(outcome.error === 'locked' ? 423 : 400)
      .type('html')
      .send(
        interactionPage({
          details,
          cards: await this.simulator.cards(),
          signing: isSignRequest(details.params),
          error: outcome.error,
          attemptsLeft: outcome.attemptsLeft,
          selectedCardId: outcome.card?.id,
        }),
      );
  }

  /** An unknown or expired interaction (no cookie, finished, timed out) gets a plain error page. */
  private async detailsOrError(request: Request, response: Response) {
    try {
      return await this.simulator.details(request, response);
    } catch {
      response.status(400).type('html').send(errorPage('invalid_request', 'この手続は期限切れか、見つかりません。/ This sign-in has expired or does not exist.'));
      return undefined;
    }
  }
}
