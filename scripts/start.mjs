// `npm start`: build the web app when its sources changed, then run the server with tsx.
// Signals are forwarded so Ctrl+C and `docker stop` shut the server down gracefully.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const buildScript = join(root, 'scripts', 'build-app.mjs')
if (process.env.NODE_ENV !== 'production' && existsSync(buildScript)) {
  const built = spawnSync(process.execPath, [buildScript], { stdio: 'inherit', cwd: root })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'core', 'src', 'main.ts')], {
  stdio: 'inherit',
  cwd: root
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
