import { BadRequest } from '@feathersjs/errors'
import type { HookContext } from '@feathersjs/feathers'
import { checkCnNumber, checkIssn, type FormField, type JournalCodeCheck } from '@medaffairs/plugin-sdk'
import type { ArchiveModule } from './mechanism.js'

type Doc = Record<string, any>

const CHECKS: Record<NonNullable<FormField['format']>, (value: string) => JournalCodeCheck> = {
  issn: checkIssn,
  cn_number: checkCnNumber
}

/**
 * Journal codes (`format: 'issn' | 'cn_number'`) are checked on every write: a wrong ISSN
 * check digit or a malformed CN number answers 400 naming the field and what is wrong (the
 * page shows it at the field); a good one is stored normalized (`1000-6060`, `CN11-1234/R`).
 */
export function journalCodeHook(module: ArchiveModule) {
  const fields = module.form.fields.filter((f) => f.format)
  return async (context: HookContext): Promise<void> => {
    if (!fields.length || !context.data || typeof context.data !== 'object') return
    const rows = (Array.isArray(context.data) ? context.data : [context.data]) as Doc[]
    // A multi-create names each failing item as `<index>.<field>`, as the form validation does.
    const errors: Array<{ field: string; reason: string }> = []
    rows.forEach((row, i) => {
      for (const f of fields) {
        const value = row[f.name]
        if (typeof value !== 'string' || !value.trim()) continue
        const result = CHECKS[f.format!](value)
        if (result.ok) row[f.name] = result.normalized
        else
          errors.push({
            field: Array.isArray(context.data) ? `${i}.${f.name}` : f.name,
            reason: `${result.reason['zh-CN']} (${result.reason['en-US']})`
          })
      }
    })
    if (errors.length) throw new BadRequest('数据校验未通过 (validation failed)', { errors })
  }
}
