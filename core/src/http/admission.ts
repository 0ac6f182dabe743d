import type { Middleware } from 'koa'

export interface AdmissionOptions {
  maxConcurrent: number
  maxQueue: number
  queueTimeoutMs: number
}

/**
 * Admission control: at most `maxConcurrent` requests run at once; the rest wait in a
 * bounded FIFO queue. When the queue is full the request is refused with 503 and
 * Retry-After before anything ran, so nothing accepted is ever dropped.
 */
export function createAdmission(options: AdmissionOptions) {
  let running = 0
  const queue: Array<{ go: () => void; timer: NodeJS.Timeout }> = []

  const release = () => {
    running--
    const next = queue.shift()
    if (next) {
      clearTimeout(next.timer)
      running++
      next.go()
    }
  }

  const acquire = (): Promise<boolean> => {
    if (running < options.maxConcurrent) {
      running++
      return Promise.resolve(true)
    }
    if (queue.length >= options.maxQueue) return Promise.resolve(false)
    return new Promise((resolve) => {
      const entry = {
        go: () => resolve(true),
        timer: setTimeout(() => {
          queue.splice(queue.indexOf(entry), 1)
          resolve(false)
        }, options.queueTimeoutMs)
      }
      queue.push(entry)
    })
  }

  const middleware: Middleware = async (ctx, next) => {
    if (!(await acquire())) {
      ctx.status = 503
      ctx.set('Retry-After', '2')
      ctx.body = {
        name: 'Unavailable',
        code: 503,
        message: '服务繁忙，请稍后重试 (server busy, retry shortly)'
      }
      return
    }
    try {
      await next()
    } finally {
      release()
    }
  }

  return {
    middleware,
    stats: () => ({ running, queued: queue.length }),
    /** Resolves when no admitted request is running (for a graceful shutdown). */
    async drained(timeoutMs: number): Promise<boolean> {
      const end = Date.now() + timeoutMs
      while (running > 0 || queue.length > 0) {
        if (Date.now() > end) return false
        await new Promise((r) => setTimeout(r, 25))
      }
      return true
    }
  }
}
