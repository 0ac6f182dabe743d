import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { scaffoldPlugin } from '../scripts/new-plugin.js'

const dir = join(import.meta.dirname, 'tmp-scaffold')

describe('npm run new-plugin', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('scaffolds a plugin whose own test passes', () => {
    const files = scaffoldPlugin('sample-module', dir)
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'sample-module/package.json',
      'sample-module/src/index.ts',
      'sample-module/src/locale/en-US.json',
      'sample-module/src/locale/zh-CN.json',
      'sample-module/test/sample-module.test.ts'
    ])
    const out = execFileSync(
      join(process.cwd(), 'node_modules/.bin/vitest'),
      ['run', 'tests/tmp-scaffold/sample-module/test/sample-module.test.ts'],
      { encoding: 'utf8', cwd: process.cwd(), env: { ...process.env, CI: 'true' } }
    )
    expect(out).toMatch(/1 passed/)
  }, 120_000)

  it('refuses a bad name and an existing folder', () => {
    expect(() => scaffoldPlugin('Bad_Name', dir)).toThrow(/kebab-case/)
    expect(existsSync(join(dir, 'sample-module'))).toBe(true)
    expect(() => scaffoldPlugin('sample-module', dir)).toThrow(/exists already/)
  })
})
