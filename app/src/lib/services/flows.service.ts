import { api } from './records.service'
import type { Box, InboxPage, InstanceSummary, InstanceView, StartableFlow } from '$lib/flows/types'

/**
 * The flow engine's API for the pages: the inbox boxes (keyset pages), an instance in one
 * call, the actions, starting a flow on a record, and the live `flow-tasks changed` event.
 * Failures are thrown as Feathers errors; the pages decide how to show them.
 */

export function listInbox(box: Box, limit: number, after?: string | null): Promise<InboxPage> {
  const query: Record<string, unknown> = { box, $limit: limit }
  if (after) query.after = after
  return api<unknown>('flow-tasks').find({ query }) as unknown as Promise<InboxPage>
}

export function getInstance(id: string): Promise<InstanceView> {
  return api<InstanceView>('flow-instances').get(id)
}

/** The task's instance id (notifications link to a task). */
export async function instanceOfTask(taskId: string): Promise<string> {
  return (await api<{ instanceId: string }>('flow-tasks').get(taskId)).instanceId
}

/** The flows of a record, newest first, as far as the caller may see them. */
export async function flowsOfRecord(collection: string, recordId: string): Promise<InstanceSummary[]> {
  const page = (await api<unknown>('flow-instances').find({
    query: { collection, recordId }
  })) as unknown as { data: InstanceSummary[] }
  return page.data
}

/** Published flows the caller may start. */
export async function startableFlows(): Promise<StartableFlow[]> {
  const res = (await api<StartableFlow>('flows').find()) as unknown as
    StartableFlow[] | { data: StartableFlow[] }
  return Array.isArray(res) ? res : res.data
}

export function startFlow(flowKey: string, collection: string, recordId: string): Promise<InstanceSummary> {
  return api<unknown>('flows/start').create({
    flowKey,
    collection,
    recordId
  } as never) as Promise<InstanceSummary>
}

/** The body of `POST /api/flow-actions`. */
export interface ActBody {
  taskId?: string
  instanceId?: string
  action:
    'approve' | 'reject' | 'return' | 'transfer' | 'add_signer' | 'withdraw' | 'comment' | 'score' | 'submit'
  comment?: string
  text?: string
  attachments?: string[]
  scores?: Record<string, number>
  remarks?: Record<string, string>
  vote?: 'pass' | 'fail'
  to?: string | string[]
  returnTo?: string
  nextAssignees?: string[]
  /** submit: the filled form. */
  data?: Record<string, unknown>
  /** submit on a repeating fill step: the last report, the flow goes on. */
  final?: boolean
}

export function act(body: ActBody): Promise<unknown> {
  return api<unknown>('flow-actions').create(body as never)
}

/** A comment in the review conversation (with attachments the caller uploaded). */
export function postComment(instanceId: string, text: string, attachments: string[]): Promise<unknown> {
  return api<unknown>('flow-comments').create({ instanceId, text, attachments } as never)
}

/** Live: an instance the user takes part in changed (a task arrived or was taken, the flow moved). */
export function onFlowChanged(listener: (e: { instanceId: string }) => void): () => void {
  // `changed` is the flow-tasks service's own event; the client forwards any event name.
  return api<{ instanceId: string }>('flow-tasks').on('changed' as 'created', listener)
}

/** Whether an error is the engine's "someone else already handled it" (409). */
export const isTaken = (error: unknown): boolean => (error as { code?: number })?.code === 409
