import type { HookContext, Params } from '@feathersjs/feathers'
import type { FlowDefinition, FlowNode } from '@medaffairs/plugin-sdk'
import type { ArchiveModule } from './mechanism.js'
import type { ReviewSettings } from './review-settings.shared.js'
import { ARCHIVE_MODULES } from './modules/index.js'

type Doc = Record<string, any>

/** The flow key of a module's review: one flow per module, so each is edited on its own in the designer. */
export const reviewFlowKey = (module: ArchiveModule) => `archive_review_${module.spec.key}`

export const defaultReviewSettings = (module: ArchiveModule): ReviewSettings => ({
  office: module.spec.reviewOffice,
  secretary: true
})

/**
 * The archive review (档案审核) of one module: the department's secretary checks the entry
 * (walking up the department tree to the nearest one), then the office responsible for the
 * module (HR, research office, medical affairs) approves it. A rejection at either step ends
 * the review as `rejected` with the reviewer's comment; the person edits the entry and it is
 * reviewed again. The settings page rebuilds the flow from its two settings with this same
 * builder (so the page and the shipped default cannot drift); anything more is done in the designer.
 */
export function reviewFlow(
  module: ArchiveModule,
  settings: ReviewSettings = defaultReviewSettings(module)
): FlowDefinition {
  const label = module.spec.label
  const steps: FlowNode[] = [
    ...(settings.secretary
      ? [
          {
            id: 'dept',
            type: 'approve',
            mode: 'any',
            assignee: { kind: 'role_in_dept', role: 'dept_secretary' },
            label: { 'zh-CN': '科室审核', 'en-US': 'Department review' },
            timers: { remindAfterHours: 48 }
          } as FlowNode
        ]
      : []),
    {
      id: 'office',
      type: 'approve',
      mode: 'any',
      assignee: { kind: 'role', role: settings.office },
      label: { 'zh-CN': '职能部门审核', 'en-US': 'Office review' },
      timers: { remindAfterHours: 48 }
    }
  ]
  const nodes: FlowNode[] = [
    { id: 'start', type: 'start', label: { 'zh-CN': '本人提交', 'en-US': 'Submitted by the person' } },
    ...steps,
    { id: 'approved', type: 'end', outcome: 'approved', label: { 'zh-CN': '审核通过', 'en-US': 'Approved' } }
  ]
  return {
    key: reviewFlowKey(module),
    label: { 'zh-CN': `档案审核：${label['zh-CN']}`, 'en-US': `Archive review: ${label['en-US']}` },
    collection: module.collection.name,
    nodes,
    edges: nodes.slice(1).map((node, i) => ({ from: nodes[i].id, to: node.id })),
    editRoles: ['medical_affairs_admin'],
    withdraw: 'before_action'
  }
}

export const REVIEW_FLOWS: FlowDefinition[] = ARCHIVE_MODULES.map((module) => reviewFlow(module))

/** Review status of an entry from its `state` column, as the pages show it. */
export type ReviewStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn' | null

export function reviewStatusOf(state: unknown): ReviewStatus {
  if (typeof state !== 'string' || !state) return null
  if (state.startsWith('reviewing')) return 'pending'
  if (state === 'approved' || state === 'rejected' || state === 'withdrawn') return state
  return null
}

/** Whether an entry counts (credits, reports): entered by an office, or approved in review. */
export const isOfficial = (entry: Doc): boolean => {
  const status = reviewStatusOf(entry.state)
  return status === null || status === 'approved'
}

/**
 * After a write by the person about themselves (their own entry, from any transport), the
 * module's review starts — in the write's transaction, so an entry that cannot be reviewed
 * (nobody to review it) is not saved either. Entries made by a secretary, HR or an
 * administrator about someone else count at once. An entry already under review is not
 * started again (the flow lock decides who may still change it).
 */
export function startReviewHook(module: ArchiveModule) {
  const flowKey = reviewFlowKey(module)
  /** Starts the review of one written entry when it is the person's own; answers it with its new state. */
  const review = async (context: HookContext, user: Doc, record: Doc): Promise<Doc> => {
    if (!record || record.staffId !== user.id || reviewStatusOf(record.state) === 'pending') return record
    await context.app
      .service('flows/start')
      .create({ flowKey, collection: module.collection.name, recordId: record.id }, { user } as Params)
    const fresh = (await context.service.get(record.id)) as Doc
    return { ...record, state: fresh.state }
  }
  return async (context: HookContext): Promise<void> => {
    const user = (context.params as { user?: Doc }).user
    const result = context.result as Doc | Doc[] | undefined
    if (!context.params.provider || !user || !result) return
    // A multi-create or a batch patch reviews each of the person's own entries, one after another.
    if (Array.isArray(result)) {
      const out: Doc[] = []
      for (const record of result) out.push(await review(context, user, record))
      context.result = out
    } else context.result = await review(context, user, result)
  }
}
