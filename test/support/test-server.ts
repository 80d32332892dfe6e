/**
 * Where the test PostgreSQL lives. Written by global-setup into the
 * environment that the test workers inherit. Relative imports only: jest
 * loads global-setup without its module name mapper.
 */
export const TEST_SERVER_URL_ENV = 'MADOGUCHI_TEST_SERVER_URL';
export const TEST_TEMPLATE_ENV = 'MADOGUCHI_TEST_TEMPLATE';
export const TEST_RUN_ENV = 'MADOGUCHI_TEST_RUN';

const TEST_NAME = /test/i;

/** The harness only ever touches databases whose name says they are for tests. */
export function assertTestDatabaseName(database: string): void {
  if (!TEST_NAME.test(database)) {
    throw new Error(`Refusing to use database "${database}" for tests: its name must contain "test"`);
  }
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
