import { Client } from 'pg';

export interface TableHash {
  rows: number;
  md5: string;
}

/**
 * Row count and an MD5 of every row of every table in `public`, computed in
 * SQL (rows as text, sorted), so two databases can be compared table by table.
 * With `municipalityId`, only that municipality's rows of the tables that
 * have a `municipality_id` column.
 */
export async function tableHashes(url: string, options: { except?: string[]; municipalityId?: string } = {}): Promise<Record<string, TableHash>> {
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
      const owned = options.municipalityId !== undefined && (await client.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'municipality_id'`, [name])).rowCount;
      const { rows } = await client.query<{ n: number; h: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS h FROM ${quoted} t${owned ? ' WHERE t.municipality_id = $1' : ''}`,
        owned ? [options.municipalityId] : [],
      );
      result[name] = { rows: rows[0].n, md5: rows[0].h };
    }
    return result;
  } finally {
    await client.end();
  }
}
