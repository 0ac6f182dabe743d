import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'
import type { Middleware } from 'koa'
import send from 'koa-send'

/**
 * Serves the built web app; unknown paths get index.html so client-side routes work on
 * reload. Hashed assets under _app/immutable are cached for a year.
 */
export function serveSpa(dir: string): Middleware {
  return async (ctx) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405
      return
    }
    const index = join(dir, 'index.html')
    if (!existsSync(index)) {
      ctx.status = 503
      ctx.type = 'text/plain; charset=utf-8'
      ctx.body = 'The web app is not built yet: run `npm start` (it builds it) or `npm run build -w app`.'
      return
    }
    const rel = normalize(decodeURIComponent(ctx.path)).replace(/^([/\\])+/, '')
    const file = join(dir, rel)
    const inside = file.startsWith(dir + sep)
    if (inside && extname(rel) && existsSync(file) && statSync(file).isFile()) {
      const immutable = rel.startsWith(`_app${sep}immutable`)
      await send(ctx, rel, { root: dir, maxage: immutable ? 31_536_000_000 : 0, immutable, gzip: false })
      return
    }
    ctx.type = 'text/html; charset=utf-8'
    ctx.set('Cache-Control', 'no-cache')
    ctx.body = readFileSync(index)
  }
}
