import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DRIVERS } from '../../../tests/support/db.js'
import { startTestServer, type TestServer } from '../../../tests/support/server.js'
import { bearer } from '../../../tests/support/auth.js'
import { DEMO_PASSWORD } from '../../../seeds/demo-hospital.js'
import dictionaries from '../../dictionaries/src/index.js'
import archives from '../../archives/src/index.js'
import medtech from '../src/index.js'

type Rec = Record<string, any>

/** Polls until `read` answers something `ok` accepts (the demo job runs after start). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await read().catch(() => undefined)
    if ((v !== undefined && ok(v)) || Date.now() > deadline) return v as T
    await new Promise((r) => setTimeout(r, 500))
  }
}

describe.each(DRIVERS)('medtech demo data on %s', (driver) => {
  let t: TestServer
  let auth: Record<string, string>
  beforeAll(async () => {
    t = await startTestServer(driver, [dictionaries, archives, medtech], { seed: 'demo' })
    const res = await t.api('POST', '/api/authentication', {
      strategy: 'local',
      username: 'yiwu',
      password: DEMO_PASSWORD
    })
    auth = bearer(res.body.accessToken)
  }, 180_000)
  afterAll(() => t.close())

  it('plays applications through the real flow into different states', async () => {
    // The demo commits all at once, but the overview counts each stage with its own statement:
    // one answer may straddle the commit, so wait for every stage rather than the last one.
    const played = { draft: 1, reviewing: 1, tracking: 1, evaluation: 1 }
    const overview = await until(
      async () => (await t.api('GET', '/api/medtech-overview', undefined, auth)).body as Rec,
      (o) => Object.entries(played).every(([stage, n]) => o.stages?.[stage] === n)
    )
    expect(overview.stages).toMatchObject(played)
    expect(overview.overdueCount).toBe(1)
    const candidates = (await t.api('GET', '/api/medtech-candidates', undefined, auth)).body.data as Rec[]
    expect(candidates).toEqual([
      expect.objectContaining({ name: '心脏再同步化治疗(CRT)优化程控', ready: true })
    ])
    const mature = (await t.api('GET', '/api/medtech-mature?state=approved', undefined, auth)).body
      .data as Rec[]
    expect(mature.map((m) => m.name)).toEqual(['经皮冠状动脉介入治疗(PCI)'])
  }, 180_000)
})
