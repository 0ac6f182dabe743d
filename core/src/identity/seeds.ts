import bcrypt from 'bcrypt'
import type { PluginContext, Seed } from '@medaffairs/plugin-sdk'
import { DEMO_ACCOUNTS, DEMO_DEPARTMENTS, DEMO_PASSWORD, demoStaff } from '../../../seeds/demo-hospital.js'
import { BUILTIN_ROLES } from './builtin-roles.js'
import { generateInitialPassword } from './user-hooks.js'

export const ADMIN_ACCOUNTS = [
  { username: 'sysadmin', name: '系统管理员', roles: ['system_admin'] },
  { username: 'secadmin', name: '安全管理员', roles: ['security_admin'] },
  { username: 'auditadmin', name: '审计管理员', roles: ['audit_admin'] }
]

type Row = Record<string, any>

async function setCredentials(
  ctx: PluginContext,
  userIds: string[],
  password: string,
  mustChange: boolean
): Promise<void> {
  const hash = await bcrypt.hash(password, 10)
  await ctx.db.query(
    `INSERT INTO _credentials (user_id, password_hash, password_changed_at, must_change)
     SELECT id, $2, now(), $3 FROM unnest($1::text[]) AS id
     ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, must_change = EXCLUDED.must_change, password_changed_at = now()`,
    [userIds, hash, mustChange]
  )
}

/** The roles and the three separated administrators, with initial passwords to change. */
const baseSeed: Seed = {
  id: '20261125000000-roles-and-administrators',
  async run(ctx) {
    await ctx.app.service('roles').create(BUILTIN_ROLES.map((r) => ({ ...r, builtin: true })))
    const admins = (await ctx.app
      .service('users')
      .create(ADMIN_ACCOUNTS, { skipCredentials: true } as never)) as Row[]
    for (const admin of admins) {
      const password = generateInitialPassword()
      await setCredentials(ctx, [admin.id], password, true)
      // With demo data the demo seed gives every account the demo password instead.
      if (!ctx.demo)
        ctx.logger.warn(
          { username: admin.username },
          `initial password of ${admin.username}: ${password} (must be changed at first login)`
        )
      if (!ctx.demo && process.env.NODE_ENV !== 'test')
        console.log(`Initial password of ${admin.username}: ${password} (must be changed at first login)`)
    }
  }
}

/** The demo hospital: departments, about 300 staff and one demo account per role. */
const demoSeed: Seed = {
  id: '20261125000001-demo-hospital',
  demo: true,
  async run(ctx) {
    const ids = new Map<string, string>()
    for (const dept of DEMO_DEPARTMENTS) {
      const created = (await ctx.app.service('departments').create({
        code: dept.code,
        name: dept.name,
        nameEn: dept.nameEn,
        type: dept.type,
        parentId: dept.parent ? ids.get(dept.parent) : null,
        order: ids.size * 10
      })) as Row
      ids.set(dept.code, created.id)
    }
    const people = [
      ...DEMO_ACCOUNTS.map((a) => ({ ...a, titleSeries: 'management', title: 'mgt3' })),
      ...demoStaff()
    ]
    const users = (await ctx.app.service('users').create(
      people.map((p) => ({
        username: p.username,
        name: p.name,
        deptId: ids.get(p.dept),
        roles: p.roles,
        titleSeries: p.titleSeries,
        title: p.title
      })),
      { skipCredentials: true } as never
    )) as Row[]
    const admins = (await ctx.app.service('users').find({
      query: { username: { $in: ADMIN_ACCOUNTS.map((a) => a.username) } },
      paginate: false
    })) as Row[]
    await setCredentials(
      ctx,
      [...users, ...admins].map((u) => u.id),
      DEMO_PASSWORD,
      false
    )
    for (const [code, id] of ids) {
      const head = users.find((u) => u.deptId === id && u.roles.includes('dept_head'))
      if (head) await ctx.app.service('departments').patch(id, { leaderIds: [head.id] })
      else if (code === 'FN01') await ctx.app.service('departments').patch(id, { leaderIds: [users[0].id] })
    }
  }
}

export const IDENTITY_SEEDS: Seed[] = [baseSeed, demoSeed]
