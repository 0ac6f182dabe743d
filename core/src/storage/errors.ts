import { BadRequest, Conflict, FeathersError, GeneralError, Unavailable } from '@feathersjs/errors'

/** The driver error behind a mapped Feathers error, for logs; never sent to clients. */
export const ORIGINAL_ERROR = Symbol.for('medaffairs.storage.originalError')

/** What each reason of a refused query or value is, for the Chinese half of its message. */
const REASON_ZH: Record<string, string> = {
  'field-name': '字段名不正确',
  'field-depth': '字段层级过深',
  'count-mode': '计数方式不正确',
  cursor: '翻页游标无效',
  'expected-list': '应为值的列表',
  'expected-object': '应为对象',
  'expected-integer': '应为非负整数',
  'expected-string': '应为文字',
  'expected-scalar': '应为数字、文字、日期或布尔值',
  'list-too-long': '列表中的值过多',
  'mixed-condition': '条件中混用了运算符和字段名',
  'null-comparison': '不能与空值比较大小',
  'not-text': '只能用于文字字段',
  'unknown-operator': '未知的运算符或参数',
  'too-many-conditions': '查询条件过多',
  'too-deep': '嵌套过深',
  'too-long': '文字过长',
  sort: '排序参数不正确',
  'sort-array': '列表字段不能排序',
  'sort-direction': '排序方向应为 1 或 -1',
  'sort-too-long': '排序字段过多',
  select: '字段选择参数不正确',
  id: '编号不正确'
}
const HAS_CHINESE = /[\u4e00-\u9fff]/

/**
 * A 400 that names the field and why, in both languages as core writes them (`中文 (English)`):
 * messages written in English only get the Chinese of their reason in front.
 */
export function badRequest(message: string, field: string | undefined, reason: string): BadRequest {
  const zh = REASON_ZH[reason] ?? (reason.startsWith('expected-') ? '值的类型不正确' : '请求参数不正确')
  const text = HAS_CHINESE.test(message) ? message : `${zh} (${message})`
  return new BadRequest(text, { field, reason, errors: [{ field, reason, message: text }] })
}

/** A 400 of adapter-commons (its own query checks), in both languages like ours. */
export function inBothLanguages(error: unknown): unknown {
  if (!(error instanceof BadRequest) || HAS_CHINESE.test(error.message)) return error
  return new BadRequest(`查询参数不正确 (${error.message})`, { ...error.data, errors: error.errors })
}

export interface ErrorContext {
  /** Maps a unique index name to the fields it covers. */
  uniqueFields?(indexName: string): string[] | undefined
}

interface DriverError {
  code?: string
  constraint?: string
  message?: string
}

function keep<T extends FeathersError>(error: T, original: unknown): T {
  // Non-enumerable so that serialization (REST, socket) never carries SQL or values.
  Object.defineProperty(error, ORIGINAL_ERROR, { value: original, enumerable: false })
  return error
}

function uniqueViolation(e: DriverError, ctx: ErrorContext): Conflict {
  const fields = (e.constraint && ctx.uniqueFields?.(e.constraint)) || []
  const zh = fields.length ? fields.join('、') : '唯一字段'
  const en = fields.length ? fields.join(', ') : 'a unique field'
  return new Conflict(`已有其他记录使用了相同的${zh} (Another record already has the same value for ${en})`, {
    fields,
    reason: 'unique',
    errors: fields.map((field) => ({ field, reason: 'unique' }))
  })
}

/** Class 22 (data exception): a value that does not fit the type it is compared or stored as. */
function dataException(code: string): BadRequest {
  if (code === '22025' || code === '2201B')
    return badRequest('搜索模式不正确 (The search pattern is not valid)', undefined, 'pattern')
  if (code === '22P05' || code === '22021') {
    return badRequest(
      '文字中含有无法保存的字符 (A text value contains a character that cannot be stored)',
      undefined,
      'encoding'
    )
  }
  if (code === '22001' || code === '22003')
    return badRequest('数值超出字段允许的范围 (A value is too large for its field)', undefined, 'range')
  return badRequest('数值与字段的类型不符 (A value does not match the type of its field)', undefined, 'type')
}

function byCode(e: DriverError, ctx: ErrorContext): FeathersError {
  const code = e.code ?? ''
  if (code === '23505') return uniqueViolation(e, ctx)
  if (code.startsWith('23'))
    return badRequest(
      '数据不符合该数据表的规则 (The data breaks a rule of the collection)',
      undefined,
      'constraint'
    )
  if (code.startsWith('22')) return dataException(code)
  if (code === '54000' || code === '54001')
    return badRequest('查询或数据过大 (The query or data is too large)', undefined, 'size')
  if (code === '40001' || code === '40P01') {
    return new Conflict(
      '该记录同时被他人修改，请重试 (The record was changed at the same time by someone else, try again)',
      {
        reason: 'concurrent'
      }
    )
  }
  if (code === '57014')
    return new Unavailable('查询耗时过长，已被中止 (The query took too long and was stopped)', {
      reason: 'timeout'
    })
  // 53: out of resources, 08: connection, 57P0x: shutting down, E*: the socket (ECONNREFUSED...).
  if (code.startsWith('53') || code.startsWith('08') || /^57P0\d$|^E[A-Z]+$/.test(code)) {
    return new Unavailable('数据库暂时不可用 (The database is not available at the moment)', {
      reason: 'unavailable'
    })
  }
  return new GeneralError('存储未能完成请求 (The storage failed to complete the request)', {
    reason: 'storage'
  })
}

/**
 * Turns any error from a query into a Feathers error. Feathers errors pass through (ours,
 * thrown inside a transaction); driver errors get a message of our own, because the driver's
 * message can contain SQL, identifiers or values of other rows.
 */
export function mapDbError(error: unknown, ctx: ErrorContext = {}): FeathersError {
  if (error instanceof FeathersError) return error
  if (error instanceof TypeError && /BigInt|circular/i.test(error.message)) {
    return keep(
      badRequest('数据无法保存为 JSON (The data cannot be stored as JSON)', undefined, 'json'),
      error
    )
  }
  return keep(byCode((error ?? {}) as DriverError, ctx), error)
}

/** Runs a storage call and maps whatever it throws. */
export async function guard<T>(fn: () => Promise<T>, ctx: ErrorContext = {}): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw mapDbError(error, ctx)
  }
}
