// ESLint flat config. Run with `npm run lint` (together with dependency-cruiser).
// typescript-eslint's "recommended" set without type information: the typed
// variants would need a full TypeScript program per run and push `npm test`
// past a minute on our two cores.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // The OpenAPI response schemas are generated (test/support/openapi-response-schemas.ts
    // writes them); lint the generator, not its output.
    ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'apps/api/src/openapi/response-schemas.generated.ts'],
  },
  {
    // A disable comment that no longer suppresses anything is a lie about the
    // code; fail on it so the remaining ones keep meaning something.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: {
      // A leading underscore is how this codebase says "deliberately unused":
      // dropping fields with rest destructuring (`const { id: _id, ...rest }`),
      // positional callback arguments.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Japanese text uses the ideographic space (U+3000) on purpose: in
      // certificates, forms, regular expressions that accept either width.
      // Still flagged in code outside strings, templates, comments and JSX text.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipComments: true, skipRegExps: true, skipJSXText: true }],
    },
  },
  {
    // Tests read untyped JSON bodies and raw SQL rows; `any` there is a
    // reading aid, not an API. Production code keeps the rule.
    files: ['test/**/*.ts', 'test/**/*.tsx', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.e2e-spec.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
