import { createReadStream, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Middleware } from 'koa'
import type { BuiltDocument } from '../openapi/document.js'
import { DOCS_CSS, DOCS_HTML, DOCS_JS } from './page.js'

/** The bundled viewer's files we serve, and nothing else from node_modules. */
const VIEWER_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png'
}
const OWN_FILES: Record<string, [string, string]> = {
  'docs.js': [DOCS_JS, 'application/javascript; charset=utf-8'],
  'docs.css': [DOCS_CSS, 'text/css; charset=utf-8']
}

/**
 * The viewer may only talk to this server: no CDN, no fonts, no validator (hospitals may be
 * offline, and a page that calls out leaks which hospital reads which docs).
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"

export function viewerDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
}

export interface DocsRouteDeps {
  document(): Promise<BuiltDocument>
}

/** `GET /api/openapi.json` (ETag, revalidated each time) and `GET /api/docs` with its assets. Paths arrive without /api. */
export function docsRoutes(deps: DocsRouteDeps): Middleware {
  const dir = viewerDir()
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next()
    if (ctx.path === '/openapi.json') {
      const doc = await deps.document()
      ctx.set('ETag', doc.etag)
      ctx.set('Cache-Control', 'no-cache')
      if (ctx.get('if-none-match') === doc.etag) {
        ctx.status = 304
        return
      }
      ctx.type = 'application/json; charset=utf-8'
      ctx.body = doc.json
      return
    }
    if (ctx.path === '/docs' || ctx.path === '/docs/') {
      ctx.set('Content-Security-Policy', CSP)
      ctx.set('Cache-Control', 'no-cache')
      ctx.type = 'text/html; charset=utf-8'
      ctx.body = DOCS_HTML
      return
    }
    const asset = ctx.path.startsWith('/docs/assets/') ? ctx.path.slice('/docs/assets/'.length) : undefined
    if (asset && OWN_FILES[asset]) {
      ctx.type = OWN_FILES[asset][1]
      ctx.set('Cache-Control', 'no-cache')
      ctx.body = OWN_FILES[asset][0]
      return
    }
    if (asset && VIEWER_FILES[asset] && existsSync(join(dir, asset))) {
      ctx.type = VIEWER_FILES[asset]
      ctx.set('Cache-Control', 'public, max-age=86400')
      ctx.body = createReadStream(join(dir, asset))
      return
    }
    return next()
  }
}
