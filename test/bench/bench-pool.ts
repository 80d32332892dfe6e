import { Pool } from 'pg';

/**
 * A pool for a bench's own statements whose idle connections' errors are
 * told, not fatal: a server that drops them is reported, and the query that
 * meets it fails with its own stack.
 */
export function benchPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', (error) => process.stderr.write(`an idle bench connection failed: ${error.message}\n`));
  return pool;
}
