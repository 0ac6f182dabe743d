import { definePlugin, type MenuItem, type PluginDefinition } from '@medaffairs/plugin-sdk'

/**
 * The menu entries of the core's own pages. Each is shown only to the users who may use the
 * page (see visibleMenu in plugins-service.ts); the services behind them check again.
 */
export const WORKSPACE_MENU: MenuItem[] = [
  // Every collection the user may read, one link each.
  {
    path: '/records',
    anyCollection: true,
    action: 'read',
    icon: 'list',
    label: { 'zh-CN': '数据表', 'en-US': 'Records' },
    order: 5
  },
  // Background work the user started (exports, imports): everyone signed in has some.
  { path: '/jobs', icon: 'clock', label: { 'zh-CN': '我的任务', 'en-US': 'My jobs' }, order: 90 },
  {
    path: '/notifications',
    icon: 'bell',
    label: { 'zh-CN': '通知中心', 'en-US': 'Notifications' },
    order: 91
  },
  // The bin lists what the user may restore, in any collection.
  {
    path: '/admin/recycle-bin',
    anyCollection: true,
    action: 'restore',
    icon: 'trash',
    group: 'settings',
    label: { 'zh-CN': '回收站', 'en-US': 'Recycle bin' },
    order: 60
  },
  // The trail is no registered collection: its kind keeps business-wide grants ('*') out.
  // Full backups: the backups service admits the system administrators' tier only, so does the menu.
  {
    path: '/admin/backups',
    tier: 'system',
    icon: 'database',
    group: 'settings',
    label: { 'zh-CN': '备份', 'en-US': 'Backups' },
    order: 80
  },
  {
    path: '/admin/audit',
    collection: 'audit',
    kind: 'audit',
    action: 'read',
    icon: 'history',
    group: 'settings',
    label: { 'zh-CN': '审计日志', 'en-US': 'Audit trail' },
    order: 70
  }
]

/** The core's pages as a built-in module: menus only (the services are registered by the core). */
export function workspaceModule(): PluginDefinition {
  return definePlugin({
    name: 'workspace',
    version: '0.1.0',
    essential: true,
    label: { 'zh-CN': '工作台', 'en-US': 'Workspace' },
    description: {
      'zh-CN': '数据表、任务、通知、回收站、备份与审计日志页面',
      'en-US': 'Records, jobs, notifications, recycle bin, backups and audit pages'
    },
    menu: WORKSPACE_MENU
  })
}
