import { api } from './records.service'

export interface AuditEntry {
  seq: number
  at: string
  actorId: string | null
  actorName: string | null
  ip: string | null
  action: string
  collection: string | null
  recordId: string | null
  diff: Record<string, unknown>
}

export interface AuditQuery {
  actorId?: string
  collection?: string
  recordId?: string
  action?: string
  from?: string
  to?: string
  beforeSeq?: number
  $limit: number
}

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'patch',
  'remove',
  'restore',
  'purge',
  'unmask',
  'export',
  'import',
  'share',
  'login',
  'login_failed',
  'logout',
  'flow'
] as const

/** `GET /api/audit` (audit administrator): newest first, `beforeSeq` for the next page. */
export async function searchAudit(query: AuditQuery): Promise<{ data: AuditEntry[]; next: number | null }> {
  const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''))
  return (await api<unknown>('audit').find({ query: clean })) as unknown as {
    data: AuditEntry[]
    next: number | null
  }
}
