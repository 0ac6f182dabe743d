import type { FlowNodeType, ScoreSheet } from '@medaffairs/plugin-sdk'
import type { I18nText } from '$lib/i18n/i18n.svelte'

/** The flow engine's answers as the pages use them (see core/src/flows/view.ts and inbox.ts). */
export type Box = 'todo' | 'done' | 'started' | 'cc'

export interface InstanceSummary {
  id: string
  flowKey: string
  version: number
  collection: string
  recordId: string
  state: 'running' | 'completed' | 'rejected' | 'withdrawn' | 'cancelled'
  outcome: string | null
  active: string[]
  activeLabels: Array<I18nText | null>
  flowLabel: I18nText
  startedBy: string
  startedAt: string
  endedAt: string | null
  /** In the inbox: the record's title, when the viewer may read it. */
  recordTitle?: string
  /** On a record's list: whom the flow waits for. */
  assignees?: Array<{ id: string; name: string }>
}

export interface TaskView {
  id: string
  instanceId: string
  stepId: string
  nodeId: string
  assigneeId: string
  kind: 'start' | 'approve' | 'score' | 'fill' | 'cc'
  state: 'pending' | 'done' | 'cancelled'
  decision: string | null
  comment: string | null
  scores?: Record<string, number> | null
  vote?: 'pass' | 'fail' | null
  data?: { attachments?: string[]; to?: string; remarks?: Record<string, string> } | null
  addedBy?: string | null
  roundOpen?: boolean
  dueAt: string | null
  createdAt: string
  doneAt: string | null
}

/** One row of an inbox box: a task with its flow and instance, or (box `started`) an instance. */
export interface InboxTask extends TaskView {
  nodeLabel: I18nText | null
  nodeType: FlowNodeType | null
  flow: { key: string; version: number; label: I18nText }
  instance: {
    id: string
    collection: string
    recordId: string
    state: string
    startedBy: string
    startedByName: string | null
    startedAt: string
    recordTitle?: string
  }
}

export interface InboxPage {
  box: Box
  data: Array<InboxTask | InstanceSummary>
  next: string | null
  total?: number
}

export interface ScoreResult {
  count: number
  totals: number[]
  aggregate: number | null
  passed: boolean
  votes?: { pass: number; fail: number }
}

export interface TimelineStep {
  id: string
  nodeId: string
  label: I18nText | null
  type: FlowNodeType | null
  round: number
  state: 'active' | 'waiting' | 'done' | 'cancelled'
  decision: string | null
  result: ScoreResult | null
  dueAt: string | null
  createdAt: string
  endedAt: string | null
  tasks: TaskView[]
}

export interface MyTask {
  id: string
  nodeId: string
  kind: TaskView['kind']
  nodeLabel: I18nText | null
  nodeType: FlowNodeType | null
  mode: string | null
  scoring: ScoreSheet | null
  /** fill: the collection the form writes to. */
  form: string | null
  /** fill: a repeating report (every N months) — the assignee says when it is the final one. */
  everyMonths?: number | null
  chooseNext: boolean
  dueAt: string | null
  returnTargets: Array<{ nodeId: string; label: I18nText }>
}

export interface FlowComment {
  id: string
  taskId: string | null
  nodeId: string | null
  authorId: string
  text: string
  attachments: string[]
  createdAt: string
}

export interface FileInfo {
  id: string
  sha256: string
  name: string
  size: number
  mime: string
  hasThumbnail?: boolean
}

export interface InstanceView extends InstanceSummary {
  timeline: TimelineStep[]
  tasks: TaskView[]
  comments: FlowComment[]
  record: Record<string, unknown> | null
  people: Record<string, string>
  files: Record<string, FileInfo>
  sheets: Record<string, ScoreSheet>
  myTasks: string[]
  mine: MyTask[]
  canWithdraw: boolean
}

export interface StartableFlow {
  key: string
  label: I18nText
  collection: string
  version: number
}
