import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layering } from './scripts/eslint-layering.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'admin-bundle/**', 'test/artifacts/**', 'src/database/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', AbortSignal: 'readonly', AbortController: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // The arrows of ARCHITECTURE.md point one way: see scripts/eslint-layering.mjs.
  {
    files: ['src/**/*.ts', 'libs/**/*.ts'],
    plugins: { paymux: { rules: { layering } } },
    rules: { 'paymux/layering': 'error' },
  },
);
