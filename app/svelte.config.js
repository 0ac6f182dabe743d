import adapter from '@sveltejs/adapter-static'
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

/** A static single-page app: core serves build/ and answers unknown paths with index.html. */
const config = {
  preprocess: vitePreprocess(),
  // Runes everywhere in our code; libraries keep whatever mode they were written in.
  compilerOptions: {
    runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
  },
  kit: {
    adapter: adapter({
      pages: 'build',
      assets: 'build',
      fallback: 'index.html',
      // .br and .gz next to every asset; core's serveSpa sends them to browsers that accept them.
      precompress: true,
      strict: true
    })
  }
}

export default config
