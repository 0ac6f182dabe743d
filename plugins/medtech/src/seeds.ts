import type { PluginContext } from '@medaffairs/plugin-sdk'
import { DEFAULT_RULE } from './mature.js'
import { MATURE, PATH, PROJECTS, REPORTS, RULES } from './names.js'

type Doc = Record<string, any>
const readAll = (collection: string) => ({ collection, actions: ['read'], scope: 'all' }) as const

/** The bodies the flows assign to, with read access to what they review. */
const ROLES = [
  {
    code: 'ethics_committee',
    name: { 'zh-CN': '伦理委员会', 'en-US': 'Ethics committee' },
    grants: [readAll(PROJECTS), readAll(REPORTS)]
  },
  {
    code: 'president',
    name: { 'zh-CN': '院长/院长办公会', 'en-US': "President (president's meeting)" },
    grants: [readAll(PROJECTS), readAll(REPORTS), readAll(MATURE)]
  }
]

/** The default conversion rule; the medical-affairs office may edit the rules. */
export async function seedRules({ app }: PluginContext): Promise<void> {
  await app.service(PATH.rules).create(DEFAULT_RULE)
  const existing = new Set(
    (
      (await app
        .service('roles')
        .find({ query: { code: { $in: ROLES.map((r) => r.code) } }, paginate: false })) as Doc[]
    ).map((r) => r.code)
  )
  const missing = ROLES.filter((r) => !existing.has(r.code))
  if (missing.length) await app.service('roles').create(missing)
  const [admin] = (await app
    .service('roles')
    .find({ query: { code: 'medical_affairs_admin' }, paginate: false })) as Doc[]
  if (admin)
    await app.service('roles').patch(admin.id, {
      grants: [...admin.grants, { collection: RULES, actions: ['create', 'update', 'delete'], scope: 'all' }]
    })
}
