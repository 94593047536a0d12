// Lint: typescript-eslint plus the dependency-direction zones of DESIGN.md.
// The zones are the architecture; a violation here is a design error, not a style nit.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const sdkClient = '@modelcontextprotocol/client';
const sdkServerPackages = [
  '@modelcontextprotocol/server',
  '@modelcontextprotocol/express',
  '@modelcontextprotocol/node',
];

/** Bans bare package imports a layer must not use (no-restricted-paths covers our own folders). */
function bannedPackages(packages, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: packages.map(name => ({ group: [name, `${name}/*`], message: why })),
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    // The launcher of the bundled az is CommonJS on purpose (scripts/launcher.cjs says why).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './protocol',
              from: ['./server', './tools', './cli', './tui'],
              message: 'protocol/ is the contract: it may import only zod and the MCP client SDK.',
            },
            {
              target: './server',
              from: ['./cli', './tui'],
              message: 'server/ must not depend on its clients.',
            },
            {
              target: './tools',
              from: ['./server', './cli', './tui', './protocol'],
              message: 'tools/ are plain functions: no server, UI or MCP imports.',
            },
            {
              target: './cli',
              from: ['./server', './tools'],
              except: ['./index.ts'],
              message:
                'cli/ speaks MCP through protocol/; only the server entry (server/index.ts) may be imported.',
            },
            {
              target: './cli',
              from: ['./tui'],
              except: ['./index.tsx'],
              message: 'cli/ may start the dashboard only through its entry (tui/index.tsx).',
            },
            {
              target: './tui',
              from: ['./server', './tools', './cli'],
              message: 'tui/ is an MCP client: it uses protocol/ only.',
            },
            {
              target: ['./protocol', './server', './tools', './cli', './tui'],
              from: './test',
              message:
                'Production code never imports tests or their fixtures (e.g. the conformance fixture): `az` must not be able to load them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: bannedPackages(
      [...sdkServerPackages, 'better-sqlite3-multiple-ciphers', 'express', 'execa', 'ink', 'react'],
      'protocol/ may import only zod and the MCP client SDK.',
    ),
  },
  {
    files: ['tools/**/*.ts'],
    rules: bannedPackages(
      [sdkClient, ...sdkServerPackages, 'express', 'ink', 'react'],
      'tools/ are MCP- and UI-agnostic.',
    ),
  },
  {
    files: ['cli/**/*.{ts,tsx}', 'tui/**/*.{ts,tsx}'],
    rules: bannedPackages(
      [...sdkServerPackages, 'better-sqlite3-multiple-ciphers', 'chromadb', 'execa', 'simple-git'],
      'clients talk MCP; server packages stay behind server/index.ts.',
    ),
  },
  {
    files: ['protocol/**/*.ts', 'server/**/*.ts', 'tools/**/*.ts'],
    rules: {
      // Security/stdio: stdout carries the stdio transport; logs go to stderr through the logger.
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
);
