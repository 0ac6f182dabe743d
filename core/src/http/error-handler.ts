import { randomUUID } from 'node:crypto'
import { BadRequest, FeathersError, GeneralError, NotFound } from '@feathersjs/errors'
import type { Middleware } from 'koa'
import type { Logger } from '../logger.js'

/**
 * Every failure leaves as a Feathers error in JSON. Unexpected errors are logged with a
 * request id and reach the client only as that id: never a stack trace or SQL text.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    const requestId = (ctx.get('x-request-id') || randomUUID()).slice(0, 64)
    ctx.set('X-Request-Id', requestId)
    const started = performance.now()
    try {
      await next()
      if (ctx.body === undefined && ctx.status === 404)
        throw new NotFound(`Path ${ctx.originalUrl} not found`)
    } catch (error) {
      const known = error instanceof FeathersError
      // Body parser failures (malformed JSON, too large) carry an HTTP status of 4xx: the client's fault.
      const status = (error as { status?: number }).status
      const feathersError = known
        ? error
        : status && status >= 400 && status < 500
          ? convertClientError(status, requestId)
          : new GeneralError('服务器内部错误 (internal error)', { requestId })
      if (!known || feathersError.code >= 500) {
        logger.error({ err: error, requestId, method: ctx.method, url: ctx.originalUrl }, 'request failed')
      }
      ctx.status = feathersError.code
      // Rate limits say when to come back, in the header clients and proxies understand too.
      const retryAfter = (feathersError.data as { retryAfter?: unknown } | undefined)?.retryAfter
      if (feathersError.code === 429 && typeof retryAfter === 'number')
        ctx.set('Retry-After', String(retryAfter))
      ctx.body = feathersError.toJSON()
    } finally {
      logger.debug(
        {
          requestId,
          method: ctx.method,
          url: ctx.originalUrl,
          status: ctx.status,
          ms: +(performance.now() - started).toFixed(1)
        },
        'request'
      )
    }
  }
}

function convertClientError(status: number, requestId: string): FeathersError {
  if (status === 413)
    return new FeathersError(
      '请求内容过大 (request body too large)',
      'PayloadTooLarge',
      413,
      'payload-too-large',
      { requestId }
    )
  return new BadRequest('请求内容格式不正确 (malformed request body)', { requestId })
}
