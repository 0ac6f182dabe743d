import type { Json } from './types.js'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/** Error bodies are Feathers errors; 400s list every bad field. */
export const ERROR_SCHEMAS: Record<string, Json> = {
  FieldError: {
    type: 'object',
    required: ['reason'],
    properties: {
      field: { type: 'string', description: '字段 (field)' },
      reason: { type: 'string', description: '原因 (reason)' }
    }
  },
  Error: {
    type: 'object',
    required: ['name', 'message', 'code'],
    properties: {
      name: { type: 'string', examples: ['BadRequest'] },
      message: { type: 'string', description: '中文说明 (English explanation)' },
      code: { type: 'integer' },
      className: { type: 'string' },
      data: {
        type: 'object',
        description: '细节，如 reason、retryAfter (details such as reason, retryAfter)'
      },
      errors: { type: 'array', items: ref('FieldError') }
    }
  }
}

const response = (zh: string, en: string, headers?: Json): Json => ({
  description: `${zh} (${en})`,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ref('Error') } }
})

const RETRY_AFTER = { 'Retry-After': { description: '秒 (seconds)', schema: { type: 'integer' } } }

export const ERROR_RESPONSES: Record<string, Json> = {
  BadRequest: response(
    '请求无效，errors 逐项列出字段与原因',
    'invalid request; errors lists each field and reason'
  ),
  Unauthorized: response(
    '未登录、令牌失效或 API 密钥无效',
    'not signed in, session ended or invalid API key'
  ),
  Forbidden: response(
    '无权执行；API 密钥被吊销、过期或来源地址不被允许时 data.reason 说明原因',
    'not allowed; for a revoked or expired key or a refused address data.reason says which'
  ),
  NotFound: response('记录不存在或不在权限范围内', 'no such record, or outside your data scope'),
  Conflict: response('唯一值冲突或版本冲突', 'unique value or revision conflict'),
  TooManyRequests: response('调用过于频繁（按密钥限流）', 'rate limit reached (per key)'),
  Unavailable: response('服务器繁忙，请稍后重试', 'server busy, retry later', RETRY_AFTER)
}

const CODE_OF: Record<string, string> = {
  '400': 'BadRequest',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '404': 'NotFound',
  '409': 'Conflict',
  '429': 'TooManyRequests',
  '503': 'Unavailable'
}

/** The error responses of an operation, by status code. */
export function errorResponses(codes: string[]): Json {
  return Object.fromEntries(codes.map((c) => [c, { $ref: `#/components/responses/${CODE_OF[c]}` }]))
}

/** Signed-in operations answer these besides their own. */
export const AUTHED_ERRORS = ['401', '403', '429', '503']

export const SECURITY_SCHEMES: Record<string, Json> = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: '登录 (POST /api/authentication) 得到的 accessToken (the accessToken from signing in)'
  },
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description:
      '安全管理员签发的 API 密钥 ma_<prefix>_<secret> (an API key issued by the security administrator)'
  }
}

/** Either way of signing in. */
export const SIGNED_IN: Json[] = [{ bearerAuth: [] }, { apiKey: [] }]

/** A page of records as every list answers it. */
export function pageSchema(item: string): Json {
  return {
    type: 'object',
    required: ['total', 'limit', 'skip', 'data'],
    properties: {
      total: { type: 'integer', description: '总数（按 count 方式计算）(total, as counted by `count`)' },
      limit: { type: 'integer' },
      skip: { type: 'integer' },
      data: { type: 'array', items: ref(item) },
      next: {
        type: ['string', 'null'],
        description: '下一页游标，传给 $after；最后一页为 null (cursor for $after; null on the last page)'
      },
      count: { type: 'string', enum: ['exact', 'capped', 'estimated', 'none'] },
      totalCapped: { type: 'boolean', description: '总数已封顶 (the total hit the cap)' }
    }
  }
}

export { ref }
