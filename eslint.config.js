import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Lint zones: the folder rule of docs/house-style (renderer/, electron/ and server/ meet only through
 * core/). Together with core/tsconfig.json (no DOM, no Node types) and the `electron` / `ipcMain`
 * bans below, these are the three locks on the layering. tests/unit/layering.test.ts proves they bite.
 */
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'url', 'util', 'stream', 'events', 'worker_threads'];
const zone = (forbidden, extraPaths = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [
        { name: 'electron', message: 'Only electron/ may import electron (house style: process boundaries).' },
        ...extraPaths,
      ],
      patterns: forbidden,
    },
  ],
});
const folder = (name) => ({ group: [`**/${name}/**`, `../${name}/*`, `../../${name}/*`], message: `Nothing imports across renderer/, electron/ and server/; share through core/ (${name}/ is off limits here).` });

/**
 * Zones inside renderer/ (house style: services are adapters, stores hold state, ui/ has no domain
 * knowledge). ESLint keeps one no-restricted-imports entry per file, so each sub-zone repeats the
 * renderer's own patterns and adds its folders.
 */
const rendererForbidden = [folder('electron'), folder('server'), ...nodeBuiltins.map((n) => ({ group: [n], message: 'The renderer has no Node: it runs sandboxed.' }))];
/** Libraries stay behind their service: sip.js only in renderer/services/phone/ (coaching gets plain types). */
const sipJsBehindPhone = { name: 'sip.js', message: 'Only renderer/services/phone/ may import sip.js; use its plain types (phone.ts, coachingInvite.ts).' };
const inside = (name, message) => ({ group: [`**/${name}/**`, `../${name}`, `../../${name}`], message });
const rendererZones = [
  {
    files: ['renderer/ui/**/*.ts', 'renderer/ui/**/*.tsx'],
    forbidden: ['features', 'stores', 'services', 'i18n'].map((n) => inside(n, `renderer/ui/ holds primitives with no domain knowledge: it imports only ui/ and core/ (${n}/ is off limits; take text and data as props).`)),
  },
  {
    files: ['renderer/services/**/*.ts', 'renderer/services/**/*.tsx'],
    forbidden: ['stores', 'features'].map((n) => inside(n, `renderer/services/ are adapters to the outside: they import neither stores/ nor features/ (${n}/ is off limits; report through a delegate or callback).`)),
  },
  {
    files: ['renderer/stores/**/*.ts', 'renderer/stores/**/*.tsx'],
    forbidden: [inside('i18n', 'renderer/stores/ import no i18n/: name a text key and use the injected deps.translate.')],
  },
];

/** core/: no DOM, no Node, no renderer/electron/server, none of the libraries the services wrap. */
const pureCore = {
  languageOptions: { globals: {} },
  rules: {
    ...zone([folder('renderer'), folder('electron'), folder('server'), ...nodeBuiltins.map((n) => ({ group: [n], message: 'core/ is pure: no Node modules.' })), { group: ['react', 'react-dom', 'dexie', 'sip.js', 'zustand'], message: 'core/ is pure: no React, Dexie, sip.js or zustand.' }]),
    'no-restricted-globals': ['error', 'window', 'document', 'process', 'navigator', 'localStorage', 'indexedDB', 'require'],
  },
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.data/**', 'bench/out/**', 'tests/fixtures/layering/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
      // Focused or reason-less skipped tests silently shrink the suite.
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only: the rest of the suite would not run.' },
        { selector: "CallExpression[callee.property.name='skip']:not([arguments.1.type='Literal']):not([arguments.1.type='TemplateLiteral'])", message: 'A skipped test needs a reason: test.skip(condition, "why").' },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['*.config.ts', '*.config.js', 'vite.config.ts', 'playwright.config.ts', 'tests/*/playwright.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    ...pureCore,
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...zone(rendererForbidden, [sipJsBehindPhone]),
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-globals': ['error', 'process', 'require'],
    },
  },
  ...rendererZones.map(({ files, forbidden }) => ({ files, rules: zone([...rendererForbidden, ...forbidden]) })),
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/ipc/ipcMain.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'Register IPC only through electron/ipc/ipcMain.ts (sender check + schema + result wrap).' }],
          patterns: [folder('renderer'), folder('server')],
        },
      ],
    },
  },
  {
    files: ['renderer/services/phone/**/*.ts'],
    rules: zone(rendererForbidden),
  },
  {
    files: ['server/**/*.ts'],
    rules: zone([folder('renderer'), folder('electron')]),
  },
  {
    // The chat widget's script runs in the customer's browser (built by Vite, vite.widget.config.ts): browser
    // globals, no Node, and of the server nothing but core/.
    files: ['server/widget/client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...zone([folder('renderer'), folder('electron'), { regex: '^\\.\\./(?!\\.\\./\\.\\./core/)', message: 'The widget runs in a browser: it imports core/ and its own folder only.' }, ...nodeBuiltins.map((n) => ({ group: [n], message: 'The widget runs in a browser: no Node modules.' }))]),
      'no-restricted-globals': ['error', 'process', 'require', 'Buffer', '__dirname', '__filename', 'global'],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  // Test helpers keep the rules of the area they serve: a core/ helper stays pure (the renderer's tests
  // and the server's both run it), a renderer helper has no Node, a server helper no renderer.
  {
    files: ['tests/support/core/**/*.ts'],
    ...pureCore,
  },
  {
    files: ['tests/support/renderer/**/*.ts', 'tests/support/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: zone(rendererForbidden),
  },
  {
    files: ['tests/support/server/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: zone([folder('renderer'), folder('electron')]),
  },
);
