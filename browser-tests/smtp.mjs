// The real SMTP server of the tests (scripts/smtp-sink.py, aiosmtpd from .venv-smtp),
// for browser tests that check what was emailed.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname

async function freePort () {
  return new Promise(resolve => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

export async function startSmtp () {
  const dir = mkdtempSync(join(tmpdir(), 'rapid-review-mail-'))
  const port = await freePort()
  const python = process.env.RAPID_REVIEW_SMTP_PYTHON || join(root, '.venv-smtp/bin/python')
  const child = spawn(python, [join(root, 'scripts/smtp-sink.py'), '--port', String(port), '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  await new Promise((resolve, reject) => {
    child.on('exit', code => reject(new Error(`the SMTP sink exited with ${code}`)))
    child.stdout.once('data', resolve)
  })
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** What has arrived: the sink's JSON summaries. */
    received () {
      return readdirSync(dir).filter(f => f.endsWith('.json')).sort()
        .map(f => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    },
    /** Waits (at most 20 s) for a message to `to`. */
    async waitFor (to) {
      for (let i = 0; i < 200; i++) {
        const found = this.received().find(m => m.rcpt_tos.includes(to))
        if (found) return found
        await new Promise(resolve => setTimeout(resolve, 100))
      }
      throw new Error(`no message to ${to}`)
    },
    stop () {
      child.kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
