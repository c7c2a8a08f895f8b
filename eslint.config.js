// ESLint: TypeScript rules plus the layer rules of docs/architecture.md (rule 1 and 2), enforced in `npm test`.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const electronOnlyAtTheEdges = {
  paths: [{ name: 'electron', message: 'Electron is imported only in src/main/shell, src/main/index.ts and src/preload (ARCHITECTURE rule 1).' }],
}
const nodeBuiltins = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto'], message: 'No Node modules here (layer rule).' }

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'dist-web/', 'dist-tenant/', 'release/', 'reports/', 'test-results/', 'screenshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/shell/**', 'src/main/index.ts', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', electronOnlyAtTheEdges] },
  },
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyAtTheEdges, patterns: [nodeBuiltins, { group: ['react', 'react-dom', '**/main/**', '**/renderer/**', '**/tenant/**', '**/preload/**'], message: 'src/shared is pure (no DOM, no Node, no other layer).' }] }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/web-shell/bridge.ts', 'src/web-shell/web-main.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { ...electronOnlyAtTheEdges, patterns: [nodeBuiltins, { group: ['**/main/**', '**/tenant/**'], message: 'The renderer talks to main only through window.unloop.' }] }],
      'no-restricted-globals': ['error', { name: 'require', message: 'No Node in the renderer.' }, { name: 'process', message: 'No Node in the renderer.' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/preload/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'Raw ipcRenderer lives only in src/preload/index.ts (ARCHITECTURE rule 2).' },
        { selector: "MemberExpression[property.name=/^(sendSync|sendTo)$/]", message: 'invoke/handle only, no sync IPC (ARCHITECTURE rule 2).' },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.mjs', '*.config.{ts,js}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['*.config.ts', 'electron.vite.config.ts', 'vite.web.config.ts', 'vitest.config.ts', 'playwright.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
)
