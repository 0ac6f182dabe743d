import { pino, type Logger } from 'pino'

export type { Logger }

/** Structured JSON logs on stdout; one line per event, secrets never logged. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'medaffairs' },
    redact: { paths: ['req.headers.authorization', 'password', '*.password', 'accessToken'], remove: true }
  })
}
