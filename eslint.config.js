import tseslint from 'typescript-eslint'

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
  // The web app's TypeScript is checked against its own tsconfig (SvelteKit's, written by
  // `svelte-kit sync`); its .svelte files are checked by svelte-check.
  {
    files: ['**/*.ts'],
    ignores: ['app/**'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } }
  },
  {
    files: ['app/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './app/tsconfig.json', tsconfigRootDir: import.meta.dirname }
    }
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  }
)
