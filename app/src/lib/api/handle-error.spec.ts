import { BadRequest, NotFound } from '@feathersjs/errors'
import { describe, expect, it, vi } from 'vitest'
import { toasts } from '$lib/state/toasts.svelte'
import { errorMessage, fieldErrors, handleError } from './handle-error'

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
})
