import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * Runs `text` as a named prepared statement: PostgreSQL parses and plans it
 * once per connection, and later runs send only the name and the values.
 * For the few statements on the hottest paths (the engine's read and write
 * of a transition), where the text is long and the same every time; the
 * name is a hash of the text, so a statement built in several shapes is
 * prepared once per shape.
 *
 * Inside the caller's transaction (`manager` from `transaction()`), on that
 * transaction's connection; otherwise on a pooled connection of the primary
 * (never a read replica), as its own transaction, as `manager.query` would.
 */
export async function queryPrepared<Row>(manager: EntityManager, text: string, values: unknown[]): Promise<Row[]> {
  const statement = { name: statementName(text), text, values };
  const runner = manager.queryRunner;
  if (runner?.isTransactionActive) {
    const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
    return (await client.query(statement)).rows as Row[];
  }
  const pool = (manager.connection.driver as unknown as { master: Pool }).master;
  return (await pool.query(statement)).rows as Row[];
}

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `m_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    // The shapes are few; a bound keeps a bug that builds endless shapes from growing the map forever.
    if (names.size < 1000) names.set(text, name);
  }
  return name;
}
