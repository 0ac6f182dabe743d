/// <reference types="vitest/config" />
import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'

// During `vite dev`, API and socket traffic go to a core started on MEDAFFAIRS_API (default :3030).
const api = process.env.MEDAFFAIRS_API ?? 'http://127.0.0.1:3030'

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': api,
      '/socket.io': { target: api, ws: true }
    }
  },
  // scripts/build-app.mjs reports the gzipped first load itself; rolldown's timing notes are noise here.
  build: {
    target: 'es2022',
    reportCompressedSize: false,
    rolldownOptions: { checks: { pluginTimings: false } }
  },
  // Unit specs of the app's plain modules (`npm test -w app`); browser tests live in tests/e2e.
  test: { include: ['src/**/*.spec.ts'], environment: 'node' }
})
