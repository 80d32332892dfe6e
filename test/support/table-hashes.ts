import { Client } from 'pg';

export interface TableHash {
  rows: number;
  md5: string;
}

/**
 * Row count and an MD5 of every row of every table in `public`, computed in
 * SQL (rows as text, sorted), so two databases can be compared table by table.
 */
export async function tableHashes(url: string, options: { except?: string[] } = {}): Promise<Record<string, TableHash>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const result: Record<string, TableHash> = {};
    for (const { name } of tables) {
      if (options.except?.includes(name)) continue;
      const quoted = `"${name.replace(/"/g, '""')}"`;
      const { rows } = await client.query<{ n: number; h: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS h FROM ${quoted} t`,
      );
      result[name] = { rows: rows[0].n, md5: rows[0].h };
    }
    return result;
  } finally {
    await client.end();
  }
}
