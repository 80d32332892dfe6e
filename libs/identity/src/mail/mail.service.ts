import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock, MailTransport, type MunicipalityId, type OutboxMessage, OutboxRepository, declareOutboxTopic } from '@madoguchi/kernel';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { OneTimeTokenRepository } from '../accounts/one-time-token.repository';
import { ResidentRepository } from '../accounts/resident.repository';
import { randomToken, tokenHash } from '../crypto/tokens';

export type MailTemplate = 'verifyEmail' | 'resetPassword' | 'alreadyRegistered';

const TOKEN_TTL_MS: Record<'verifyEmail' | 'resetPassword', number> = { verifyEmail: 24 * 60 * 60_000, resetPassword: 30 * 60_000 };


/** Mail to a resident (verification, password reset), sent after commit by the identity module's handler. */
export const MAIL_SEND_TOPIC = declareOutboxTopic('mail.send');
/**
 * Mail to residents goes through the outbox: the request commits first, the
 * mail is sent after, with retries. The outbox row names the resident, not
 * the address, and holds no token: the one-time link is minted when the
 * mail is sent, so no usable secret sits in a table.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly residents: ResidentRepository,
    private readonly tokens: OneTimeTokenRepository,
    private readonly clock: Clock,
    private readonly transport: MailTransport,
  ) {}

  async enqueue(municipalityId: MunicipalityId, template: MailTemplate, residentId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.outbox.enqueue(manager, municipalityId, { topic: MAIL_SEND_TOPIC, payload: { template, residentId }, availableAt: this.clock.now() });
  }

  /** Outbox handler for `mail.send`. */
  async deliver(message: OutboxMessage): Promise<void> {
    const { template, residentId } = message.payload as { template: MailTemplate; residentId: string };
    const resident = await this.residents.findById(message.municipalityId, residentId);
    if (!resident?.email) return;
    let link: string | null = null;
    if (template === 'verifyEmail' || template === 'resetPassword') {
      const token = randomToken();
      const now = this.clock.now();
      await this.tokens.insert(message.municipalityId, {
        hash: tokenHash(token),
        subjectKind: 'resident',
        subjectId: residentId,
        purpose: template,
        expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[template]),
        now,
      });
      const page = template === 'verifyEmail' ? 'verify-email' : 'reset-password';
      link = `${this.config.publicBaseUrl}/${page}?m=${message.municipalityId}&token=${token}`;
    }
    const { subject, text } = render(template, link);
    await this.transport.send({ to: resident.email, subject, text, messageId: `<outbox-${message.municipalityId}-${message.id}@madoguchi>` });
    this.logger.log({ msg: 'mail sent', template, outboxId: message.id });
  }
}

function render(template: MailTemplate, link: string | null): { subject: string; text: string } {
  switch (template) {
    case 'verifyEmail':
      return {
        subject: '【窓口】メールアドレスの確認 / Confirm your e-mail address',
        text: `次のリンクを開いて、メールアドレスの確認を完了してください（24時間有効）。\n${link}\n\nOpen the link above within 24 hours to confirm your e-mail address.\n`,
      };
    case 'resetPassword':
      return {
        subject: '【窓口】パスワードの再設定 / Reset your password',
        text: `次のリンクからパスワードを再設定できます（30分間有効）。心当たりがない場合は、このメールを破棄してください。\n${link}\n\nUse the link above within 30 minutes to set a new password. If you did not ask for this, ignore this mail.\n`,
      };
    case 'alreadyRegistered':
      return {
        subject: '【窓口】登録のお知らせ / You already have an account',
        text: 'このメールアドレスは既に登録されています。パスワードをお忘れの場合は再設定してください。\n\nThis e-mail address already has an account. If you forgot the password, reset it.\n',
      };
  }
}
