// ESLint: TypeScript rules plus the layer rules of docs/architecture.md (rules 1, 2 and 11), enforced in `npm test`.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const electronOnlyAtTheEdges = {
  paths: [{ name: 'electron', message: 'Electron is imported only in src/main/shell, src/main/index.ts and src/preload (ARCHITECTURE rule 1).' }],
}
// ARCHITECTURE rule 11: the desktop app embeds only the demo tenant's in-memory core, through the package's one export.
const demoCoreMessage = 'The desktop app may embed only the demo tenant core: import it from @unloop/tenant/demo (ARCHITECTURE rule 11).'
const tenantDemoCoreOnly = [
  { regex: '^@unloop/tenant(?!/demo$)', message: demoCoreMessage },
  { group: ['**/packages/**'], message: demoCoreMessage },
]
const nodeBuiltins = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto'], message: 'No Node modules here (layer rule).' }

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'dist-web/', 'packages/*/dist/', 'release/', 'reports/', 'test-results/', 'screenshots/'] },
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
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyAtTheEdges, patterns: tenantDemoCoreOnly }] },
  },
  {
    files: ['src/main/shell/**/*.ts', 'src/main/index.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: tenantDemoCoreOnly }] },
  },
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyAtTheEdges, patterns: [nodeBuiltins, { group: ['react', 'react-dom', '**/main/**', '**/renderer/**', '**/tenant/**', '**/preload/**', '@unloop/*'], message: 'src/shared is pure (no DOM, no Node, no other layer).' }] }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/web-shell/bridge.ts', 'src/web-shell/web-main.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { ...electronOnlyAtTheEdges, patterns: [nodeBuiltins, { group: ['**/main/**', '**/tenant/**', '@unloop/*'], message: 'The renderer talks to main only through window.unloop.' }] }],
      'no-restricted-globals': ['error', { name: 'require', message: 'No Node in the renderer.' }, { name: 'process', message: 'No Node in the renderer.' }],
    },
  },
  {
    // The tenant server is its own package and product (ARCHITECTURE rule 11): no Electron, no React, no app code;
    // of this repository's code it takes only src/shared (bundled into its build).
    files: ['packages/tenant/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The tenant server ships without Electron (ARCHITECTURE rule 11).' }],
        patterns: [{ group: ['electron/*', 'react', 'react/*', 'react-dom', 'react-dom/*', '**/src/main/**', '**/src/renderer/**', '**/src/preload/**', '**/src/web-shell/**'], message: 'The tenant server takes no Electron, React or app code, only src/shared (ARCHITECTURE rule 11).' }],
      }],
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
