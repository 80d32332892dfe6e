import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../core/app-config.token';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable per message, so a retried send is recognisable downstream. */
  messageId: string;
}

/**
 * The one way mail leaves the service: SMTP when SMTP_URL is set, otherwise a
 * JSON file under <dataDir>/mail for development. Callers send from the
 * outbox, so a failure here is retried there.
 */
@Injectable()
export class MailTransport {
  private transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.config.smtpUrl) {
      const directory = path.join(this.config.dataDir, 'mail');
      mkdirSync(directory, { recursive: true });
      writeFileSync(path.join(directory, `${Date.now()}-${mail.messageId.replace(/[^A-Za-z0-9-]/g, '')}.json`), JSON.stringify(mail, null, 2));
      return;
    }
    this.transport ??= createTransport(this.config.smtpUrl);
    await this.transport.sendMail({ from: this.config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
  }
}
