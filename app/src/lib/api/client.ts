import { feathers, type Paginated } from '@feathersjs/feathers'
import rest from '@feathersjs/rest-client'
import socketio from '@feathersjs/socketio-client'
import { convert } from '@feathersjs/errors'
import { io, type Socket } from 'socket.io-client'
import { accessToken, reportAuthFailure } from './session'
import type { ServiceTypes } from './types'

/**
 * One client for core. Calls go over socket.io (`/socket.io`) while the socket is
 * connected and over REST (`/api`) otherwise; reads that time out on the socket are
 * retried once over REST. Writes are never retried, so a slow write cannot apply twice.
 * Service paths are the plain names core registers (`dictionaries`), the same on both.
 * With an access token (see session.ts), REST sends it as a Bearer header and the socket
 * authenticates itself with it after every (re)connect before it carries calls. Every
 * failure of a token-carrying call is shown to session.ts, which tells the session state
 * when the session has ended (401) or is restricted (403 with `data.restriction`).
 */

export type Query = Record<string, unknown>
export interface Params {
  query?: Query
}
type Id = string | number
type Method = 'find' | 'get' | 'create' | 'patch' | 'remove'

const SOCKET_TIMEOUT_MS = 10_000
const READS: ReadonlySet<Method> = new Set(['find', 'get'])

let socket: Socket | undefined
let socketApp: ReturnType<typeof feathers<ServiceTypes>> | undefined
/** True once the connected socket carries the current token (or there is none). */
let socketReady = false

/** fetch with the Bearer token of the signed-in user, if any. */
function authorizedFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const token = accessToken()
  if (!token) return fetch(input, init)
  const headers = new Headers(init.headers)
  headers.set('Authorization', `Bearer ${token}`)
  return fetch(input, { ...init, headers })
}

const restApp = feathers<ServiceTypes>()
restApp.configure(rest('/api').fetch(authorizedFetch))

async function authenticateSocket(): Promise<void> {
  socketReady = false
  const token = accessToken()
  if (!token || !socketApp) {
    socketReady = !!socket?.connected
    return
  }
  try {
    await (socketApp.service('authentication' as keyof ServiceTypes) as any).create({
      strategy: 'jwt',
      accessToken: token
    })
    socketReady = !!socket?.connected
  } catch (error) {
    // An expired or revoked token ends the session (back to the login page); anything
    // else (a timeout) leaves calls on REST.
    console.warn('socket: authentication failed', error)
    reportAuthFailure(error, token)
  }
}

/**
 * After login or logout the socket must carry the new identity (or none): a fresh
 * connection re-runs the authentication above with whatever token is stored now.
 */
export function reconnectRealtime(): void {
  if (!socket) return
  socketReady = false
  socket.disconnect()
  socket.connect()
}

/** Opens the socket once, in the browser only. */
function realtime() {
  if (!socketApp && typeof window !== 'undefined') {
    socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], reconnectionDelayMax: 10_000 })
    socketApp = feathers<ServiceTypes>()
    socketApp.configure(socketio(socket, { timeout: SOCKET_TIMEOUT_MS }))
    socket.on('connect', () => void authenticateSocket())
    socket.on('disconnect', () => (socketReady = false))
  }
  return socketApp
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: string })?.name === 'Timeout'
}

async function call<K extends keyof ServiceTypes>(
  path: K,
  method: Method,
  args: unknown[]
): Promise<unknown> {
  const token = accessToken()
  try {
    return await dispatch(path, method, args)
  } catch (error) {
    reportAuthFailure(error, token)
    throw error
  }
}

async function dispatch<K extends keyof ServiceTypes>(
  path: K,
  method: Method,
  args: unknown[]
): Promise<unknown> {
  const app = realtime()
  if (app && socket?.connected && socketReady) {
    try {
      return await (app.service(path) as any)[method](...args)
    } catch (error) {
      if (!(READS.has(method) && isTimeout(error))) throw error
    }
  }
  return (restApp.service(path) as any)[method](...args)
}

/** A typed handle on one core service. */
export interface ServiceClient<T> {
  find(params?: Params): Promise<Paginated<T>>
  get(id: Id, params?: Params): Promise<T>
  create(data: Partial<T>, params?: Params): Promise<T>
  patch(id: Id, data: Partial<T>, params?: Params): Promise<T>
  remove(id: Id, params?: Params): Promise<T>
  /** Listens to the service's real-time events; returns the unsubscribe function. */
  on(event: 'created' | 'patched' | 'updated' | 'removed', listener: (record: T) => void): () => void
}

/** Wraps a plain array answer (a service without pagination) into a page. */
function asPage<T>(result: Paginated<T> | T[]): Paginated<T> {
  return Array.isArray(result)
    ? { total: result.length, limit: result.length, skip: 0, data: result }
    : result
}

export function service<K extends keyof ServiceTypes>(path: K): ServiceClient<ServiceTypes[K]> {
  type T = ServiceTypes[K]
  return {
    find: async (params) => asPage((await call(path, 'find', [params])) as Paginated<T> | T[]),
    get: (id, params) => call(path, 'get', [id, params]) as Promise<T>,
    create: (data, params) => call(path, 'create', [data, params]) as Promise<T>,
    patch: (id, data, params) => call(path, 'patch', [id, data, params]) as Promise<T>,
    remove: (id, params) => call(path, 'remove', [id, params]) as Promise<T>,
    on(event, listener) {
      const app = realtime()
      if (!app) return () => {}
      const s = app.service(path) as any
      s.on(event, listener)
      return () => s.off(event, listener)
    }
  }
}

/** GET for plain (non-service) endpoints such as `/api/manifest`; failures become Feathers errors. */
export async function getJson<T>(url: string): Promise<T> {
  const token = accessToken()
  try {
    return await readJson<T>(await authorizedFetch(url, { headers: { Accept: 'application/json' } }))
  } catch (error) {
    reportAuthFailure(error, token)
    throw error
  }
}

async function readJson<T>(response: Response): Promise<T> {
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    throw convert(body ?? { name: 'GeneralError', message: response.statusText, code: response.status })
  }
  return body as T
}

/**
 * `POST /api/authentication` with a local-strategy body, sent without any stored token
 * (a stale one must not ride along) and outside the session-ended handling: a 401 here is
 * a wrong password, not an ended session.
 */
export async function postAuthentication<T>(body: Record<string, unknown>): Promise<T> {
  const response = await fetch('/api/authentication', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  })
  return readJson<T>(response)
}

/** `DELETE /api/authentication/<token>`: the server revokes the session behind the token. */
export async function deleteAuthentication(token: string): Promise<void> {
  const response = await fetch(`/api/authentication/${encodeURIComponent(token)}`, {
    method: 'DELETE',
    headers: { Accept: 'application/json', Authorization: `Bearer ${token}` }
  })
  await readJson<unknown>(response)
}
