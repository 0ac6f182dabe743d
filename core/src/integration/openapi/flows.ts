import { describeService, list, obj, str, type OperationSpec } from './describe.js'
import type { Json, OpenApiContext, OpenApiContributor, OpenApiFragment } from './types.js'

const ACTS = [
  'submit',
  'approve',
  'reject',
  'return',
  'transfer',
  'add_signer',
  'comment',
  'withdraw',
  'score'
]
const ANY = { type: 'object' }

const flowLabel = (body: Json | undefined, key: string) => {
  const label = body?.label as { 'zh-CN'?: string; 'en-US'?: string } | undefined
  return label?.['zh-CN'] ? `${label['zh-CN']}${label['en-US'] ? ` / ${label['en-US']}` : ''}` : key
}

/** The flow engine's services, described where they are registered. */
function operations(keys: string[]): Array<[path: string, ops: OperationSpec[]]> {
  const flowKey = {
    type: 'string',
    ...(keys.length ? { enum: keys } : {}),
    description: '已发布流程的标识 (a published flow key)'
  }
  return [
    [
      'flows',
      [
        {
          method: 'get',
          path: 'flows',
          operationId: 'listFlows',
          summary: ['我可发起的流程', 'flows I may start'],
          response: list(obj({ key: str(), label: ANY, collection: str(), version: { type: 'integer' } }))
        },
        {
          method: 'get',
          path: 'flows/{id}',
          operationId: 'getFlow',
          summary: ['流程定义（id 为流程标识）', 'a flow definition (id is the flow key)'],
          errors: ['404']
        }
      ]
    ],
    [
      'flows/start',
      [
        {
          method: 'post',
          path: 'flows/start',
          operationId: 'startFlow',
          summary: ['对一条记录发起流程', 'start a flow on a record'],
          body: obj({ flowKey, collection: str(), recordId: str() }, ['flowKey', 'collection', 'recordId']),
          errors: ['400', '404']
        }
      ]
    ],
    [
      'flow-instances',
      [
        {
          method: 'get',
          path: 'flow-instances',
          operationId: 'findFlowInstances',
          summary: ['我的流程，或一条记录的流程', 'my flows, or the flows of a record'],
          query: [
            ['collection', str()],
            ['recordId', str()]
          ]
        },
        {
          method: 'get',
          path: 'flow-instances/{id}',
          operationId: 'flowStatus',
          summary: ['流程状态：步骤、待办、意见', 'flow status: steps, tasks, comments'],
          errors: ['404']
        }
      ]
    ],
    [
      'flow-tasks',
      [
        {
          method: 'get',
          path: 'flow-tasks',
          operationId: 'findFlowTasks',
          summary: ['待办与已办', 'my to-do and done tasks'],
          query: [
            ['box', str('todo | done')],
            ['$limit', { type: 'integer' }]
          ]
        },
        {
          method: 'get',
          path: 'flow-tasks/{id}',
          operationId: 'getFlowTask',
          summary: ['待办', 'a task'],
          errors: ['404']
        }
      ]
    ],
    [
      'flow-actions',
      [
        {
          method: 'post',
          path: 'flow-actions',
          operationId: 'actOnFlow',
          summary: ['办理：同意、驳回、退回、转办、评分等', 'act: approve, reject, return, transfer, score…'],
          body: obj(
            {
              action: { type: 'string', enum: ACTS },
              taskId: str(),
              instanceId: str(),
              comment: str(),
              scores: ANY,
              data: ANY
            },
            ['action']
          ),
          errors: ['400', '404', '409']
        }
      ]
    ],
    [
      'flow-comments',
      [
        {
          method: 'get',
          path: 'flow-comments',
          operationId: 'findFlowComments',
          summary: ['流程意见', 'comments'],
          query: [['instanceId', str()]]
        },
        {
          method: 'post',
          path: 'flow-comments',
          operationId: 'addFlowComment',
          summary: ['发表意见', 'add a comment'],
          body: obj({ instanceId: str(), text: str(), attachments: list(str()) }, ['instanceId', 'text']),
          errors: ['400', '404']
        }
      ]
    ]
  ]
}

/**
 * Published flows over REST: start, status, act. A generic description of the flow
 * engine's services; the engine may replace it by registering its own contributor with
 * the id `flows` (registerOpenApiPaths), e.g. with each flow's own form.
 */
export const flowsContributor: OpenApiContributor = {
  id: 'flows',
  describe(ctx: OpenApiContext): OpenApiFragment {
    const ops = operations(ctx.flows.map((f) => f.key))
      .filter(([path]) => ctx.has(path))
      .flatMap(([, o]) => o)
    if (!ops.length) return {}
    const listed = ctx.flows
      .map((f) => `- \`${f.key}\`：${flowLabel(f.body, f.key)}（v${f.version}）`)
      .join('\n')
    return describeService(
      'flows',
      `流程：发起、查看状态、办理 (flows: start, status, act)。API 密钥只能发起与办理其 scopes.flows 列出的流程 (a key may only start and act on the flows in its scopes.flows).\n\n${listed}`,
      ops
    )
  }
}
