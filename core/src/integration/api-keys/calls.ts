import type { HookContext } from '@feathersjs/feathers'
import type { CollectionDefinition } from '@medaffairs/plugin-sdk'
import type { AuditAction, AuditInput, AuditLog } from '../../audit/audit-log.js'
import type { PluginRegistry } from '../../plugins/loader.js'
import { normalizeAddress } from './address.js'
import { principalId, refusedKey } from './authenticator.js'
import type { ApiKeyInfo } from './types.js'

type Doc = Record<string, any>
const READS = new Set(['find', 'get'])
const WRITES = new Set(['create', 'update', 'patch', 'remove'])
const MAX_QUERY_TEXT = 2000

export interface CallAuditDeps {
  audit: AuditLog
  registry: PluginRegistry
}

/** `::ffff:10.1.2.3` is written as `10.1.2.3`, as allow lists and last_used_ip show it. */
const auditAddress = (ip: string | null | undefined) => normalizeAddress(ip) ?? ip ?? null

/** Replaces the values of sensitive fields anywhere in a query (an ID number must not land in the trail). */
function maskQuery(value: unknown, sensitive: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => maskQuery(v, sensitive))
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, sensitive.has(k) ? '***' : maskQuery(v, sensitive)])
  )
}

function queryForAudit(query: unknown, def: CollectionDefinition | undefined): unknown {
  if (!query || (typeof query === 'object' && !Object.keys(query).length)) return undefined
  const masked = maskQuery(query, new Set(def?.fields.filter((f) => f.sensitive).map((f) => f.name) ?? []))
  const text = JSON.stringify(masked)
  return text.length > MAX_QUERY_TEXT ? { truncated: text.slice(0, MAX_QUERY_TEXT) } : masked
}

function returned(result: unknown): Doc | undefined {
  if (Array.isArray(result)) return { returned: result.length }
  const r = result as Doc | undefined
  if (r && Array.isArray(r.data)) return { returned: r.data.length, total: r.total }
  return undefined
}

/** ok, refused (401/403/429: the key was not let through) or failed (anything else). */
function outcomeOf(status: number, failed: boolean): string {
  if (!failed) return 'ok'
  return status === 401 || status === 403 || status === 429 ? 'refused' : 'failed'
}

/** How the audit trail names the call's action: reads are `read`, writes their method. */
export function auditActionOf(method: string): AuditAction {
  // 'read' is not (yet) in AuditAction; the column is text. See the lead's patch to audit-log.ts.
  return (READS.has(method) ? 'read' : method) as AuditAction
}

/**
 * One audit entry per call made with a key — reads included (等保: who read staff data),
 * refusals included. Successful writes to collections are already recorded, with their
 * diff and the key as actor, by the records audit hook in the write's transaction.
 */
export function callAuditor(deps: CallAuditDeps) {
  const byPath = () => new Map([...deps.registry.collections.values()].map((c) => [c.path, c.def]))
  return async (
    context: HookContext,
    key: Pick<ApiKeyInfo, 'id' | 'name' | 'prefix'>,
    error?: unknown
  ): Promise<void> => {
    const def = byPath().get(context.path)
    const params = context.params as Doc
    if (!error && def && WRITES.has(context.method) && params.audit !== false) return
    const result = context.result as Doc | undefined
    const recordId =
      context.id ?? (context.method === 'create' && result && !Array.isArray(result) ? result.id : undefined)
    const status = error
      ? ((error as { code?: number }).code ?? 500)
      : (context.http?.status ?? (context.method === 'create' ? 201 : 200))
    // An unexpected error's message may hold internals; the request id in the log has the rest.
    const reason = !error
      ? undefined
      : status >= 500
        ? 'internal error'
        : ((error as { data?: Doc }).data?.reason ?? (error as Error).message)
    const entry: AuditInput = {
      action: auditActionOf(context.method),
      collection: def?.name ?? context.path,
      recordId: recordId === undefined || recordId === null ? undefined : String(recordId),
      actor: { id: principalId(key), name: key.name },
      ip: auditAddress(params.ip),
      diff: {
        via: 'apikey',
        key: key.prefix,
        method: context.method,
        status,
        outcome: outcomeOf(status, !!error),
        reason,
        query: queryForAudit(params.query, def),
        ...(error ? {} : returned(result))
      }
    }
    await deps.audit.append([entry])
  }
}

/** An attempt with a key we do not know, or a socket login with one. */
export async function auditKeyEvent(
  audit: AuditLog,
  kind: 'login' | 'login_failed',
  ip: string | null | undefined,
  key?: Pick<ApiKeyInfo, 'id' | 'name' | 'prefix'>,
  detail: Doc = {}
): Promise<void> {
  await audit.append([
    {
      action: kind,
      collection: 'api_keys',
      recordId: key?.id,
      ip: auditAddress(ip),
      actor: key ? { id: principalId(key), name: key.name } : { id: null, name: 'apikey' },
      diff: { via: 'apikey', ...(key ? { key: key.prefix } : {}), ...detail }
    }
  ])
}

export { refusedKey }
