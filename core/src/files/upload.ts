import { rm } from 'node:fs/promises'
import { BadRequest } from '@feathersjs/errors'
import type { Actor } from '@medaffairs/plugin-sdk'
import type { Middleware } from 'koa'
import { actorOfRequest } from './actor.js'
import { IMAGE_MIMES } from './config.js'
import type { FilesDeps } from './deps.js'
import { tooLarge } from './errors.js'
import { receiveUpload, type ReceivedFile } from './receive.js'
import { checkType } from './sniff.js'
import type { FileRow, FileTarget } from './store.js'
import { imageFacts } from './thumbs.js'

const FIELD_NAME = /^[A-Za-z_][\w.-]{0,127}$/

function text(fields: Record<string, string>, name: string): string | null {
  const v = fields[name]?.trim()
  if (!v) return null
  if (v.length > 256) throw new BadRequest(`${name} 过长 (${name} is too long)`)
  return v
}

/** Where the uploaded files go: nowhere yet, a collection (new record), or a record and field. */
export function targetOf(fields: Record<string, string>): FileTarget {
  const field = text(fields, 'field')
  if (field && !FIELD_NAME.test(field)) throw new BadRequest('field 名称无效 (invalid field name)')
  return { collection: text(fields, 'collection'), recordId: text(fields, 'recordId'), field }
}

async function store(
  deps: FilesDeps,
  upload: ReceivedFile,
  mime: string,
  target: FileTarget,
  actor: Actor
): Promise<FileRow> {
  const { config, store } = deps
  let image = null
  if (IMAGE_MIMES.has(mime)) {
    image =
      (await store.knownImage(upload.sha256)) ??
      (await imageFacts(upload.tempFile, {
        size: config.thumbnailSize,
        bytes: upload.size,
        maxBytes: config.thumbnailMaxBytes,
        tempPath: () => store.tempPath()
      }))
  }
  return store.save(upload, mime, image, target, actor.id)
}

/**
 * The allow list of this upload: a sheet sent for an import (`purpose=import`, attached to
 * no record) is checked against `importAllow`, which may name csv; anything else against `allow`.
 */
export function allowListOf(
  config: FilesDeps['config'],
  fields: Record<string, string>,
  target: FileTarget
): readonly string[] {
  const purpose = text(fields, 'purpose')
  if (purpose === null) return config.allow
  if (purpose !== 'import')
    throw new BadRequest('purpose 只能为 import (purpose must be "import")', {
      errors: [{ field: 'purpose', reason: 'import' }]
    })
  if (target.collection)
    throw new BadRequest('导入文件不能附加到记录 (an import file is not attached to a record)', {
      errors: [{ field: 'purpose', reason: 'no collection' }]
    })
  return config.importAllow
}

/** Checks every part, then stores them all; one refused part refuses the request (nothing is kept). */
async function accept(
  deps: FilesDeps,
  files: ReceivedFile[],
  fields: Record<string, string>,
  actor: Actor,
  ip: string | null
): Promise<FileRow[]> {
  if (!files.length)
    throw new BadRequest(
      '没有收到文件：请用名为 file 的表单字段上传 (no file: send it in a form part named "file")'
    )
  const target = targetOf(fields)
  await deps.access.checkAttach(actor, target)
  const allow = allowListOf(deps.config, fields, target)
  const types = []
  for (const f of files) types.push(await checkType(f.tempFile, allow))
  const saved: FileRow[] = []
  for (const [i, f] of files.entries()) saved.push(await store(deps, f, types[i].mime, target, actor))
  await deps.audit?.append(
    saved.map((f) => ({
      action: 'create' as const,
      collection: 'files',
      recordId: f.id,
      actor: { id: actor.id, name: actor.name ?? null },
      ip,
      diff: { name: f.name, size: f.size, mime: f.mime, sha256: f.sha256, attachedTo: target }
    }))
  )
  return saved
}

/**
 * `POST /api/files` (multipart/form-data): parts named `file`, optional text fields
 * `collection`, `recordId`, `field`, or `purpose=import` for a sheet to import (send them before the files so a refusal comes before
 * the bytes). Answers 201 with the stored file records, in the order sent. Each file is
 * streamed to disk while hashed; the type is sniffed from the bytes against the allow list.
 * Other requests to /api/files (JSON, sockets) go on to the files service.
 */
export function uploadMiddleware(deps: FilesDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.lookup?.params?.__id !== undefined || !ctx.is('multipart/form-data'))
      return next()
    // Who and whether before reading a byte of the body.
    const actor = await actorOfRequest(ctx, deps.app, deps.actors)
    const { maxBytes, maxFiles } = deps.config
    const declared = Number(ctx.get('content-length'))
    if (declared > maxBytes * maxFiles + 1024 * 1024) throw tooLarge(maxBytes)
    const { files, fields } = await receiveUpload(ctx.req, {
      maxBytes,
      maxFiles,
      tempPath: () => deps.store.tempPath(),
      beforeFirstFile: (early) => deps.access.checkAttach(actor, targetOf(early))
    })
    try {
      ctx.body = await accept(deps, files, fields, actor, ctx.ip || null)
      ctx.status = 201
    } finally {
      await Promise.all(files.map((f) => rm(f.tempFile, { force: true })))
    }
  }
}
