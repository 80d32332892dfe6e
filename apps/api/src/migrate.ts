import 'reflect-metadata';
import { loadAppConfig } from '@madoguchi/config';
import { prepareDatabase } from '@madoguchi/kernel';
import { MIGRATIONS } from '../../../migrations';

/** `npm run migrate`: applies pending migrations (under the advisory lock) and exits. */
async function main(): Promise<void> {
  const config = loadAppConfig();
  const database = await prepareDatabase(config, MIGRATIONS, (message) => process.stdout.write(`${message}\n`));
  process.stdout.write(
    database.appliedMigrations.length > 0 ? `applied: ${database.appliedMigrations.join(', ')}\n` : 'schema is up to date\n',
  );
  await database.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
