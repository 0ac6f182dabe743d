import type { I18nText, NotificationInput } from '@medaffairs/plugin-sdk'
import type { FlowTx, TaskRow } from './types.js'

const en = (t: I18nText | undefined) => t?.['en-US'] ?? t?.['zh-CN'] ?? ''
const zh = (t: I18nText | undefined) => t?.['zh-CN'] ?? ''

function base(tx: FlowTx, data: Record<string, unknown>): Pick<NotificationInput, 'source' | 'data'> {
  return {
    source: { collection: tx.instance.collection, id: tx.instance.recordId },
    data: { instanceId: tx.instance.id, flowKey: tx.def.key, ...data }
  }
}

/** The messages the engine sends; each task gets its own, with a deep link to it. */
export const notices = {
  assigned(tx: FlowTx, task: TaskRow, kind = 'flow.assigned'): NotificationInput {
    const node = tx.graph.node(task.nodeId)
    const escalated = kind === 'flow.escalated'
    return {
      userIds: [task.assigneeId],
      kind,
      link: `/flows/tasks/${task.id}`,
      ...base(tx, { taskId: task.id, nodeId: task.nodeId }),
      title: {
        'zh-CN': `${escalated ? '升级待办' : '待办'}：${zh(tx.def.label)}·${zh(node.label)}`,
        'en-US': `${escalated ? 'Escalated' : 'To do'}: ${en(tx.def.label)} · ${en(node.label)}`
      }
    }
  },
  reminder(tx: FlowTx, task: TaskRow): NotificationInput {
    const node = tx.graph.node(task.nodeId)
    return {
      userIds: [task.assigneeId],
      kind: 'flow.reminder',
      link: `/flows/tasks/${task.id}`,
      ...base(tx, { taskId: task.id }),
      title: {
        'zh-CN': `催办：${zh(tx.def.label)}·${zh(node.label)}`,
        'en-US': `Reminder: ${en(tx.def.label)} · ${en(node.label)}`
      }
    }
  },
  notify(tx: FlowTx, userIds: string[], title: I18nText): NotificationInput {
    return {
      userIds,
      kind: 'flow.notify',
      title,
      link: `/flows/instances/${tx.instance.id}`,
      ...base(tx, {})
    }
  },
  finished(tx: FlowTx): NotificationInput {
    const outcome = tx.instance.outcome ?? tx.instance.state
    return {
      userIds: [tx.instance.startedBy],
      kind: 'flow.finished',
      link: `/flows/instances/${tx.instance.id}`,
      ...base(tx, { outcome }),
      title: {
        'zh-CN': `流程结束：${zh(tx.def.label)}（${outcome}）`,
        'en-US': `Flow finished: ${en(tx.def.label)} (${outcome})`
      }
    }
  },
  comment(tx: FlowTx, userIds: string[], author: string | null): NotificationInput {
    return {
      userIds,
      kind: 'flow.comment',
      link: `/flows/instances/${tx.instance.id}`,
      ...base(tx, {}),
      title: {
        'zh-CN': `${author ?? ''} 在「${zh(tx.def.label)}」中发表了意见`,
        'en-US': `${author ?? ''} commented on ${en(tx.def.label)}`
      }
    }
  },
  digest(userId: string, count: number): NotificationInput {
    return {
      userIds: [userId],
      kind: 'flow.digest',
      link: '/flows/tasks?box=todo',
      data: { count },
      title: {
        'zh-CN': `您有 ${count} 项待办`,
        'en-US': `You have ${count} pending task${count === 1 ? '' : 's'}`
      }
    }
  }
}
