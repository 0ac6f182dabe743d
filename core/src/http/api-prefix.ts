import type { Middleware } from 'koa'

/**
 * REST lives under /api. Feathers looks services up by request path, so the prefix is
 * stripped here and services keep plain names (the same ones socket clients use).
 * Anything else is handed to `other` (the web app).
 */
export function apiPrefix(other: Middleware): Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) {
      ctx.path = ctx.path.slice(4) || '/'
      return next()
    }
    return other(ctx, next)
  }
}
