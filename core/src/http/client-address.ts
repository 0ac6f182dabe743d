import type { Middleware } from 'koa'
import type { Server, Socket } from 'socket.io'

/** Hands the caller's address and browser to services (rate limits, sessions, audit). */
export function clientAddress(): Middleware {
  return async (ctx, next) => {
    ctx.feathers = { ...ctx.feathers, ip: ctx.ip, userAgent: ctx.get('user-agent') } as typeof ctx.feathers
    await next()
  }
}

/** Koa's proxy settings, read when a socket connects (the integration layer sets them after start-up). */
export interface ProxySettings {
  proxy?: boolean
  maxIpsCount?: number
}

/** The address Koa's `ctx.ip` would give for the same headers, so REST and sockets agree. */
export function forwardedAddress(
  settings: ProxySettings,
  forwardedFor: string | string[] | undefined,
  remote: string
): string {
  if (!settings.proxy || !forwardedFor) return remote
  let ips = String(forwardedFor)
    .split(',')
    .map((ip) => ip.trim())
    .filter(Boolean)
  if (settings.maxIpsCount && settings.maxIpsCount > 0) ips = ips.slice(-settings.maxIpsCount)
  return ips[0] ?? remote
}

export function socketClientAddress(io: Server, settings: ProxySettings): void {
  io.use((socket: Socket & { feathers?: Record<string, unknown> }, next) => {
    const { headers, address } = socket.handshake
    // Mutate, never replace: Feathers maps this very object to its socket to deliver events.
    socket.feathers ??= {}
    Object.assign(socket.feathers, {
      ip: forwardedAddress(settings, headers['x-forwarded-for'], address),
      userAgent: headers['user-agent']
    })
    next()
  })
}
