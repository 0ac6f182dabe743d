// `npx tsx tests/bench/archives-profile.bench.ts [--entries 500] [--runs 20] [--drivers pglite,pg]`:
// the staff profile API (`GET /api/archive-profile/:id`, every module of one person with a
// timeline) for a person with `entries` archive entries, over HTTP, as the person and as
// their department secretary.
import { parseArgs } from 'node:util'
import type { DriverName } from '@medaffairs/plugin-sdk'
import dictionaries from '../../plugins/dictionaries/src/index.js'
import archives from '../../plugins/archives/src/index.js'
import { basicInfo, moduleEntries } from '../../plugins/archives/src/demo/entries.js'
import { startTestServer } from '../support/server.js'
import { bearer, createUser, login } from '../support/auth.js'
import { measure, ms } from './stats.js'

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '500' },
    runs: { type: 'string', default: '20' },
    drivers: { type: 'string', default: 'pglite,pg' }
  }
})
const ENTRIES = Number(values.entries)
const RUNS = Number(values.runs)
type Rec = Record<string, any>

/** `n` entries about one person, spread over the fifteen list modules as the demo writes them. */
function archiveOf(personId: string, deptId: string, n: number): Map<string, Rec[]> {
  const byModule = new Map<string, Rec[]>()
  const today = new Date()
  let made = 0
  for (let round = 0; made < n; round++) {
    const entries = moduleEntries(
      { id: personId, username: `bench${round}`, name: 'bench', seed: (round % 97) / 97 },
      today
    )
    for (const [key, list] of Object.entries(entries)) {
      for (const e of list) {
        if (made >= n) break
        byModule.set(key, [...(byModule.get(key) ?? []), { ...e, ownerId: personId, deptId }])
        made++
      }
    }
  }
  return byModule
}

async function benchDriver(driver: DriverName): Promise<void> {
  const t = await startTestServer(driver, [dictionaries, archives])
  try {
    const dept = (await t.server.app
      .service('departments')
      .create({ code: 'B', name: '心内科', type: 'clinical' })) as Rec
    const person = await createUser(t.server, { username: 'bench_doc', roles: ['staff'], deptId: dept.id })
    await createUser(t.server, { username: 'bench_sec', roles: ['dept_secretary'], deptId: dept.id })
    const app = t.server.app
    await app.service('archive-basic-info').create({
      ...basicInfo({ id: person.id, username: 'bench_doc', name: 'bench', seed: 0.5 }, new Date()),
      ownerId: person.id,
      deptId: dept.id
    })
    for (const [key, rows] of archiveOf(person.id, dept.id, ENTRIES - 1))
      await app.service(`archive-${key.replace(/_/g, '-')}`).create(rows)
    for (const who of ['bench_doc', 'bench_sec']) {
      const auth = bearer(await login(t, who))
      let size = 0
      let count = 0
      const timing = await measure(
        RUNS,
        async () => {
          const res = await fetch(`${t.url}/api/archive-profile/${person.id}`, { headers: auth })
          const text = await res.text()
          if (res.status !== 200) throw new Error(`${res.status} ${text}`)
          size = text.length
          count = (JSON.parse(text).modules as Rec[]).reduce((a, m) => a + m.entries.length, 0)
        },
        3
      )
      console.log(
        `| ${driver} | profile of a person with ${count} entries, as ${who === 'bench_doc' ? 'the person' : 'the department secretary'} | ${ms(timing.p50)} / ${ms(timing.p95)} ms | ${Math.round(size / 1024)} KiB | ${RUNS} runs |`
      )
    }
  } finally {
    await t.close()
  }
}

console.log('| driver | what | p50 / p95 | answer | runs |\n|---|---|---|---|---|')
for (const driver of values.drivers!.split(',') as DriverName[]) await benchDriver(driver)
