import { Injectable } from '@nestjs/common';
import { MailTransport } from '@madoguchi/kernel';

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

/** E-mail through the service's one mail transport (SMTP, or files in development). */
@Injectable()
export class EmailChannel implements NotificationChannel {
  readonly name = 'email';

  constructor(private readonly transport: MailTransport) {}

  send(address: string, message: NotificationMessage): Promise<void> {
    return this.transport.send({ to: address, ...message });
  }
}
