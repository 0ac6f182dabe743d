// @feathersjs/adapter-tests is written for mocha: map its hook names onto vitest's.
import { afterAll, beforeAll } from 'vitest'

Object.assign(globalThis, { after: afterAll, before: beforeAll })
