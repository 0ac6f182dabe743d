import { Unprocessable } from '@feathersjs/errors'
import {
  FLOW_EDGE_DECISIONS,
  FLOW_NODE_TYPES,
  validateFlow,
  type FlowDefinition,
  type FlowProblem
} from '@medaffairs/plugin-sdk'

// The check itself lives in the SDK so that the designer runs the very same code in the browser.
export { validateFlow, ruleComplete, type FlowProblem } from '@medaffairs/plugin-sdk'

type Doc = Record<string, any>
export interface FlowFieldError {
  field: string
  reason: string
  code?: FlowProblem['code']
  nodeId?: string
}

const NODE_TYPES: ReadonlySet<unknown> = new Set(FLOW_NODE_TYPES)
const EDGE_ON: ReadonlySet<unknown> = new Set(FLOW_EDGE_DECISIONS)
const NODE_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const isText = (v: unknown) => isObject(v) && Object.values(v).every((s) => typeof s === 'string')

/** Where in the body each problem of `validateFlow` is fixed. */
const PROBLEM_FIELD: Partial<Record<FlowProblem['code'], string>> = {
  'no-assignee': 'assignee',
  'bad-assignee': 'assignee',
  'vote-without-threshold': 'threshold',
  'score-without-sheet': 'scoring',
  'bad-criterion': 'scoring.criteria',
  'fill-without-form': 'form',
  'notify-without-target': 'notify.to',
  'escalate-without-target': 'timers.escalateTo'
}

/** The body's shape: what `validateFlow` takes for granted (arrays, ids, known node types, edge ends). */
export function flowShapeErrors(body: unknown): FlowFieldError[] {
  const errs: FlowFieldError[] = []
  const add = (field: string, reason: string) => errs.push({ field, reason })
  if (!isObject(body))
    return [{ field: 'body', reason: '流程定义应为对象 (the flow definition must be an object)' }]
  if (typeof body.collection !== 'string' || !body.collection)
    add('collection', '必填：流程所用的数据表 (required: the collection the flow runs on)')
  if (!isText(body.label)) add('label', '必填：名称 (required: a label in each language)')
  if (!Array.isArray(body.nodes)) add('nodes', '应为节点列表 (must be a list of nodes)')
  if (!Array.isArray(body.edges)) add('edges', '应为连线列表 (must be a list of edges)')
  if (errs.length) return errs
  ;(body.nodes as unknown[]).forEach((n, i) => {
    if (!isObject(n)) return add(`nodes.${i}`, '应为对象 (must be an object)')
    if (typeof n.id !== 'string' || !NODE_ID.test(n.id))
      add(
        `nodes.${i}.id`,
        '编号应以字母开头，仅含字母、数字、_ 和 - (letters, digits, _ and -, starting with a letter)'
      )
    if (!NODE_TYPES.has(n.type))
      add(`nodes.${i}.type`, `未知的节点类型 ${String(n.type)} (unknown node type)`)
    if (n.label !== undefined && !isText(n.label))
      add(`nodes.${i}.label`, '名称应为各语言的文字 (a text per language)')
    for (const k of ['assignee', 'scoring', 'timers', 'notify', 'position'] as const)
      if (n[k] !== undefined && !isObject(n[k])) add(`nodes.${i}.${k}`, '应为对象 (must be an object)')
  })
  ;(body.edges as unknown[]).forEach((e, i) => {
    if (!isObject(e)) return add(`edges.${i}`, '应为对象 (must be an object)')
    for (const end of ['from', 'to'] as const)
      if (typeof e[end] !== 'string' || !e[end])
        add(`edges.${i}.${end}`, '必填：节点编号 (required: a node id)')
    if (e.on !== undefined && !EDGE_ON.has(e.on))
      add(`edges.${i}.on`, '应为 approved、rejected、passed 或 failed (unknown decision)')
    if (e.when !== undefined && !isObject(e.when))
      add(`edges.${i}.when`, '应为条件对象 (must be a condition)')
  })
  return errs
}

/** Each problem of a well-shaped flow, at the field that fixes it (`nodes.3.assignee`). */
export function flowProblemErrors(def: FlowDefinition): FlowFieldError[] {
  const index = new Map(def.nodes.map((n, i) => [n.id, i]))
  return validateFlow(def).map((p) => {
    const at = p.nodeId !== undefined ? index.get(p.nodeId) : undefined
    const base = at === undefined ? (p.code === 'unknown-node' ? 'edges' : 'nodes') : `nodes.${at}`
    const sub = at === undefined ? undefined : PROBLEM_FIELD[p.code]
    return {
      field: sub ? `${base}.${sub}` : base,
      reason: p.message,
      code: p.code,
      ...(p.nodeId ? { nodeId: p.nodeId } : {})
    }
  })
}

/**
 * The definitions layer's check of a flow body: a draft must be well shaped (work in
 * progress may still have problems the designer shows); a published flow must be valid.
 * Throws 422 with every failing field.
 */
export function checkFlowBody(
  body: unknown,
  stage: 'draft' | 'publish',
  collectionExists?: (name: string) => boolean
): FlowDefinition {
  const errors = flowShapeErrors(body)
  const def = body as FlowDefinition
  if (!errors.length && collectionExists && !collectionExists(def.collection))
    errors.push({
      field: 'collection',
      reason: `没有名为 ${def.collection} 的数据表 (no collection named ${def.collection})`
    })
  if (!errors.length && stage === 'publish') errors.push(...flowProblemErrors(def))
  if (errors.length)
    throw new Unprocessable(
      stage === 'publish'
        ? '流程有错误，不能发布 (the flow has errors and cannot be published)'
        : '流程定义格式不正确 (the flow definition is malformed)',
      { errors }
    )
  return def
}
