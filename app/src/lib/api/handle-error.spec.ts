import { BadRequest, Conflict, Forbidden, NotFound } from '@feathersjs/errors'
import { i18n } from '$lib/i18n/i18n.svelte'
import { describe, expect, it, vi } from 'vitest'
import { toasts } from '$lib/state/toasts.svelte'
import { errorMessage, fieldErrors, handleError, localizeMessage } from './handle-error'

describe('handleError', () => {
  vi.spyOn(console, 'error').mockImplementation(() => {})

  it('reads field errors that Feathers moved to error.errors', () => {
    const error = new BadRequest('invalid', { errors: [{ field: 'label.zh-CN', reason: 'required' }] })
    expect(fieldErrors(error)).toEqual({ 'label.zh-CN': 'required' })
  })

  it('reads field errors under data.errors and JSON-pointer paths', () => {
    const error = {
      code: 422,
      message: 'x',
      data: { errors: [{ field: '/label/en-US', reason: 'too long' }] }
    }
    expect(fieldErrors(error)).toEqual({ 'label.en-US': 'too long' })
  })

  it('ignores errors that are not 400/422', () => {
    expect(fieldErrors(new NotFound('gone'))).toEqual({})
  })

  it('shows the server message in a toast and returns field errors', () => {
    const before = toasts.items.length
    const fields = handleError(new BadRequest('refused'), 'errors.unable_to_save')
    expect(fields).toEqual({})
    expect(toasts.items.length).toBe(before + 1)
    expect(toasts.items.at(-1)).toMatchObject({ kind: 'error', title: '无法保存', detail: 'refused' })
  })

  it('explains network failures', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toContain('无法连接服务器')
  })

  it("keeps the current language of core's bilingual messages", () => {
    expect(localizeMessage('当前密码不正确 (current password is wrong)')).toBe('当前密码不正确')
    i18n.locale = 'en-US'
    expect(localizeMessage('当前密码不正确 (current password is wrong)')).toBe('current password is wrong')
    i18n.locale = 'zh-CN'
    expect(localizeMessage('名称（中文）必填')).toBe('名称（中文）必填')
  })

  it('keeps every reason of a field and names the fields a 403 refuses', () => {
    const error = new BadRequest('invalid', {
      errors: [
        { field: 'password', reason: '密码至少8位 (at least 8 characters)' },
        { field: 'password', reason: '需包含3类 (use 3 classes)' }
      ]
    })
    expect(fieldErrors(error)).toEqual({ password: '密码至少8位；需包含3类' })
    expect(fieldErrors(new Forbidden('no', { fields: ['roles'] }))).toEqual({ roles: '您无权修改此项' })
  })

  it('marks the fields of a unique violation (409) as taken, in the current language', () => {
    const error = new Conflict(
      '已有其他记录使用了相同的code (Another record already has the same value for code)',
      {
        fields: ['code'],
        reason: 'unique',
        errors: [{ field: 'code', reason: 'unique' }]
      }
    )
    expect(fieldErrors(error)).toEqual({ code: '已被其他记录使用' })
    expect(errorMessage(error)).toBe('已有其他记录使用了相同的code')
    expect(fieldErrors(new Conflict('stale', { rev: 3 }))).toEqual({})
  })

  it("shows a storage refusal's message at its field, not its reason code", () => {
    const message = '应为文字 ("ownerId" must be a string)'
    const error = new BadRequest(message, {
      errors: [{ field: 'ownerId', reason: 'expected-string', message }]
    })
    expect(fieldErrors(error)).toEqual({ ownerId: '应为文字' })
    // A reason written for people wins over the message.
    const worded = new BadRequest('x', {
      errors: [{ field: 'name', reason: '必填 (required)', message: 'x' }]
    })
    expect(fieldErrors(worded)).toEqual({ name: '必填' })
  })
})
