import { localReturnPath } from './return-path';

describe('localReturnPath', () => {
  it.each(['/', '/applications/abc?payment=1', '/procedures/juminhyo'])('keeps the local path %s', (path) => {
    expect(localReturnPath(path)).toBe(path);
  });

  it.each([
    undefined,
    42,
    '',
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    '/\tevil',
    ' /x',
    'javascript:alert(1)',
    '/account/sign-in?next=/',
    `/${'a'.repeat(1100)}`,
  ])('refuses %p', (value) => {
    expect(localReturnPath(value)).toBeNull();
  });
});
