import { definePlugin, type PluginDefinition } from '@medaffairs/plugin-sdk'

/**
 * The flow engine as a core module in the manifest: its menu entry (the inbox, for every
 * signed-in user) reaches the navigation the way plugins' menus do. The engine itself is
 * wired by setupFlows after the plugins are loaded.
 */
export function flowsModule(): PluginDefinition {
  return definePlugin({
    name: 'flows',
    version: '0.1.0',
    essential: true,
    label: { 'zh-CN': '流程审批', 'en-US': 'Approvals' },
    description: {
      'zh-CN': '待办、已办、我发起的、抄送我的；审批、评审与专家评分',
      'en-US': 'Inbox: to do, done, started by me, copied to me; approvals, reviews and expert scoring'
    },
    menu: [{ path: '/flows', label: { 'zh-CN': '待办审批', 'en-US': 'My tasks' }, icon: 'inbox', order: 0 }]
  })
}
