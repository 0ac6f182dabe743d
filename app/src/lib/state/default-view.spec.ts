import type { FormDefinition } from '@medaffairs/plugin-sdk'
import { describe, expect, it } from 'vitest'
import type { SavedView } from '$lib/services/views.service'
import { defaultViewUrl } from './default-view'

const form = (view?: string): FormDefinition => ({
  collection: 'x',
  label: { 'zh-CN': 'x' },
  fields: [],
  layout: [],
  list: { columns: [], ...(view ? { view } : {}) }
})
const views: SavedView[] = [
  { id: 'v1', collection: 'x', name: '本院', filter: { hospitalNo: 'A1' }, sort: { date: -1 }, shared: true }
]

describe('the default view of a list', () => {
  it("puts the view's filter, sort and id in a bare list address", () => {
    const to = defaultViewUrl(new URL('http://h/records/x'), form('v1'), views)
    const url = new URL(to!, 'http://h')
    expect(url.pathname).toBe('/records/x')
    expect(JSON.parse(url.searchParams.get('q')!)).toEqual({ hospitalNo: 'A1' })
    expect(url.searchParams.get('sort')).toBe('date:-1')
    expect(url.searchParams.get('view')).toBe('v1')
  })

  it('leaves an address that already says what to show, a form without a default, or a missing view', () => {
    expect(defaultViewUrl(new URL('http://h/records/x?q=%7B%7D'), form('v1'), views)).toBeNull()
    expect(defaultViewUrl(new URL('http://h/records/x?view=v2'), form('v1'), views)).toBeNull()
    expect(defaultViewUrl(new URL('http://h/records/x?page=2'), form('v1'), views)).toBeNull()
    expect(defaultViewUrl(new URL('http://h/records/x'), form(), views)).toBeNull()
    expect(defaultViewUrl(new URL('http://h/records/x'), form('gone'), views)).toBeNull()
  })
})
