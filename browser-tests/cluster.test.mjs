// Two instances of the service on one PostgreSQL database behind a real nginx (Debian's,
// as a load balancer), started by this test and stopped at its end. An administrator
// adds a holiday through one instance, and the next read on the other shows the moved
// deadline within a second; fifty concurrent writers spread over both lose nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from './server.mjs'
import { launch, signIn } from './browser.mjs'

const TODAY = '2026-12-31'
// The tests' PostgreSQL (scripts/test.sh may start one of its own on another port).
const admin = `${process.env.RAPID_REVIEW_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres'}?sslmode=disable`
const name = `rr_cluster_${process.pid}`
const dir = mkdtempSync(join(tmpdir(), 'rapid-review-cluster-'))
const database = admin.replace('/postgres?', `/${name}?`)
const env = { RAPID_REVIEW_TWO_FACTOR: 'optional', RAPID_REVIEW_KEY_FILE: join(dir, 'rapid-review.key') }
let first, second, nginx, balancer, browser

function psql (sql) {
  execFileSync('psql', [admin.replace('?sslmode=disable', ''), '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' })
}

function freePort () {
  return new Promise(resolve => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

before(async () => {
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  psql(`CREATE DATABASE ${name}`)
  first = await startServer(TODAY, env, { database })
  // The second finds the demo partnership already there and loads nothing.
  second = await startServer(TODAY, env, { database })
  const port = await freePort()
  const hostPort = url => new URL(url).host
  writeFileSync(join(dir, 'nginx.conf'), `
    daemon off;
    worker_processes 1;
    pid ${dir}/nginx.pid;
    error_log ${dir}/error.log;
    events { worker_connections 256; }
    http {
      access_log off;
      client_body_temp_path ${dir}/body;
      proxy_temp_path ${dir}/proxy;
      fastcgi_temp_path ${dir}/fastcgi;
      uwsgi_temp_path ${dir}/uwsgi;
      scgi_temp_path ${dir}/scgi;
      upstream rapid_review { server ${hostPort(first.url)}; server ${hostPort(second.url)}; }
      server {
        listen 127.0.0.1:${port};
        location / { proxy_pass http://rapid_review; proxy_set_header Host $host; }
      }
    }`)
  nginx = spawn('/usr/sbin/nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' })
  balancer = `http://127.0.0.1:${port}`
  for (let i = 0; i < 50; i++) {
    try {
      if ((await fetch(`${balancer}/readyz`)).ok) break
    } catch {}
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  browser = await launch()
})

after(async () => {
  await browser?.close()
  nginx?.kill('SIGQUIT')
  first?.stop()
  second?.stop()
  await new Promise(resolve => setTimeout(resolve, 300))
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  rmSync(dir, { recursive: true, force: true })
})

function tokenOf (email) {
  return first.cli('tokens', 'issue', '--email', email).trim().split('\n').pop()
}

async function api (base, token, path, body) {
  const res = await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined
  })
  return { status: res.status, body: await res.json() }
}

test('a holiday added through one instance moves the deadline the other shows within a second', async () => {
  const token = tokenOf('manager@demo.rapid-review.test')
  const opened = await api(balancer, token, '/api/v1/cases', {
    route: 'children_services', reported_on: '2026-12-21', aware_on: '2026-12-21', referring_agency: 'city-gp-practice',
    incident: { kind: 'serious_harm', occurred_on: '2026-12-20', summary: 'Synthetic case for the cluster test.' },
    children: [{ initials: 'ZZ', sex: 'unknown', age_years: 4 }]
  })
  assert.equal(opened.status, 201, JSON.stringify(opened.body))
  const due = async base => {
    const read = await api(base, token, `/api/v1/cases/${opened.body.id}`)
    return read.body.deadlines.find(d => d.step === 'threshold_decision').due
  }
  assert.equal(await due(second.url), '2026-12-30')
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  await signIn(page, first.url, 'admin@demo.rapid-review.test', first.passwords['admin@demo.rapid-review.test'])
  await page.goto(`${first.url}/admin/calendar`)
  await page.locator('#date-day').fill('29')
  await page.locator('#date-month').fill('12')
  await page.locator('#date-year').fill('2026')
  await page.locator('input[name=kind][value=holiday]').check()
  await page.locator('#name').fill('Snow closure')
  await page.getByRole('button', { name: 'Add the change' }).click()
  await page.getByText('The change is added.').waitFor()
  const added = Date.now()
  await context.close()
  let moved
  while (Date.now() - added < 2000) {
    moved = await due(second.url)
    if (moved === '2026-12-31') break
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  assert.equal(moved, '2026-12-31')
  assert.ok(Date.now() - added <= 1500, `the other instance took ${Date.now() - added} ms`)
})

test('fifty concurrent writers spread over both instances lose nothing', async () => {
  const token = tokenOf('business@demo.rapid-review.test')
  const before = (await api(second.url, token, '/api/v1/cases?limit=1000')).body.cases.length
  const writes = Array.from({ length: 50 }, (_, i) => api(balancer, token, '/api/v1/cases', {
    route: 'partner_agency', reported_on: '2026-12-29', aware_on: '2026-12-29', referring_agency: 'county-police',
    incident: { kind: 'serious_harm', occurred_on: '2026-12-28', summary: `Synthetic concurrent case ${i}.` },
    children: [{ initials: 'QQ', sex: 'female', age_years: i % 17 }]
  }))
  const answers = await Promise.all(writes)
  assert.deepEqual(answers.map(a => a.status), Array(50).fill(201))
  const references = new Set(answers.map(a => a.body.reference))
  assert.equal(references.size, 50, 'every case has its own reference')
  for (const base of [first.url, second.url]) {
    const listed = (await api(base, token, '/api/v1/cases?limit=1000')).body.cases
    assert.equal(listed.length, before + 50, `${base} sees every case`)
  }
})
