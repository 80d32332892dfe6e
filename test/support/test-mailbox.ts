import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string | undefined;
}

/**
 * A real SMTP server on a free 127.0.0.1 port that keeps every message it
 * receives, parsed. Give the app `SMTP_URL: mailbox.url`.
 */
export class TestMailbox {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    /** Filled by the server as messages arrive. */
    readonly received: ReceivedMail[],
  ) {}

  /** While true, the server answers every message with a temporary failure (451). */
  static refusing = false;

  static async start(): Promise<TestMailbox> {
    const received: ReceivedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      // Plain SMTP on loopback: no certificate to make up.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        if (TestMailbox.refusing) {
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('mailbox unavailable, try again later'), { responseCode: 451 })));
          return;
        }
        // Answer 250 only once the message is stored, so the sender's
        // sendMail (and the outbox dispatch around it) resolves after it.
        simpleParser(stream).then(
          (mail) => {
            received.push(toReceived(mail));
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.server.address() as AddressInfo;
    return new TestMailbox(server, port, received);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Every message sent to the address so far, oldest first. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.includes(address.toLowerCase()));
  }

  /** The only message to the address since the last `take`; fails on none or several. */
  take(address: string): ReceivedMail {
    const mails = this.to(address);
    if (mails.length !== 1) throw new Error(`expected one mail to ${address}, found ${mails.length}`);
    this.forget(address);
    return mails[0];
  }

  forget(address: string): void {
    const keep = this.received.filter((mail) => !mail.to.includes(address.toLowerCase()));
    this.received.splice(0, this.received.length, ...keep);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The one-time token of the link in a verification or reset mail. */
export function tokenFromLink(mail: ReceivedMail, page: 'verify-email' | 'reset-password'): string {
  const match = new RegExp(`https?://\\S+/${page}\\?m=\\d{6}&token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${page} link in mail "${mail.subject}"`);
  return match[1];
}

function toReceived(mail: ParsedMail): ReceivedMail {
  const lists: AddressObject[] = mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]) : [];
  return {
    to: lists.flatMap((list) => list.value.map((address) => (address.address ?? '').toLowerCase())),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    messageId: mail.messageId,
  };
}
