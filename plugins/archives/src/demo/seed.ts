import type { Params } from '@feathersjs/feathers'
import type { PluginContext } from '@medaffairs/plugin-sdk'
import { basicInfo, moduleEntries, type DemoSubject } from './entries.js'

type Doc = Record<string, any>

/** The demo accounts whose profile pages are full; the other staff get their basic information. */
const FULL_ARCHIVES = ['yisheng', 'kezhuren', 'kemishu', 'zhuanjia', 'renshi', 'keyan']
/** The named clinical demo accounts carry a management title in the identity seed; their archives are an attending physician's. */
const DOCTORS = ['yisheng', 'kezhuren', 'zhuanjia']

/** A fixed 0…1 per person, from the username, so the demo is the same on every start. */
const seedOf = (username: string) =>
  [...username].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 9973, 7) / 9973

/** The core's daily job that fills 工龄 and other "years since" fields. */
const REFRESH_JOB = 'definitions.refresh-computed'

/**
 * Demo archives for the demo hospital: basic information for every staff member (a few
 * retired or left, so the directory has both lists) and a realistic handful of entries in
 * every module for the named demo accounts and a dozen colleagues — one batch per module so
 * start-up stays quick. Seeds run while the plugins load, before the records pipeline can
 * validate, so the entries are written internally with their person as owner and department;
 * 工龄 is then filled by the refresh job, queued right away.
 */
export async function seedDemoArchives(ctx: PluginContext, today = new Date()): Promise<void> {
  const { app } = ctx
  const people = (await app.service('users').find({
    query: {
      $select: ['id', 'username', 'name', 'deptId', 'titleSeries', 'title', 'roles'],
      $sort: { username: 1 }
    },
    paginate: false
  })) as Doc[]
  const admin = people.find((u) => u.username === 'yiwu')
  if (!admin) return
  const params = { user: admin } as Params
  const staff = people.filter((u) => !['sysadmin', 'secadmin', 'auditadmin'].includes(u.username))
  const subjects: DemoSubject[] = staff.map((u) => {
    const doctor = DOCTORS.includes(u.username)
    return {
      id: u.id,
      username: u.username,
      name: u.name,
      titleSeries: doctor ? 'physician' : u.titleSeries,
      title: doctor ? '233' : u.title,
      seed: seedOf(u.username)
    }
  })
  const deptOf = new Map(staff.map((u) => [u.id, u.deptId ?? null]))
  const owned = (e: Doc) => ({ ...e, ownerId: e.staffId, deptId: deptOf.get(e.staffId) ?? null })
  const status = (i: number) => (i % 41 === 40 ? 'retired' : i % 53 === 52 ? 'left' : 'active')
  await app.service('archive-basic-info').create(
    subjects.map((p, i) =>
      owned(basicInfo(p, today, FULL_ARCHIVES.includes(p.username) ? 'active' : status(i)))
    ),
    params
  )
  const full = [
    ...subjects.filter((p) => FULL_ARCHIVES.includes(p.username)),
    ...subjects.filter((p) => /^D\d+$/.test(p.username)).filter((_, i) => i % 25 === 0)
  ]
  const byModule = new Map<string, Doc[]>()
  for (const p of full)
    for (const [key, entries] of Object.entries(moduleEntries(p, today)))
      byModule.set(key, [...(byModule.get(key) ?? []), ...entries])
  for (const [key, entries] of byModule)
    await app.service(`archive-${key.replace(/_/g, '-')}`).create(entries.map(owned), params)
  await ctx.jobs?.enqueue(REFRESH_JOB, {}, { singletonKey: REFRESH_JOB })
}
