import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'
import type { Middleware } from 'koa'
import send from 'koa-send'

/**
 * Serves the built web app; unknown paths get index.html so client-side routes work on
 * reload. Hashed assets under _app/immutable are cached for a year. The build writes a
 * brotli (`.br`) and a gzip (`.gz`) copy of every asset (adapter-static `precompress`); a
 * browser that accepts one gets it, so the first load travels compressed without spending
 * CPU per request. An asset without precompressed copies is sent as it is.
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
      // Caches must keep the encodings apart: the same URL answers br, gzip or plain.
      ctx.vary('Accept-Encoding')
      await send(ctx, rel, {
        root: dir,
        maxage: immutable ? 31_536_000_000 : 0,
        immutable,
        brotli: true,
        gzip: true
      })
      return
    }
    ctx.type = 'text/html; charset=utf-8'
    ctx.set('Cache-Control', 'no-cache')
    ctx.body = readFileSync(index)
  }
}
