import type { Grant, PluginContext } from '@medaffairs/plugin-sdk'
import { COMMITTEE_ROLE } from './applications.js'
import { CALENDAR } from './calendar.js'
import { CATALOGUE } from './catalogue.js'
import { FILINGS } from './filings.js'
import { AUTHORIZATION_SOURCE } from './grant.js'

type Doc = Record<string, any>

/** The configuration the medical-affairs office keeps: provincial entries, the calendar, the filings. */
const OFFICE_GRANTS: Grant[] = [CATALOGUE, CALENDAR, FILINGS].map((collection) => ({
  collection,
  actions: ['create', 'update', 'delete', 'export'],
  scope: 'all'
}))

/**
 * Base data: the office's rights on this plugin's configuration, the committee role of
 * the approval flow (when the hospital has none yet), and the authorization source
 * "restricted technology" in the archives' dictionary.
 */
export async function seedRoles({ app }: PluginContext): Promise<void> {
  const roles = app.service('roles')
  const [office] = (await roles.find({ query: { code: 'medical_affairs_admin' }, paginate: false })) as Doc[]
  if (office) await roles.patch(office.id, { grants: [...office.grants, ...OFFICE_GRANTS] })
  const [committee] = (await roles.find({ query: { code: COMMITTEE_ROLE }, paginate: false })) as Doc[]
  if (!committee) {
    await roles.create({
      code: COMMITTEE_ROLE,
      name: { 'zh-CN': '医疗技术临床应用管理委员会', 'en-US': 'Medical-technology committee' },
      description: '审批限制类技术与新技术的临床应用',
      grants: []
    })
  }
  const items = app.service('dictionary-items')
  const [source] = (await items.find({
    query: { dictionary: 'authorization_source', code: AUTHORIZATION_SOURCE },
    paginate: false
  })) as Doc[]
  if (!source)
    await items.create({
      dictionary: 'authorization_source',
      code: AUTHORIZATION_SOURCE,
      label: { 'zh-CN': '限制类技术准入', 'en-US': 'Restricted technology' },
      order: 60
    })
}
