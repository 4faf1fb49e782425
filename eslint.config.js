// Lint finds real problems (typescript-eslint's and eslint's recommended sets); layout is prettier's
// job (.prettierrc.json), so no stylistic rule lives here. Type-aware rules are left out: they would
// roughly triple the run time on the shared 2-core machines for little gain over `tsc --noEmit`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  global: 'readonly',
  require: 'readonly',
  module: 'writable',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'coverage/', 'reports/', '.stryker-tmp/', 'dist/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a deliberately unused binding; `{ dropped, ...rest }` is how a key is omitted.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  // Plain JavaScript (bin/, scripts/, configs) runs on Node: TypeScript does not check its globals.
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: nodeGlobals } },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
