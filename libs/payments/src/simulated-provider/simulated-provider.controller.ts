import { Body, Controller, Get, Headers, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isMunicipalityId, type MunicipalityId, Public } from '@madoguchi/kernel';
import type { Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment-settings';
import type { SimPayment } from './sim.repository';
import { errorPage, paymentPage, resultPage } from './simulated-provider.pages';
import { SimError, SimulatedProviderService } from './simulated-provider.service';

type Form = Record<string, string | undefined>;

/** The API key of the simulated provider's status API, derived from the shared secret. */
export function simulatedApiKey(webhookSecret: string): string {
  return createHmac('sha256', webhookSecret).update('simulated-provider/api-key').digest('hex');
}

/**
 * The simulated provider's public face: hosted payment pages (plain HTML
 * forms), the "pay" actions a store terminal, a bank or a QR app would
 * perform, and a status API to poll. Not part of Madoguchi's API: it stands
 * in for another company's service.
 */
@ApiExcludeController()
@Controller('simulated-provider/:merchant')
@Public()
export class SimulatedProviderController {
  constructor(
    private readonly simulator: SimulatedProviderService,
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
  ) {}

  @Get('pay/:id')
  async page(@Param('merchant') merchant: string, @Param('id') id: string, @Res() response: Response): Promise<void> {
    await this.html(response, async () => ({ status: 200, body: paymentPage(await this.payment(merchant, id)) }));
  }

  @Get('pay/:id/3ds')
  async challenge(@Param('merchant') merchant: string, @Param('id') id: string, @Res() response: Response): Promise<void> {
    await this.html(response, async () => ({ status: 200, body: paymentPage(await this.payment(merchant, id)) }));
  }

  @Post('pay/:id/card')
  async card(@Param('merchant') merchant: string, @Param('id') id: string, @Body() form: Form, @Res() response: Response): Promise<void> {
    await this.html(response, async () => {
      const payment = await this.payment(merchant, id);
      // Only the card fields are read: an amount or anything else posted is ignored.
      const outcome = await this.simulator.payByCard(payment.merchantId, payment.id, { number: form.number, expiry: form.expiry, cvc: form.cvc });
      switch (outcome.result) {
        case 'invalid':
          return { status: 422, body: paymentPage(outcome.payment, { problem: outcome.problem }) };
        case 'challenge':
          return { redirect: `/simulated-provider/${payment.merchantId}/pay/${payment.id}/3ds` };
        default:
          return this.backToMerchant(outcome.payment);
      }
    });
  }

  @Post('pay/:id/3ds')
  async completeChallenge(@Param('merchant') merchant: string, @Param('id') id: string, @Body() form: Form, @Res() response: Response): Promise<void> {
    await this.html(response, async () => {
      const payment = await this.payment(merchant, id);
      return this.backToMerchant(await this.simulator.completeChallenge(payment.merchantId, payment.id, form.outcome === 'pass'));
    });
  }

  @Post('pay/:id/qr')
  async qr(@Param('merchant') merchant: string, @Param('id') id: string, @Res() response: Response): Promise<void> {
    await this.html(response, async () => {
      const payment = await this.payment(merchant, id);
      return this.backToMerchant(await this.simulator.payByApp(payment.merchantId, payment.id));
    });
  }

  /** A convenience store's terminal taking the money for a slip number. */
  @Post('konbini/pay')
  async konbini(@Param('merchant') merchant: string, @Body() form: Form, @Res() response: Response): Promise<void> {
    await this.html(response, async () => {
      const paid = await this.simulator.payAtKonbini(this.merchant(merchant), String(form.paymentNumber ?? '').trim());
      return { status: 200, body: resultPage(paid) };
    });
  }

  /** An ATM or online bank paying with the Pay-easy numbers. */
  @Post('payeasy/pay')
  async payeasy(@Param('merchant') merchant: string, @Body() form: Form, @Res() response: Response): Promise<void> {
    await this.html(response, async () => {
      const paid = await this.simulator.payByPayeasy(this.merchant(merchant), String(form.customerNumber ?? '').trim(), String(form.confirmationNumber ?? '').trim());
      return { status: 200, body: resultPage(paid) };
    });
  }

  /** The status API: what a merchant polls. */
  @Get('api/payments/:id')
  async status(@Param('merchant') merchant: string, @Param('id') id: string, @Headers('x-sim-api-key') apiKey: string | undefined, @Res() response: Response): Promise<void> {
    await this.json(response, apiKey, () => this.simulator.get(this.merchant(merchant), id));
  }

  /** The money the provider holds for the merchant (its ledger). */
  @Get('api/balance')
  async balance(@Param('merchant') merchant: string, @Headers('x-sim-api-key') apiKey: string | undefined, @Res() response: Response): Promise<void> {
    await this.json(response, apiKey, () => this.simulator.balance(this.merchant(merchant)));
  }

  private backToMerchant(payment: SimPayment): { redirect: string } | { status: number; body: string } {
    if (!payment.returnUrl) return { status: 200, body: resultPage(payment) };
    const url = new URL(payment.returnUrl);
    url.searchParams.set('result', payment.status);
    return { redirect: url.toString() };
  }

  private merchant(value: string): MunicipalityId {
    // Mounted always, serving only while it is the configured provider.
    if (this.settings.provider !== 'simulated' || !isMunicipalityId(value)) throw new SimError('not_found', 404, 'no such merchant');
    return value;
  }

  private async payment(merchant: string, id: string): Promise<SimPayment> {
    const payment = await this.simulator.findForPage(this.merchant(merchant), id);
    if (!payment) throw new SimError('not_found', 404, 'お支払いが見つかりません。');
    return payment;
  }

  private async html(response: Response, work: () => Promise<{ status: number; body: string } | { redirect: string }>): Promise<void> {
    response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    try {
      const result = await work();
      if ('redirect' in result) response.redirect(HttpStatus.SEE_OTHER, result.redirect);
      else response.status(result.status).type('html').send(result.body);
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      response.status(error.httpStatus).type('html').send(errorPage(error.httpStatus, error.message));
    }
  }

  private async json(response: Response, apiKey: string | undefined, work: () => Promise<unknown>): Promise<void> {
    const expected = Buffer.from(simulatedApiKey(this.settings.webhookSecret));
    const presented = Buffer.from(apiKey ?? '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      response.status(401).json({ error: { code: 'unauthorized', message: 'X-Sim-Api-Key is missing or wrong' } });
      return;
    }
    try {
      response.status(200).json(await work());
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      response.status(error.httpStatus).json({ error: { code: error.code, message: error.message } });
    }
  }
}
