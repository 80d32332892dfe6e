import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG } from '@madoguchi/kernel';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';

export interface NotificationMessage {
  subject: string;
  text: string;
  /** Stable per notification, so a retried send is recognisable downstream. */
  messageId: string;
}

/**
 * Where a resident is told things. E-mail today; LINE or push plug in as
 * further channels with the same shape.
 */
export interface NotificationChannel {
  readonly name: string;
  send(address: string, message: NotificationMessage): Promise<void>;
}

/** SMTP when SMTP_URL is set; otherwise the message is written under <dataDir>/mail for development. */
@Injectable()
export class EmailChannel implements NotificationChannel {
  readonly name = 'email';
  private transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(address: string, message: NotificationMessage): Promise<void> {
    if (!this.config.smtpUrl) {
      const directory = path.join(this.config.dataDir, 'mail');
      mkdirSync(directory, { recursive: true });
      writeFileSync(path.join(directory, `${Date.now()}-${message.messageId.replace(/[^A-Za-z0-9-]/g, '')}.json`), JSON.stringify({ to: address, ...message }, null, 2));
      return;
    }
    this.transport ??= createTransport(this.config.smtpUrl);
    await this.transport.sendMail({ from: this.config.mailFrom, to: address, subject: message.subject, text: message.text, messageId: message.messageId });
  }
}
