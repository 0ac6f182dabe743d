import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { blindIndexOf, defaultNormalizer, normalize } from '../../src/crypto/blind-index.js'
import {
  aadOf,
  blindHash,
  decryptJson,
  encryptJson,
  TagMismatch,
  versionOf
} from '../../src/crypto/format.js'
import { PEOPLE } from './support.js'

const key = randomBytes(32)
const aad = aadOf('people', 'idNumber')

describe('the stored format', () => {
  it('round-trips strings, numbers, objects and lists as enc:v<version>:<base64url>', () => {
    for (const value of [
      '110101199003070017',
      '',
      '张三',
      42,
      3.5,
      { a: [1, { b: '家属' }] },
      [{ name: '李四', relation: '配偶' }],
      true
    ]) {
      const text = encryptJson(key, 7, value, aad)
      expect(text).toMatch(/^enc:v7:[A-Za-z0-9_-]+$/)
      expect(versionOf(text)).toBe(7)
      expect(decryptJson(key, text, aad)).toEqual(value)
    }
  })

  it('uses a fresh IV each time, so equal values do not look equal', () => {
    expect(encryptJson(key, 1, 'same', aad)).not.toBe(encryptJson(key, 1, 'same', aad))
  })

  it('fails the GCM tag on any altered byte, another field, collection or key', () => {
    const text = encryptJson(key, 1, '13812345678', aad)
    const body = text.slice('enc:v1:'.length)
    // The last character may carry unused bits: stop before it.
    for (let i = 0; i < body.length - 1; i += 3) {
      const flipped = body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1)
      expect(() => decryptJson(key, `enc:v1:${flipped}`, aad)).toThrow(TagMismatch)
    }
    expect(() => decryptJson(key, text, aadOf('people', 'mobile'))).toThrow(TagMismatch)
    expect(() => decryptJson(key, text, aadOf('staff', 'idNumber'))).toThrow(TagMismatch)
    expect(() => decryptJson(randomBytes(32), text, aad)).toThrow(TagMismatch)
    expect(() => decryptJson(key, text.slice(0, 40), aad)).toThrow(TagMismatch)
  })

  it('recognizes only its own ciphertext', () => {
    for (const v of [
      'enc:v1:short',
      'enc:v0:' + 'A'.repeat(60),
      'enc:vx:' + 'A'.repeat(60),
      'xenc:v1:' + 'A'.repeat(60),
      'enc:v1:' + 'A'.repeat(59) + '=',
      12,
      null
    ]) {
      expect(versionOf(v)).toBeUndefined()
    }
  })
})

describe('blind-index normalization', () => {
  const field = (name: string) => PEOPLE.fields.find((f) => f.name === name)!

  it('picks a normalizer by type and by the field name', () => {
    expect(defaultNormalizer(field('idNumber'))).toBe('id')
    expect(defaultNormalizer(field('mobile'))).toBe('phone')
    expect(defaultNormalizer(field('contact.phone'))).toBe('phone')
    expect(defaultNormalizer(field('salary'))).toBe('number')
    expect(defaultNormalizer({ name: 'emergencyTel', type: 'string' })).toBe('phone')
    expect(defaultNormalizer({ name: 'id_card_no', type: 'string' })).toBe('id')
    expect(defaultNormalizer({ name: 'passportNo', type: 'string' })).toBe('id')
    expect(defaultNormalizer({ name: 'idle', type: 'string' })).toBe('text')
    expect(defaultNormalizer({ name: 'remark', type: 'string' })).toBe('text')
  })

  it('makes the usual spellings of one value equal', () => {
    expect(normalize('id', ' 11010119900307001x ')).toBe('11010119900307001X')
    expect(normalize('id', '１１０１０１ 19900307001x')).toBe('11010119900307001X')
    expect(normalize('phone', '+86 138-1234-5678')).toBe('13812345678')
    expect(normalize('phone', '008613812345678')).toBe('13812345678')
    expect(normalize('phone', '０７５５-8888 6666')).toBe('075588886666')
    expect(normalize('number', '05')).toBe('5')
    expect(normalize('number', 5)).toBe('5')
    expect(normalize('text', '  张三 ')).toBe('张三')
    expect(() => normalize('number', 'abc')).toThrow()
    expect(() => normalize('text', { a: 1 })).toThrow()
  })

  it('hashes collection, field and value together', () => {
    const k = randomBytes(32)
    const h = blindHash(k, 'people', 'idNumber', 'X')
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(blindHash(k, 'people', 'idNumber', 'X')).toBe(h)
    expect(blindHash(k, 'people', 'mobile', 'X')).not.toBe(h)
    expect(blindHash(k, 'staff', 'idNumber', 'X')).not.toBe(h)
    expect(blindHash(randomBytes(32), 'people', 'idNumber', 'X')).not.toBe(h)
  })

  it('declares blind indexes of searchable sensitive fields only', () => {
    const fields = new Map(PEOPLE.fields.map((f) => [f.name, f]))
    expect(blindIndexOf('idNumber__bidx', fields)).toMatchObject({
      name: 'idNumber__bidx',
      type: 'string',
      unique: true
    })
    expect(blindIndexOf('contact.phone__bidx', fields)).toMatchObject({ type: 'string' })
    expect(blindIndexOf('family__bidx', fields)).toBeUndefined()
    expect(blindIndexOf('name__bidx', fields)).toBeUndefined()
    expect(blindIndexOf('idNumber', fields)).toBeUndefined()
  })
})
