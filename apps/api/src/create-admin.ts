import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, boot } from '@madoguchi/kernel';
import { CatalogSyncService } from '@madoguchi/procedures';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { MIGRATIONS } from '../../../migrations';
import { ApiModule } from './api.module';

/**
 * `npm run create-admin -- --login admin --name "情報 花子" [--municipality 990001]`
 * Creates the first administrator with TOTP enrolled and prints the TOTP
 * secret once. The password comes from MADOGUCHI_ADMIN_PASSWORD or is
 * generated and printed.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { login: { type: 'string' }, name: { type: 'string' }, municipality: { type: 'string' } },
  });
  if (!values.login || !values.name) {
    process.stderr.write('usage: npm run create-admin -- --login <login id> --name <display name> [--municipality <id>]\n');
    process.exit(2);
  }
  const context = await boot(MIGRATIONS, { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', WORKER: 'off' });
  const { config, database, directory, secrets, logger } = context;
  const app = await NestFactory.createApplicationContext(ApiModule.forRoot({ config, databaseUrl: database.url, directory, secrets }), { logger });
  try {
    await app.get(CatalogSyncService).sync(config.configDir, context.settings);
    const admin = app.get(StaffAdminService);
    await admin.seedDepartments(context.settings);
    const municipalityId = asMunicipalityId(values.municipality ?? directory.defaultId ?? '');
    const password = process.env.MADOGUCHI_ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
    const created = await admin.bootstrapAdministrator(municipalityId, { loginId: values.login, displayName: values.name, password });
    process.stdout.write(
      [
        `administrator "${values.login}" created in municipality ${municipalityId}`,
        process.env.MADOGUCHI_ADMIN_PASSWORD ? 'password: (from MADOGUCHI_ADMIN_PASSWORD)' : `password: ${password}`,
        `TOTP secret (add it to an authenticator app; shown only now): ${created.totpSecret}`,
        `otpauth URI: ${created.otpauthUri}`,
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`create-admin failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
