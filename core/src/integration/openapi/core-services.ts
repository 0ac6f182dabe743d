import { ACTIONS } from '@medaffairs/plugin-sdk'
import { ref } from './components.js'
import { describeService, list, obj, str, type OperationSpec } from './describe.js'
import type { Json, OpenApiContext, OpenApiContributor, OpenApiFragment } from './types.js'

const PAGE_OF = (items: Json) => obj({ total: { type: 'integer' }, limit: { type: 'integer' }, skip: { type: 'integer' }, data: list(items) })
const LOGIN = obj({ strategy: { const: 'local' }, username: str('工号 (employee number)'), password: str(), totp: str('动态验证码 (one-time code)') }, ['strategy', 'username', 'password'])
const KEY_LOGIN = obj({ strategy: { const: 'apikey' }, apiKey: str('ma_<prefix>_<secret>') }, ['strategy', 'apiKey'])
const ITEMS = list(obj({ collection: str(), id: str() }, ['collection', 'id']))

const GRANT = obj({
  collection: str('数据集名或 * (collection name, or * for every business collection)'),
  actions: list({ type: 'string', enum: [...ACTIONS] }),
  scope: { type: 'string', enum: ['all', 'custom'], description: 'API 密钥没有本人与科室范围 (keys have no own/department scope)' },
  filter: { type: 'object', description: 'custom 范围的筛选条件 (the filter of a custom scope)' },
  readFields: list(str()),
  writeFields: list(str())
}, ['collection', 'actions', 'scope'])

export const API_KEY_SCHEMAS: Record<string, Json> = {
  ApiKeyGrant: GRANT,
  ApiKeyScopes: obj({ grants: list(ref('ApiKeyGrant')), flows: list(str('可发起与办理的流程标识 (flow keys it may start and act on)')) }),
  ApiKey: obj({
    id: str(), name: str(), prefix: str('密钥前 8 位，用于辨认 (the first 8 characters, to recognize it)'), scopes: ref('ApiKeyScopes'),
    allowList: list(str('CIDR, IPv4/IPv6')), ratePerMinute: { type: ['integer', 'null'] }, expiresAt: { type: ['string', 'null'], format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' }, lastUsedIp: { type: ['string', 'null'] }, createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'] }, updatedAt: { type: 'string', format: 'date-time' }, revokedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedBy: { type: ['string', 'null'] }, status: { type: 'string', enum: ['active', 'expired', 'revoked'] }
  }, ['id', 'name', 'prefix', 'scopes', 'allowList', 'status']),
  ApiKeyInput: obj({ name: str(), scopes: ref('ApiKeyScopes'), allowList: list(str()), ratePerMinute: { type: ['integer', 'null'], minimum: 1 }, expiresAt: { type: ['string', 'null'], format: 'date-time' } }, ['name', 'scopes'])
}

const I18N_NAME = obj({ 'zh-CN': str(), 'en-US': str() }, ['zh-CN', 'en-US'])
const PERSON = obj({ id: str(), username: str('工号 (employee number)'), name: str(), deptId: { type: ['string', 'null'] }, deptName: { oneOf: [I18N_NAME, { type: 'null' }] } }, ['id', 'username', 'name', 'deptId', 'deptName'])

type Descriptor = [path: string, tag: string, zh: string, ops: OperationSpec[], schemas?: Record<string, Json>]

/** Small per-service descriptions; a service that is not registered is left out of the document. */
const DESCRIPTORS: Descriptor[] = [
  ['authentication', 'authentication', '登录与退出 (sign in and out)', [
    { method: 'post', path: 'authentication', operationId: 'signIn', summary: ['登录；API 密钥也可在 socket 上这样认证', 'sign in; a socket may also authenticate with an API key'], public: true, body: { oneOf: [LOGIN, KEY_LOGIN] }, response: obj({ accessToken: str(), authentication: { type: 'object' }, user: { type: 'object' }, apiKey: ref('ApiKey') }), errors: ['400', '401'] },
    { method: 'delete', path: 'authentication/{id}', operationId: 'signOut', summary: ['退出（id 为 accessToken）', 'sign out (id is the accessToken)'] }
  ]],
  ['account', 'account', '当前账户 (my account)', [{ method: 'get', path: 'account', operationId: 'getAccount', summary: ['我的账户与会话', 'my account and session'] }]],
  ['account/password', 'account', '', [{ method: 'post', path: 'account/password', operationId: 'changePassword', summary: ['修改密码', 'change my password'], body: obj({ currentPassword: str(), newPassword: str() }, ['currentPassword', 'newPassword']), errors: ['400'] }]],
  ['account/totp', 'account', '', [{ method: 'post', path: 'account/totp', operationId: 'setUpTotp', summary: ['绑定动态验证码', 'set up the second factor'], body: { type: 'object' }, errors: ['400'] }]],
  ['people', 'people', '同事通讯录：所有登录用户可查，只含基本信息 (colleagues: every signed-in user, essentials only)', [
    { method: 'get', path: 'people', operationId: 'findPeople', summary: ['按姓名、工号或拼音查找在职同事；ids 按 id 取名（含停用）', 'find active colleagues by name, employee number or pinyin; ids names users whatever their status'], query: [['q', str('姓名、工号、拼音或首字母 (name, number, pinyin or initials)')], ['ids', str('逗号分隔，最多 500 个 (comma-separated, at most 500)')], ['deptId', str('科室及其下级 (the department and below)')], ['$limit', { type: 'integer', minimum: 1, maximum: 50, default: 10 }], ['$skip', { type: 'integer', minimum: 0 }]], response: PAGE_OF(ref('Person')), errors: ['400'] }
  ], { Person: PERSON }],
  ['notifications', 'notifications', '站内通知 (notifications)', [
    { method: 'get', path: 'notifications', operationId: 'findNotifications', summary: ['我的通知', 'my notifications'], query: [['status', { type: 'string', enum: ['all', 'unread', 'read'] }], ['beforeId', str()], ['$limit', { type: 'integer' }]] },
    { method: 'get', path: 'notifications/{id}', operationId: 'getNotification', summary: ['读取通知', 'get a notification'], errors: ['404'] },
    { method: 'patch', path: 'notifications/{id}', operationId: 'markNotification', summary: ['标记已读/未读', 'mark read or unread'], body: obj({ read: { type: 'boolean' } }, ['read']), errors: ['400', '404'] }
  ]],
  ['notification-preferences', 'notifications', '', [
    { method: 'get', path: 'notification-preferences', operationId: 'getNotificationPreferences', summary: ['通知偏好', 'notification preferences'] },
    { method: 'post', path: 'notification-preferences', operationId: 'setNotificationPreferences', summary: ['保存通知偏好', 'save notification preferences'], body: obj({ prefs: { type: 'object' } }), errors: ['400'] }
  ]],
  ['recycle-bin', 'recycle-bin', '回收站 (recycle bin)', [
    { method: 'get', path: 'recycle-bin', operationId: 'findRemoved', summary: ['已删除的记录', 'removed records'], query: [['collection', str()], ['deletedBy', str()], ['from', { type: 'string', format: 'date-time' }], ['to', { type: 'string', format: 'date-time' }], ['$limit', { type: 'integer' }], ['$skip', { type: 'integer' }]], response: PAGE_OF({ type: 'object' }) },
    { method: 'post', path: 'recycle-bin', operationId: 'restoreOrPurge', summary: ['还原或彻底删除', 'restore or purge'], body: obj({ action: { type: 'string', enum: ['restore', 'purge'] }, items: ITEMS }, ['action', 'items']), errors: ['400', '404'] }
  ]],
  ['batch', 'batch', '批量操作 (batch operations)', [
    { method: 'post', path: 'batch', operationId: 'runBatch', summary: ['批量修改、删除或还原（逐条校验权限并审计）', 'batch patch, remove or restore (each row checked and audited)'], body: obj({ collection: str(), action: { type: 'string', enum: ['patch', 'remove', 'restore'] }, ids: list(str()), filter: { type: 'object' }, data: { type: 'object' } }, ['collection', 'action']), response: obj({ count: { type: 'integer' }, jobId: str() }), errors: ['400'] }
  ]],
  ['history', 'history', '记录的修改历史 (record history)', [
    { method: 'get', path: 'history', operationId: 'recordHistory', summary: ['一条记录的审计历史', 'the audit history of one record'], query: [['collection', str()], ['recordId', str()], ['beforeSeq', { type: 'integer' }], ['$limit', { type: 'integer' }]], errors: ['400', '404'] }
  ]],
  ['audit', 'audit', '审计日志 (audit trail)', [
    { method: 'get', path: 'audit', operationId: 'searchAudit', summary: ['审计日志（审计管理员）', 'the audit trail (audit administrator)'], query: [['actorId', str()], ['collection', str()], ['recordId', str()], ['action', str()], ['from', { type: 'string', format: 'date-time' }], ['to', { type: 'string', format: 'date-time' }], ['beforeSeq', { type: 'integer' }], ['$limit', { type: 'integer' }]], errors: ['400'] }
  ]],
  ['unmask', 'unmask', '查看脱敏前的值（留痕）(unmask, audited)', [
    { method: 'post', path: 'unmask', operationId: 'unmask', summary: ['查看原值', 'reveal masked values'], body: obj({ collection: str(), id: str(), fields: list(str()) }, ['collection', 'id']), errors: ['400', '404'] }
  ]],
  ['collections', 'metadata', '元数据 (metadata)', [{ method: 'get', path: 'collections', operationId: 'listCollections', summary: ['数据集定义与我的权限', 'collection definitions and my rights'], response: list({ type: 'object' }) }]],
  ['manifest', 'metadata', '', [{ method: 'get', path: 'manifest', operationId: 'getManifest', summary: ['模块清单与菜单', 'modules and menus'], public: true }]],
  ['plugins', 'metadata', '', [
    { method: 'get', path: 'plugins', operationId: 'listPlugins', summary: ['模块列表', 'modules'] },
    { method: 'get', path: 'plugins/{id}', operationId: 'getPlugin', summary: ['模块', 'a module'], errors: ['404'] },
    { method: 'patch', path: 'plugins/{id}', operationId: 'enablePlugin', summary: ['启用或停用模块（系统管理员）', 'enable or disable a module (system administrator)'], body: obj({ enabled: { type: 'boolean' } }, ['enabled']), errors: ['400', '404'] }
  ]],
  ['health', 'metadata', '', [{ method: 'get', path: 'health', operationId: 'health', summary: ['存活检查', 'liveness'], public: true }]],
  ['ready', 'metadata', '', [{ method: 'get', path: 'ready', operationId: 'ready', summary: ['就绪检查', 'readiness'], public: true }]],
  ['jobs', 'jobs', '后台任务 (background jobs)', [
    { method: 'get', path: 'jobs', operationId: 'listJobs', summary: ['我的后台任务', 'my jobs'] },
    { method: 'get', path: 'jobs/{id}', operationId: 'getJob', summary: ['任务进度', 'job progress'], errors: ['404'] },
    { method: 'delete', path: 'jobs/{id}', operationId: 'cancelJob', summary: ['取消任务', 'cancel a job'], errors: ['404'] }
  ]],
  ['files', 'files', '文件 (files)', [
    { method: 'get', path: 'files', operationId: 'listFiles', summary: ['文件列表', 'files'] },
    { method: 'get', path: 'files/{id}', operationId: 'getFile', summary: ['文件信息', 'file metadata'], errors: ['404'] },
    { method: 'patch', path: 'files/{id}', operationId: 'patchFile', summary: ['修改文件信息', 'change file metadata'], body: { type: 'object' }, errors: ['400', '404'] },
    { method: 'delete', path: 'files/{id}', operationId: 'removeFile', summary: ['删除文件', 'remove a file'], errors: ['404'] }
  ]],
  ['files/:fileId/url', 'files', '', [{ method: 'get', path: 'files/{fileId}/url', operationId: 'fileUrl', summary: ['限时下载地址', 'a signed, expiring download URL'], errors: ['404'] }]],
  ['api-keys', 'api-keys', 'API 密钥（安全管理员）(API keys, security administrator)', [
    { method: 'get', path: 'api-keys', operationId: 'findApiKeys', summary: ['密钥列表（只显示前缀）', 'keys (prefix only)'], query: [['status', { type: 'string', enum: ['active', 'expired', 'revoked'] }], ['$limit', { type: 'integer' }], ['$skip', { type: 'integer' }]], response: PAGE_OF(ref('ApiKey')) },
    { method: 'get', path: 'api-keys/{id}', operationId: 'getApiKey', summary: ['密钥（不含密钥本身）', 'a key (never the secret)'], response: ref('ApiKey'), errors: ['404'] },
    { method: 'post', path: 'api-keys', operationId: 'createApiKey', summary: ['签发密钥；完整密钥只在此返回一次', 'issue a key; the whole key is returned this once'], body: ref('ApiKeyInput'), response: { allOf: [ref('ApiKey'), obj({ key: str('ma_<prefix>_<secret>') }, ['key'])] }, errors: ['400'] },
    { method: 'patch', path: 'api-keys/{id}', operationId: 'patchApiKey', summary: ['修改名称、范围、地址、限流、有效期', 'change name, scopes, addresses, rate, expiry'], body: ref('ApiKeyInput'), response: ref('ApiKey'), errors: ['400', '404'] },
    { method: 'delete', path: 'api-keys/{id}', operationId: 'revokeApiKey', summary: ['吊销密钥', 'revoke a key'], response: ref('ApiKey'), errors: ['404'] }
  ], API_KEY_SCHEMAS]
]

/** The core's own services, those registered in this workspace. */
export const coreServicesContributor: OpenApiContributor = {
  id: 'core',
  describe(ctx: OpenApiContext): OpenApiFragment {
    const out: Required<OpenApiFragment> = { paths: {}, schemas: {}, tags: [] }
    for (const [path, tag, zh, ops, schemas] of DESCRIPTORS) {
      if (!ctx.has(path)) continue
      const f = describeService(tag, zh, ops, schemas)
      for (const [p, item] of Object.entries(f.paths ?? {})) out.paths[p] = { ...out.paths[p], ...item }
      Object.assign(out.schemas, f.schemas)
      if (zh && !out.tags.some((t) => t.name === tag)) out.tags.push(...(f.tags ?? []))
    }
    return out
  }
}
