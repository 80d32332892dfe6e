import { Client } from 'pg';

/** One statement as a pg client sent it. */
export interface SentStatement {
  client: Client;
  sql: string;
}

/**
 * Runs `work` and answers, in order, every statement any pg client of this
 * process sent meanwhile (BEGIN and COMMIT included), counted at the driver:
 * what statement-budget tests hold to their budget. Counts are not timing,
 * so they may be asserted. `work` must not overlap other database work of
 * the test, or that is counted too.
 */
export async function statementsSent<T>(work: () => Promise<T>): Promise<{ result: T; sent: SentStatement[] }> {
  const sent: SentStatement[] = [];
  const query = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
    sent.push({ client: this, sql: typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text) });
    return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  try {
    return { result: await work(), sent };
  } finally {
    spy.mockRestore();
  }
}

/** The SQL of the statements `work` sent. */
export async function sqlSent(work: () => Promise<unknown>): Promise<string[]> {
  return (await statementsSent(work)).sent.map((statement) => statement.sql);
}
