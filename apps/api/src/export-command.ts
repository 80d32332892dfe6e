import { type AppConfig, loadAppConfig } from '@madoguchi/config';
import { ExportRefusedError, type PreparedDatabase, prepareDatabase } from '@madoguchi/kernel';
import { MIGRATIONS } from '../../../migrations';

/**
 * What `npm run export` and `npm run import` share: the database prepared
 * (and stopped afterwards), a refusal printed and answered with exit code 2,
 * anything else a failure with exit code 1. `prepare` checks the arguments
 * first and returns an exit code to stop before the database starts.
 */
export function runExportCommand<T>(name: string, prepare: () => T | number, work: (options: T, config: AppConfig, database: PreparedDatabase) => Promise<void>): void {
  const run = async (): Promise<number> => {
    const options = prepare();
    if (typeof options === 'number') return options;
    const config = loadAppConfig();
    const database = await prepareDatabase(config, MIGRATIONS, (message) => process.stderr.write(`${message}\n`));
    try {
      await work(options, config, database);
      return 0;
    } catch (error) {
      if (error instanceof ExportRefusedError) {
        process.stderr.write(`${error.message}\n`);
        return 2;
      }
      throw error;
    } finally {
      await database.stop();
    }
  };
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
