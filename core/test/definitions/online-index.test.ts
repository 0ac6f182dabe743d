import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillTable, writeDuringBuild } from './online-index-support.js'
import { PLUGINS, startDefsServer, type DefsServer } from './support.js'

const ROWS = 200_000

describe('definitions: an index built after publish does not block writers (pg, CONCURRENTLY)', () => {
  let t: DefsServer
  let auth: Record<string, string>
  beforeAll(async () => {
    t = await startDefsServer('pg', PLUGINS)
    auth = await t.userWith('ma', ['medical_affairs_admin'])
    await fillTable(t, ROWS)
  })
  afterAll(() => t.close())

  it(`keeps every write under 1 s while ${ROWS.toLocaleString()} rows are indexed`, async () => {
    const { latencies, buildMs } = await writeDuringBuild(t, auth)
    const worst = Math.max(...latencies)
    console.log(
      `online index: build ${Math.round(buildMs)} ms over ${ROWS} rows; ${latencies.length} writes meanwhile, worst ${worst.toFixed(1)} ms`
    )
    expect(latencies.length).toBeGreaterThan(3)
    expect(worst).toBeLessThan(1000)
    const { rows } = await t.server.db.query<{ name: string; valid: boolean }>(
      `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('c_staff_profiles__code_idx', 'c_staff_profiles__level_idx') ORDER BY 1`
    )
    expect(rows).toEqual([
      { name: 'c_staff_profiles__code_idx', valid: true },
      { name: 'c_staff_profiles__level_idx', valid: true }
    ])
  })
})
