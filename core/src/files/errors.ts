import { FeathersError } from '@feathersjs/errors'

/* HTTP answers @feathersjs/errors has no class for; the error handler sends any FeathersError as is. */

export class PayloadTooLarge extends FeathersError {
  constructor(message: string, data?: unknown) {
    super(message, 'PayloadTooLarge', 413, 'payload-too-large', data)
  }
}

export class UnsupportedMediaType extends FeathersError {
  constructor(message: string, data?: unknown) {
    super(message, 'UnsupportedMediaType', 415, 'unsupported-media-type', data)
  }
}

export class RangeNotSatisfiable extends FeathersError {
  constructor(message: string, data?: unknown) {
    super(message, 'RangeNotSatisfiable', 416, 'range-not-satisfiable', data)
  }
}

/** The bilingual 413 of an upload over the limit. */
export function tooLarge(maxBytes: number): PayloadTooLarge {
  const mb = +(maxBytes / 1024 / 1024).toFixed(2)
  return new PayloadTooLarge(`文件超过大小上限 ${mb} MB (file exceeds the ${mb} MB limit)`, { maxBytes })
}
