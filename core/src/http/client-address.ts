import type { Middleware } from 'koa'
import type { Server, Socket } from 'socket.io'

/** Hands the caller's address and browser to services (rate limits, sessions, audit). */
export function clientAddress(): Middleware {
  return async (ctx, next) => {
    ctx.feathers = { ...ctx.feathers, ip: ctx.ip, userAgent: ctx.get('user-agent') } as typeof ctx.feathers
    await next()
  }
}

export function socketClientAddress(io: Server): void {
  io.use((socket: Socket & { feathers?: Record<string, unknown> }, next) => {
    // Mutate, never replace: Feathers maps this very object to its socket to deliver events.
    socket.feathers ??= {}
    Object.assign(socket.feathers, { ip: socket.handshake.address, userAgent: socket.handshake.headers['user-agent'] })
    next()
  })
}
