import type { I18nText } from './collection.js'
import type { Condition } from './forms.js'

/** Who gets a task. Resolved through the organization when the step is reached. */
export type AssigneeRule =
  | { kind: 'role'; role: string }
  /** Holders of the role in the applicant's department (walking up the tree until found). */
  | { kind: 'role_in_dept'; role: string }
  /** The leader of the applicant's department, or `levels` departments up (1 = own). */
  | { kind: 'dept_leader'; levels?: number }
  | { kind: 'direct_leader' }
  | { kind: 'users'; userIds: string[] }
  /** An expert panel: the users holding `role` (e.g. `expert`), optionally limited to a list. */
  | { kind: 'panel'; role: string; userIds?: string[] }
  /** Chosen at run time by the approver of the previous step (`nextAssignees` in the action). */
  | { kind: 'chosen' }
  | { kind: 'applicant' }
  /** A user id held in a field of the record (e.g. the project leader). */
  | { kind: 'field'; field: string }

/** single: one assignee acts; all: every assignee must approve; any: the first decision wins; vote: approve when ≥ threshold of votes. */
export type ApprovalMode = 'single' | 'all' | 'any' | 'vote'

export interface ScoreCriterion {
  key: string
  label: I18nText
  max: number
  weight?: number
}

export interface ScoreSheet {
  criteria: ScoreCriterion[]
  /** mean of totals; trimmed_mean drops the highest and lowest total; weighted uses criterion weights. */
  aggregate: 'mean' | 'trimmed_mean' | 'weighted'
  pass: { kind: 'threshold'; value: number } | { kind: 'votes'; ratio: number }
  /** Experts of the applicant's own department are not assigned. */
  excludeOwnDepartment?: boolean
}

export interface FlowTimers {
  remindAfterHours?: number
  escalateAfterHours?: number
  escalateTo?: AssigneeRule
  /** After this the step is decided by `onDeadline`. */
  deadlineHours?: number
  onDeadline?: 'approve' | 'reject' | 'escalate'
}

/** Node kinds, in the order the designer offers them. */
export const FLOW_NODE_TYPES = [
  'start',
  'approve',
  'score',
  'fill',
  'condition',
  'parallel',
  'join',
  'notify',
  'end'
] as const
export type FlowNodeType = (typeof FLOW_NODE_TYPES)[number]

/** Kinds whose step gives tasks to people (an assignee rule, timers, a decision). */
export const FLOW_TASK_TYPES: ReadonlySet<FlowNodeType> = new Set<FlowNodeType>(['approve', 'score', 'fill'])

/** The decisions an edge out of an approval or scoring step can follow. */
export const FLOW_EDGE_DECISIONS = ['approved', 'rejected', 'passed', 'failed'] as const
export type FlowEdgeDecision = (typeof FLOW_EDGE_DECISIONS)[number]

export interface FlowNode {
  id: string
  type: FlowNodeType
  label: I18nText
  assignee?: AssigneeRule
  mode?: ApprovalMode
  /** vote: the share of approvals needed (0–1). */
  threshold?: number
  scoring?: ScoreSheet
  /** fill: the form (collection) the assignee fills in, e.g. a tracking report. */
  form?: string
  /** fill: repeat every N months until the flow leaves this step (tracking reports). */
  everyMonths?: number
  timers?: FlowTimers
  /** notify: who is told, and what. */
  notify?: { to: AssigneeRule; title: I18nText }
  /** end: the outcome recorded on the instance and the record (`approved`, `rejected`, `converted`…). */
  outcome?: string
  /** Fields of the record this step's assignee may still edit while it is under review. */
  editableFields?: string[]
  /** Where the designer draws the node (canvas units); without it the designer lays the node out itself. */
  position?: { x: number; y: number }
}

export interface FlowEdge {
  from: string
  to: string
  /** Taken after an approval step ends with this decision. */
  on?: FlowEdgeDecision
  /** Condition branches on the record's fields (first matching edge wins; an edge without `when` is the default). */
  when?: Condition
  label?: I18nText
}

export interface FlowDefinition {
  key: string
  label: I18nText
  /** The collection whose records this flow runs on. */
  collection: string
  nodes: FlowNode[]
  edges: FlowEdge[]
  /** Roles that may still edit a record while it is under review (besides `editableFields` per step). */
  editRoles?: string[]
  /** Roles that may start the flow; absent = whoever may update records of the collection. */
  startRoles?: string[]
  /** When the starter may withdraw: until anyone has acted (default), any time while running, or never. */
  withdraw?: 'before_action' | 'while_running' | 'never'
}

export type InstanceState = 'running' | 'completed' | 'rejected' | 'withdrawn' | 'cancelled'
export type TaskState = 'pending' | 'done' | 'cancelled'
export type TaskAction =
  'approve' | 'reject' | 'return' | 'transfer' | 'add_signer' | 'comment' | 'score' | 'submit'

export interface FlowInstance {
  id: string
  flowKey: string
  version: number
  collection: string
  recordId: string
  state: InstanceState
  outcome: string | null
  /** Nodes currently active (several with parallel branches). */
  active: string[]
  startedBy: string
  startedAt: string
  endedAt: string | null
}

export interface FlowTask {
  id: string
  instanceId: string
  nodeId: string
  assigneeId: string
  state: TaskState
  decision: TaskAction | null
  comment: string | null
  /** score: per-criterion points (hidden from other experts until the round closes). */
  scores?: Record<string, number> | null
  dueAt: string | null
  createdAt: string
  doneAt: string | null
}

/** What changed between two versions of a flow (`GET /api/definitions/diff?kind=flow`). */
export interface FlowDiff {
  nodes: {
    added: string[]
    removed: string[]
    changed: Array<{ node: string; changes: Record<string, [unknown, unknown]> }>
  }
  /** Edges by `from→to[:on]`; a changed condition or label shows under `changed`. */
  edges: {
    added: string[]
    removed: string[]
    changed: Array<{ edge: string; changes: Record<string, [unknown, unknown]> }>
  }
  /** Flow-level properties (label, collection, roles…) as [before, after]. */
  flow: Record<string, [unknown, unknown]>
}
