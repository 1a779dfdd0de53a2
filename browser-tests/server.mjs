// Starts the real `rapid-review serve --demo` on a free loopback port with a fresh
// SQLite file, and reads the demo users' passwords from what it prints.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname

/**
 * `options.database` runs it on that database (several instances may share one), and
 * `options.args` adds arguments to `serve`.
 */
export async function startServer (today = '2026-11-27', env = {}, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rapid-review-browser-'))
  const bin = process.env.RAPID_REVIEW_BIN || join(root, 'target/debug/rapid-review')
  const database = options.database || `sqlite://${join(dir, 'rr.db')}`
  const args = ['serve', '--listen', '127.0.0.1:0', '--database', database, '--demo', '--today', today, ...(options.args || [])]
  const child = spawn(bin, args, {
    env: { ...process.env, RUST_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const passwords = {}
  const url = await new Promise((resolve, reject) => {
    let buffer = ''
    const timer = setTimeout(() => reject(new Error('the server did not start within 60 s')), 60000)
    child.on('exit', code => reject(new Error(`the server exited with ${code}`)))
    child.stdout.on('data', chunk => {
      buffer += chunk
      for (const line of buffer.split('\n')) {
        const user = line.match(/^\s+(\w+)\s+(\S+@\S+)\s+(\S+)$/)
        if (user) passwords[user[2]] = user[3]
        const listening = line.match(/listening on (http:\/\/\S+)/)
        if (listening) {
          clearTimeout(timer)
          resolve(listening[1])
        }
      }
    })
  })
  return {
    url,
    passwords,
    /** Runs a command of the same binary on the same database; returns its output. */
    cli (...args) {
      return execFileSync(bin, [...args, '--database', database], { encoding: 'utf8', env: { ...process.env, ...env } })
    },
    stop () {
      child.kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
