import { Readable } from 'node:stream'
import { Forbidden, NotFound } from '@feathersjs/errors'
import type { Actor } from '@medaffairs/plugin-sdk'
import type { Context, Middleware } from 'koa'
import { actorOfRequest, actorOfUser } from './actor.js'
import { RangeNotSatisfiable } from './errors.js'
import type { FilesDeps } from './deps.js'
import { contentDisposition, parseRange } from './range.js'
import { thumbKey, type FileRow } from './store.js'

const INLINE = /^(image\/(jpeg|png|gif|webp)|application\/pdf)$/

/** Signed URL, else the Bearer token (or `?access_token=`); no credentials at all → 401. */
async function callerOf(ctx: Context, deps: FilesDeps, fileId: string, thumb: boolean): Promise<Actor> {
  if (ctx.query.sig === undefined) return actorOfRequest(ctx, deps.app, deps.actors)
  const claim = deps.signer.verify(fileId, ctx.query)
  if (claim === 'expired')
    throw new Forbidden('下载链接已过期，请刷新页面 (the link has expired; reload the page)', {
      expired: true
    })
  if (claim === 'invalid' || claim.thumb !== thumb)
    throw new Forbidden('下载链接无效 (invalid download link)')
  const actor = await actorOfUser(deps.app, deps.actors, claim.userId)
  if (!actor) throw new Forbidden('下载链接无效 (invalid download link)')
  return actor
}

/** An If-None-Match that names this entity tag (weak or strong) or `*`. */
function notModified(ctx: Context, etag: string): boolean {
  const header = ctx.get('if-none-match')
  if (!header) return false
  return header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag)
}

function describe(file: FileRow, thumb: boolean) {
  if (!thumb) return { key: file.sha256, etag: `"${file.sha256}"`, mime: file.mime, name: file.name }
  const name = `${file.name.replace(/\.[^.]*$/, '')}.thumb.webp`
  return { key: thumbKey(file.sha256), etag: `"${file.sha256}.thumb"`, mime: 'image/webp', name }
}

/** Sends the bytes: 200, 206 for one satisfiable range, 304 when cached, 416 otherwise. */
async function send(ctx: Context, deps: FilesDeps, file: FileRow, thumb: boolean): Promise<void> {
  if (thumb && !file.hasThumbnail) throw new NotFound('该文件没有缩略图 (this file has no thumbnail)')
  const { key, etag, mime, name } = describe(file, thumb)
  const size = thumb ? await deps.store.driver.size(key) : file.size
  // Same-origin only: a leaked signed link cannot be embedded by another site.
  ctx.set({
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin'
  })
  if (notModified(ctx, etag)) {
    ctx.status = 304
    return
  }
  const ifRange = ctx.get('if-range')
  const range = parseRange(ifRange && ifRange !== etag ? undefined : ctx.get('range') || undefined, size)
  if (range === 'unsatisfiable') {
    ctx.status = 416
    ctx.set('Content-Range', `bytes */${size}`)
    ctx.body = new RangeNotSatisfiable(`请求的范围无效 (range not satisfiable; size ${size})`, {
      size
    }).toJSON()
    return
  }
  const inline = INLINE.test(mime) && ctx.query.download !== '1'
  ctx.set('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', name))
  // A PDF viewer needs scripts; anything else opened directly runs in a sandbox with nothing to load.
  if (mime !== 'application/pdf')
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
  ctx.status = range ? 206 : 200
  if (range) ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
  ctx.type = mime
  // Koa drops Content-Length when a stream is assigned: set the length afterwards.
  ctx.body = ctx.method === 'HEAD' ? Readable.from([]) : await deps.store.driver.get(key, range ?? undefined)
  ctx.length = range ? range.end - range.start + 1 : size
}

/**
 * `GET /api/files/:fileId/content[?thumb=1][&download=1]`: the bytes of a file the caller may
 * read. A file the caller may not read answers 404, exactly like one that does not exist.
 */
export function downloadMiddleware(deps: FilesDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next()
    const fileId = String(
      (ctx.lookup as { params?: Record<string, string> } | undefined)?.params?.fileId ?? ''
    )
    const thumb = ctx.query.thumb === '1'
    const actor = await callerOf(ctx, deps, fileId, thumb)
    const file = await deps.store.byId(fileId)
    if (!file || !(await deps.access.canRead(file, actor)))
      throw new NotFound('文件不存在或无权访问 (file not found)')
    try {
      await send(ctx, deps, file, thumb)
    } catch (error) {
      // The row is there but the bytes are not (a restore from an older backup, a lost volume).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFound('文件内容缺失 (file content is missing)', { missing: true })
      throw error
    }
  }
}
