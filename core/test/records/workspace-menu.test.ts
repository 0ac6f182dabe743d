import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineCollection, definePlugin } from '@medaffairs/plugin-sdk'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer, createUser, login } from '../../../tests/support/auth.js'

const notes = defineCollection({ name: 'notes', fields: [{ name: 'title', type: 'string' }] })
const plugin = definePlugin({ name: 'notes', version: '1.0.0', collections: [notes] })

const CORE_PAGES = [
  '/records',
  '/jobs',
  '/notifications',
  '/admin/recycle-bin',
  '/admin/backups',
  '/admin/audit'
]

/** The sidebar entries of the core's own pages, as each built-in role gets them from the manifest. */
describe.each(DRIVERS)('core pages in the menu on %s', (driver) => {
  let t: TestServer
  const tokens: Record<string, string> = {}

  const pages = async (who?: string): Promise<string[]> => {
    const res = await t.api('GET', '/api/manifest', undefined, who ? bearer(tokens[who]) : {})
    const paths = (res.body.plugins as Array<{ menu: Array<{ path: string }> }>).flatMap((p) =>
      p.menu.map((m) => m.path)
    )
    return CORE_PAGES.filter((p) => paths.includes(p))
  }

  beforeAll(async () => {
    t = await startTestServer(driver, [plugin], { logLevel: 'silent' })
    for (const role of [
      'hr',
      'staff',
      'audit_admin',
      'expert',
      'security_admin',
      'system_admin',
      'medical_affairs_admin'
    ]) {
      await createUser(t.server, { username: role, roles: [role] })
      tokens[role] = await login(t, role)
    }
  })
  afterAll(() => t?.close())

  it('shows each page only to the users who may use it', async () => {
    // HR restores business records: the bin is theirs; the audit trail is not.
    expect(await pages('hr')).toEqual(['/records', '/jobs', '/notifications', '/admin/recycle-bin'])
    expect(await pages('staff')).toEqual(['/records', '/jobs', '/notifications'])
    // The audit administrator's '*'-free grants reach the audit trail; business-wide grants never do.
    expect(await pages('audit_admin')).toEqual(['/records', '/jobs', '/notifications', '/admin/audit'])
    expect(await pages('expert')).toEqual(['/records', '/jobs', '/notifications'])
    expect(await pages('security_admin')).toEqual(['/records', '/jobs', '/notifications'])
    expect(await pages()).not.toContain('/records')
    expect(await pages()).not.toContain('/admin/audit')
    // Backups belong to the system administrators' tier alone: a business-wide grant does not reach them.
    expect(await pages('system_admin')).toContain('/admin/backups')
    expect(await pages('medical_affairs_admin')).not.toContain('/admin/backups')
    expect(await pages()).not.toContain('/admin/backups')
  })

  it('agrees with the services behind the pages', async () => {
    for (const [who, allowed] of [
      ['audit_admin', 200],
      ['hr', 403],
      ['staff', 403]
    ] as const) {
      expect((await t.api('GET', '/api/audit', undefined, bearer(tokens[who]))).status, who).toBe(allowed)
    }
    for (const [who, allowed] of [
      ['system_admin', 200],
      ['medical_affairs_admin', 403],
      ['security_admin', 403]
    ] as const) {
      expect((await t.api('GET', '/api/backups', undefined, bearer(tokens[who]))).status, who).toBe(allowed)
    }
    const bin = await t.api('GET', '/api/recycle-bin', undefined, bearer(tokens.staff))
    expect(bin.body.total).toBe(0)
  })
})
