import type { HookContext } from '@feathersjs/feathers'
import { Problems, isDate } from './guards.js'
import { EVALUATION_NODE } from './flows.js'

type Doc = Record<string, any>

/** The committee's options (协和 forms): convert, continue, stop, extend (with a date), return for rework. */
export const DECISIONS = ['convert', 'continue', 'stop', 'extend', 'rework'] as const
const FIELDS = ['evaluationDecision', 'extendUntil', 'evaluationOpinion']
export const EVALUATING = `reviewing:${EVALUATION_NODE}`

/**
 * The evaluation fields are written at the evaluation step only (the flow lets only its
 * assignee write them then) and are checked: a known decision, a date for an extension.
 */
export async function checkEvaluation(context: HookContext): Promise<void> {
  if (!context.params.provider) return
  const problems = new Problems()
  if (Array.isArray(context.data)) {
    // A new record is never at its evaluation step.
    for (const [i, item] of (context.data as Doc[]).entries())
      for (const f of FIELDS.filter((x) => x in item))
        problems.add(`${i}.${f}`, '只能在评估步骤填写', 'only at the evaluation step')
    return problems.throwIfAny()
  }
  const data = (context.data ?? {}) as Doc
  if (!FIELDS.some((f) => f in data)) return
  const existing =
    context.method === 'create'
      ? undefined
      : (((context.params as { existing?: Doc }).existing ?? (await context.service.get(context.id!))) as Doc)
  if (existing?.state !== EVALUATING) {
    for (const f of FIELDS.filter((x) => x in data))
      problems.add(f, '只能在评估步骤填写', 'only at the evaluation step')
    return problems.throwIfAny()
  }
  const merged = { ...existing, ...data }
  if (merged.evaluationDecision != null && !DECISIONS.includes(merged.evaluationDecision))
    problems.add('evaluationDecision', `应为 ${DECISIONS.join('/')}`, `one of ${DECISIONS.join(', ')}`)
  if (merged.evaluationDecision === 'extend' && !isDate(merged.extendUntil))
    problems.add('extendUntil', '延期须填写延至日期 (YYYY-MM-DD)', 'an extension needs a date (YYYY-MM-DD)')
  if (merged.extendUntil != null && !isDate(merged.extendUntil))
    problems.add('extendUntil', '应为 YYYY-MM-DD 格式的日期', 'must be a date as YYYY-MM-DD')
  if (
    merged.evaluationOpinion != null &&
    (typeof merged.evaluationOpinion !== 'string' || merged.evaluationOpinion.length > 4000)
  )
    problems.add('evaluationOpinion', '应为不超过4000字的文本', 'text of at most 4000 characters')
  problems.throwIfAny()
}
