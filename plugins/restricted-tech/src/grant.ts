import type { Application, HookContext, Params } from '@feathersjs/feathers'
import { CATALOGUE_PATH } from './catalogue.js'

type Doc = Record<string, any>

/** The archives plugin's authorization module, written through its service (audited there). */
export const AUTHORIZATIONS_PATH = 'archive-authorizations'
export const AUTHORIZATION_SOURCE = 'restricted_technology'

/** Restricted technologies are managed like level-4 surgery (2025 core-system indicators). */
const LEVEL = '4'

const today = () => new Date().toISOString().slice(0, 10)

function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

/**
 * On approval: every operator listed in the application gets an authorization for the
 * technology in their archive (type 限制类技术, level 4, source this application). Runs in
 * the flow's transaction, so the approval and the grants are stored together. Operators
 * already holding a grant from this application are skipped (a second call changes nothing).
 */
export async function grantAuthorizations(
  app: Application,
  application: Doc,
  params: Params,
  validYears: number
): Promise<Doc[]> {
  const service = app.service(AUTHORIZATIONS_PATH)
  const held = (await service.find({
    query: { source: AUTHORIZATION_SOURCE, sourceId: application.id, $select: ['staffId'] },
    paginate: false
  })) as Doc[]
  const already = new Set(held.map((h) => h.staffId))
  const people = ((application.operators ?? []) as Doc[])
    .map((o) => o.userId)
    .filter((id): id is string => typeof id === 'string' && !already.has(id))
  if (!people.length) return []
  const [tech] = (await app
    .service(CATALOGUE_PATH)
    .find({ query: { code: application.technologyCode, $limit: 1 }, paginate: false })) as Doc[]
  const users = (await app
    .service('users')
    .find({ query: { id: { $in: people }, $select: ['id', 'deptId'] }, paginate: false })) as Doc[]
  const granted = today()
  const rows = users.map((u) => ({
    staffId: u.id,
    // The person's archive: owner and department are theirs, as the records pipeline would stamp them.
    ownerId: u.id,
    deptId: u.deptId ?? null,
    type: 'restricted_technology',
    item: `${application.technologyCode} ${tech?.name ?? ''}`.trim(),
    level: tech?.surgeryLevel ?? LEVEL,
    grantedDate: granted,
    validUntil: addYears(granted, validYears),
    approvedBy: '医疗技术临床应用管理委员会',
    source: AUTHORIZATION_SOURCE,
    sourceId: application.id,
    status: 'valid'
  }))
  const { actor, user } = params as Doc
  return (await service.create(rows, { actor, user } as Params)) as Doc[]
}

/** After a patch that moved an application to `approved` (the flow's end), grant the operators. */
export function grantOnApproval(validYears: () => number) {
  return async (context: HookContext): Promise<void> => {
    if ((context.data as Doc | undefined)?.state !== 'approved') return
    const rows = (Array.isArray(context.result) ? context.result : [context.result]) as Doc[]
    for (const row of rows) {
      if (row?.state !== 'approved') continue
      // The result may be shaped for a reader; the stored record carries every operator.
      const application = (await context.service.get(row.id, { query: {} })) as Doc
      await grantAuthorizations(context.app, application, context.params, validYears())
    }
  }
}
