import 'reflect-metadata';
import { loadAppConfig } from '@madoguchi/config';
import { distributionPlan, findDistributionViolations, prepareDatabase } from '@madoguchi/kernel';
import { Client } from 'pg';
import { MIGRATIONS } from '../../../migrations';

/**
 * `npm run citus:plan`: prints the SQL that distributes this schema by
 * municipality on a Citus coordinator (docs/scaling.md, "Citus-ready keys"),
 * read from the migrated database's catalog. Prints what is in the way
 * instead, and exits 2, if the schema is not Citus-ready. Changes nothing.
 */
async function main(): Promise<number> {
  const database = await prepareDatabase(loadAppConfig(), MIGRATIONS, (message) => process.stderr.write(`${message}\n`));
  const client = new Client({ connectionString: database.ownerUrl });
  try {
    await client.connect();
    const violations = await findDistributionViolations(client);
    if (violations.length > 0) {
      for (const { table, constraint, problem } of violations) process.stderr.write(`${table}${constraint ? ` ${constraint}` : ''}: ${problem}\n`);
      return 2;
    }
    // One connection per worker: DDL, data copy and the foreign keys added back see each other in one transaction.
    process.stdout.write(`BEGIN;\nSET LOCAL citus.multi_shard_modify_mode TO 'sequential';\n${(await distributionPlan(client)).join('\n')}\nCOMMIT;\n`);
    return 0;
  } finally {
    await client.end();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`citus:plan failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
