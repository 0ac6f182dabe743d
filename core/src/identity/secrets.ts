import { randomBytes } from 'node:crypto'
import type { Db } from '@medaffairs/plugin-sdk'

/**
 * A server secret shared by every instance: taken from the environment when given,
 * otherwise generated once and kept in the database (so a cluster agrees on it and a
 * restart keeps sessions valid).
 */
export async function sharedSecret(db: Db, name: string, fromEnv?: string): Promise<string> {
  if (fromEnv) return fromEnv
  await db.query(`INSERT INTO _secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
    name,
    randomBytes(48).toString('base64url')
  ])
  const { rows } = await db.query<{ value: string }>('SELECT value FROM _secrets WHERE name = $1', [name])
  return rows[0].value
}
