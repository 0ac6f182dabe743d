import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export interface DataDirLock {
  release(): void
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly ownerPid: number
  ) {
    super(
      `The data folder ${dir} is in use by another MedAffairs process (pid ${ownerPid}). ` +
        `Only one process may own an embedded database; stop the other one, or run a PostgreSQL ` +
        `server and set DATABASE_URL for several processes.`
    )
    this.name = 'DataDirLockedError'
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes `<dir>/.lock` with O_EXCL. A lock whose process is gone is stale and taken over,
 * so a crash does not leave the folder unusable.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  const file = join(dir, '.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        rmSync(file, { force: true })
      }
      process.once('exit', release)
      return { release }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSync(file, 'utf8').trim())
      if (owner && owner !== process.pid && isAlive(owner)) throw new DataDirLockedError(dir, owner)
      if (owner === process.pid) throw new DataDirLockedError(dir, owner)
      rmSync(file, { force: true })
    }
  }
  throw new Error(`Could not take the lock on ${dir}`)
}
