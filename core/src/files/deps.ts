import type { Application } from '@feathersjs/feathers'
import type { ActorResolver } from '../records/actor.js'
import type { AuditInput } from '../audit/audit-log.js'
import type { FileAccess } from './access.js'
import type { FilesConfig } from './config.js'
import type { UrlSigner } from './signed-url.js'
import type { FileStore } from './store.js'

/** What the file routes and services share; built once by setupFiles. */
export interface FilesDeps {
  app: Application
  config: FilesConfig & { dir: string }
  store: FileStore
  access: FileAccess
  signer: UrlSigner
  actors: Pick<ActorResolver, 'fromContext' | 'fromUser'>
  /** The audit trail (uploads and removals are recorded); optional so the module stands alone in tests. */
  audit?: { append(inputs: AuditInput[]): Promise<void> }
}
