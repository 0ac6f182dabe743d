import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { BadRequest } from '@feathersjs/errors'
import type { DefinitionKind } from '@medaffairs/plugin-sdk'
import { canonicalJson } from '../audit/canonical.js'
import { checkBody } from './body-check.js'
import {
  applyDictionary,
  checkDictionaryFile,
  hasDictionaries,
  readDictionaries,
  sameDictionary,
  type DictionaryFile
} from './config-dictionaries.js'
import type { Definitions } from './engine.js'
import { STORED_KINDS } from './types.js'

/** The folder of each kind in a configuration directory. */
export const FOLDERS: Record<string, DefinitionKind> = {
  forms: 'form',
  flows: 'flow',
  dashboards: 'dashboard',
  dictionaries: 'dictionary'
}
const FOLDER_OF = Object.fromEntries(Object.entries(FOLDERS).map(([dir, kind]) => [kind, dir])) as Record<
  DefinitionKind,
  string
>

/** Pretty JSON with keys sorted at every level (arrays keep their order): diffs show real changes only. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort)
    if (v === null || typeof v !== 'object') return v
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sort((v as Record<string, unknown>)[k])])
    )
  }
  return `${JSON.stringify(sort(value), null, 2)}\n`
}

interface ConfigFile {
  /** `forms/staff.json` */
  path: string
  kind: DefinitionKind
  key: string
  body: unknown
}

/**
 * Writes every published definition, one file each (`forms/<collection>.json`,
 * `flows/<key>.json`, `dashboards/<key>.json`, `dictionaries/<code>.json`). JSON files of
 * those folders that no longer match a definition are removed, so a re-export into a
 * reviewed folder shows deletions too.
 */
export async function exportConfig(defs: Definitions, dir: string): Promise<string[]> {
  const files: ConfigFile[] = (await defs.store.allPublished(STORED_KINDS)).map((d) => ({
    path: `${FOLDER_OF[d.kind]}/${d.key}.json`,
    kind: d.kind,
    key: d.key,
    body: d.body
  }))
  for (const d of await readDictionaries(defs.deps.app))
    files.push({ path: `dictionaries/${d.code}.json`, kind: 'dictionary', key: d.code, body: d })
  const written = new Set(files.map((f) => f.path))
  for (const folder of Object.keys(FOLDERS)) {
    const names = await readdir(join(dir, folder)).catch(() => [] as string[])
    for (const n of names)
      if (n.endsWith('.json') && !written.has(`${folder}/${n}`)) await rm(join(dir, folder, n))
  }
  for (const f of files) {
    await mkdir(join(dir, FOLDER_OF[f.kind]), { recursive: true })
    await writeFile(join(dir, f.path), stableJson(f.body))
  }
  return files.map((f) => f.path).sort()
}

export interface ImportSummary {
  dryRun: boolean
  added: string[]
  changed: string[]
  unchanged: string[]
  /** Any error means nothing was changed. */
  errors: Array<{ file: string; field?: string; reason: string }>
}

async function readConfigDir(dir: string, summary: ImportSummary): Promise<ConfigFile[]> {
  const out: ConfigFile[] = []
  for (const [folder, kind] of Object.entries(FOLDERS)) {
    const names = (await readdir(join(dir, folder)).catch(() => [] as string[])).sort()
    for (const name of names) {
      const path = `${folder}/${name}`
      if (!name.endsWith('.json')) {
        summary.errors.push({ file: path, reason: '只接受 .json 文件 (only .json files are read)' })
        continue
      }
      try {
        out.push({
          path,
          kind,
          key: basename(name, '.json'),
          body: JSON.parse(await readFile(join(dir, path), 'utf8'))
        })
      } catch (error) {
        summary.errors.push({
          file: path,
          reason: `JSON 格式错误 (invalid JSON): ${(error as Error).message}`
        })
      }
    }
  }
  return out
}

type Planned = ConfigFile & { state: 'added' | 'changed' | 'unchanged'; checked: unknown }

/** Validates one file and compares it with what is published. */
async function plan(
  defs: Definitions,
  f: ConfigFile,
  dictionaries: Map<string, DictionaryFile>,
  summary: ImportSummary
): Promise<Planned | undefined> {
  if (f.kind === 'dictionary') {
    const errors = hasDictionaries(defs.deps.app)
      ? checkDictionaryFile(f.key, f.body)
      : [{ field: 'body', reason: '未安装数据字典模块 (the dictionaries plugin is not installed)' }]
    if (errors.length) return void summary.errors.push(...errors.map((e) => ({ file: f.path, ...e })))
    const current = dictionaries.get(f.key)
    const state = !current
      ? 'added'
      : sameDictionary(current, f.body as DictionaryFile)
        ? 'unchanged'
        : 'changed'
    return { ...f, state, checked: f.body }
  }
  try {
    const checked = checkBody(f.kind, f.key, f.body, await defs.context(f.kind, f.key))
    const current = await defs.store.get(f.kind, f.key, 'published')
    const state = !current
      ? 'added'
      : canonicalJson(current.body) === canonicalJson(checked)
        ? 'unchanged'
        : 'changed'
    return { ...f, state, checked }
  } catch (error) {
    if (!(error instanceof BadRequest)) throw error
    const errors = (error.data as { errors?: Array<{ field: string; reason: string }> })?.errors ?? [
      { field: 'body', reason: error.message }
    ]
    summary.errors.push(...errors.map((e) => ({ file: f.path, ...e })))
    return undefined
  }
}

/**
 * Reads a configuration directory, validates every file first (any error: nothing changes),
 * then publishes each added or changed definition as a new version with the comment
 * "imported from <dir>" and applies changed dictionaries, all in one transaction.
 */
export async function importConfig(
  defs: Definitions,
  dir: string,
  options: { dryRun?: boolean; label?: string } = {}
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    dryRun: Boolean(options.dryRun),
    added: [],
    changed: [],
    unchanged: [],
    errors: []
  }
  const files = await readConfigDir(dir, summary)
  const dictionaries = new Map((await readDictionaries(defs.deps.app)).map((d) => [d.code, d]))
  const planned: Planned[] = []
  for (const f of files) {
    const p = await plan(defs, f, dictionaries, summary)
    if (p) planned.push(p)
  }
  if (summary.errors.length) return summary
  for (const p of planned) summary[p.state].push(p.path)
  const todo = planned.filter((p) => p.state !== 'unchanged')
  if (options.dryRun || !todo.length) return summary
  const comment = `imported from ${options.label ?? dir}`
  const afters = await defs.db.transaction(async () => {
    const out: Array<() => Promise<unknown>> = []
    for (const p of todo) {
      if (p.kind === 'dictionary') await applyDictionary(defs.deps.app, p.checked as DictionaryFile)
      else
        out.push(
          (await defs.stagePublish({ kind: p.kind, key: p.key, body: p.checked, comment, author: null }))
            .after
        )
    }
    return out
  })
  for (const after of afters) await after()
  return summary
}
