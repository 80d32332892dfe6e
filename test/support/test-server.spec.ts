import { assertTestDatabaseName, databaseNameOf, withDatabase } from './test-server';

describe('test database guard', () => {
  it('refuses a database whose name does not say it is for tests', () => {
    expect(() => assertTestDatabaseName('madoguchi')).toThrow(/Refusing to use database "madoguchi"/);
    expect(() => assertTestDatabaseName('postgres')).toThrow(/must contain "test"/);
    expect(() => assertTestDatabaseName('madoguchi_test_abc')).not.toThrow();
  });

  it('reads and swaps the database of a URL', () => {
    expect(databaseNameOf('postgres://u:p@127.0.0.1:5432/test')).toBe('test');
    expect(withDatabase('postgres://u:p@127.0.0.1:5432/test', 'madoguchi_test_x')).toBe('postgres://u:p@127.0.0.1:5432/madoguchi_test_x');
  });
});
