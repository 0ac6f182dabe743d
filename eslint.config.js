import svelte from 'eslint-plugin-svelte'
import tseslint from 'typescript-eslint'
import svelteConfig from './app/svelte.config.js'

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'app/.svelte-kit/**',
      'app/static/**',
      'data/**',
      '**/dist/**',
      '**/build/**',
      'coverage/**'
    ]
  },
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  // The web app's TypeScript, in .ts files and in .svelte components (scripts and template
  // expressions alike), is linted against its own tsconfig (SvelteKit's, written by
  // `svelte-kit sync`); svelte-check still type-checks the components.
  {
    files: ['**/*.ts'],
    ignores: ['app/**'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } }
  },
  {
    files: ['app/**/*.ts', 'app/**/*.svelte'],
    languageOptions: {
      parserOptions: {
        project: './app/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte']
      }
    }
  },
  {
    // svelte-eslint-parser reads the components (and the rune modules, *.svelte.ts) and hands
    // their <script lang="ts"> to typescript-eslint's parser.
    files: ['app/**/*.svelte', 'app/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, svelteConfig } }
  },
  {
    rules: {
      // The app is served at the root (no kit.paths.base), so resolve() would wrap every href unchanged.
      'svelte/no-navigation-without-resolve': 'off'
    }
  },
  {
    // In rune modules the rule flags every Map/Set/Date/URL built inside an exported function or
    // class, reactive or not (a getter's fresh Set, a function's local URL); components keep it.
    files: ['**/*.svelte.ts'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' }
  },
  {
    files: ['**/*.ts', '**/*.svelte'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  }
)
