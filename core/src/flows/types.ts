import type {
  Actor,
  FlowDefinition,
  FlowInstance,
  FlowTask,
  InstanceState,
  NotificationInput,
  TaskState
} from '@medaffairs/plugin-sdk'
import type { AuditInput } from '../audit/audit-log.js'
import type { FlowGraph } from './graph.js'

export type Doc = Record<string, any>

/** What a task asks of its assignee: the node kind it was made for, or a copy (`cc`) from a notify node. */
export type TaskKind = 'start' | 'approve' | 'score' | 'fill' | 'cc'
export type StepState = 'active' | 'waiting' | 'done' | 'cancelled'
/** How a step ended: positive (approved, passed), negative (rejected, failed) or interrupted. */
export type StepDecision =
  'approved' | 'rejected' | 'passed' | 'failed' | 'returned' | 'withdrawn' | 'cancelled'

export interface InstanceRow extends FlowInstance {
  /** The applicant's department (the record's, else the starter's): department rules start here. */
  deptId: string | null
}

export interface ScoreResult {
  count: number
  totals: number[]
  aggregate: number | null
  passed: boolean
  votes?: { pass: number; fail: number }
}

export interface StepData {
  /** Users the previous approver chose for a `chosen` step (kept for returns). */
  chosen?: string[]
  /** join: the nodes whose branches have arrived. */
  arrived?: string[]
  /** join: the last task step on the way of the latest branch to arrive (where a return after the join goes back to). */
  lastPrev?: string | null
  /** score: the closed round's result. */
  result?: ScoreResult
  /** The step's escalation has happened (it happens once). */
  escalated?: boolean
}

export interface StepRow {
  id: string
  instanceId: string
  nodeId: string
  round: number
  state: StepState
  decision: StepDecision | null
  prevStepId: string | null
  data: StepData
  dueAt: string | null
  escalateAt: string | null
  repeatAt: string | null
  createdAt: string
  endedAt: string | null
}

export interface TaskRow extends FlowTask {
  stepId: string
  kind: TaskKind
  vote: 'pass' | 'fail' | null
  data: Doc | null
  remindAt: string | null
  addedBy: string | null
  state: TaskState
}

/** The body of `POST /api/flow-actions`. */
export interface ActInput {
  taskId?: string
  instanceId?: string
  action: string
  comment?: string
  attachments?: string[]
  scores?: Record<string, number>
  /** score: remarks per criterion (hidden like the scores until the round closes). */
  remarks?: Record<string, string>
  /** score with `pass: votes`: the expert's vote. */
  vote?: 'pass' | 'fail'
  /** submit: the form data saved to the fill step's collection. */
  data?: Doc
  /** submit on a repeating fill step: the last report, the flow leaves the step. */
  final?: boolean
  /** transfer: one user; add_signer: one or more. */
  to?: string | string[]
  nextAssignees?: string[]
  returnTo?: string
}

/** Who acts: a user, or the system (timers). */
export interface ActorRef {
  id: string | null
  name: string | null
  actor?: Actor
}

/** Work done after the transaction commits: nothing is announced for a rolled-back action. */
export interface Effects {
  notifications: NotificationInput[]
  jobs: Array<{ name: string; data: unknown; startAfter?: Date }>
}

/** Everything one transaction on one instance carries. */
export interface FlowTx {
  instance: InstanceRow
  def: FlowDefinition
  graph: FlowGraph
  by: ActorRef
  now: Date
  /** The record, read on first need (conditions, `field` rules): most actions never need it. */
  record: () => Promise<Doc>
  audits: AuditInput[]
  effects: Effects
  /** Set by the action: users the approver chose for a `chosen` next step. */
  nextAssignees?: string[]
  /** The record state written at the start of the transaction, to write only on change. */
  recordState: string | null
  /** Guards against a definition whose condition nodes loop without a task. */
  hops: number
}

export type { InstanceState }
