// The pages in real Chromium: sign-in, the dashboard, the case list and case page,
// a refused action, sign-out; axe-core on every page, and every page at 320 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from './server.mjs'
import { launch, axeViolations, checkNarrow, signIn } from './browser.mjs'

let server, browser

before(async () => {
  server = await startServer()
  browser = await launch()
})

after(async () => {
  await browser?.close()
  server?.stop()
})

const manager = 'manager@demo.rapid-review.test'

async function freshPage () {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  return context.newPage()
}

test('the sign-in page is accessible, strict about scripts and usable at 320 px', async () => {
  const page = await freshPage()
  const response = await page.goto(`${server.url}/sign-in`)
  const csp = response.headers()['content-security-policy']
  assert.match(csp, /script-src 'self'/)
  assert.doesNotMatch(csp, /unsafe-inline/)
  const html = await response.text()
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script')
  assert.doesNotMatch(html, /\sstyle=/, 'no inline style')
  assert.doesNotMatch(html, /<style/, 'no style element')
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'sign-in'), 0)
  await page.context().close()
})

test('a wrong password shows an error summary linking to the field, and a correct one signs in', async () => {
  const page = await freshPage()
  await signIn(page, server.url, manager, 'not-the-password')
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  assert.match(await summary.innerText(), /Enter a correct email address and password/)
  assert.equal(await summary.locator('a').getAttribute('href'), '#email')
  assert.match(await page.title(), /^Error: Sign in/)
  assert.deepEqual(await axeViolations(page), [])
  await page.getByLabel('Password').fill(server.passwords[manager])
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor()
  await page.context().close()
})

test('the dashboard shows each open case with its next action, Panel date and worst tag', async () => {
  const page = await freshPage()
  await signIn(page, server.url, manager, server.passwords[manager])
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor()
  await page.getByRole('heading', { name: 'Due to the Panel in the next 5 working days' }).waitFor()
  await page.getByRole('heading', { name: 'My tasks' }).waitFor()
  const cases = page.getByRole('region', { name: 'Open cases' }).locator('tbody tr')
  assert.ok(await cases.count() > 0)
  assert.match(await cases.first().innerText(), /RR-2026-\d{4}/)
  assert.match(await cases.first().innerText(), /Overdue|Due soon|On track/)
  assert.match(await page.locator('main').innerText(), /working day/)
  assert.doesNotMatch(await page.locator('main').innerText(), /-\d+ working day/, 'never a negative number')
  const cookies = await page.context().cookies()
  const session = cookies.find(c => c.name === 'rr_session')
  assert.ok(session.httpOnly)
  assert.equal(session.sameSite, 'Lax')
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'dashboard'), 0)
  await page.context().close()
})

test('a case page lists every step and explains how each date was worked out', async () => {
  const page = await freshPage()
  await signIn(page, server.url, manager, server.passwords[manager])
  await page.getByRole('link', { name: 'Cases' }).click()
  await page.getByRole('heading', { name: 'Cases' }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'case-list'), 0)
  await page.locator('tbody a').first().click()
  await page.getByRole('heading', { name: /^Case RR-/ }).waitFor()
  assert.ok(await page.locator('.govuk-task-list__item').count() >= 10)
  const details = page.locator('details').first()
  await details.locator('summary').click()
  assert.match(await details.innerText(), /working days|calendar months/)
  assert.match(await page.locator('.app-timeline').last().innerText(), /Incident reported/)
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'case'), 0)
  await page.context().close()
})

test('a viewer is refused case details and signing out ends the session', async () => {
  const page = await freshPage()
  const viewer = 'viewer@demo.rapid-review.test'
  await signIn(page, server.url, viewer, server.passwords[viewer])
  await page.goto(`${server.url}/cases`)
  await page.getByRole('heading', { name: 'You cannot see cases' }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  await page.getByRole('button', { name: /Sign out/ }).click()
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await page.goto(`${server.url}/`)
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await page.context().close()
})

test('the help, accessibility, privacy and cookies pages are in every footer and pass axe at 1280 and 320 px', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await page.goto(`${server.url}/sign-in`)
  for (const [link, heading] of [['Help', 'Help'], ['Accessibility statement', 'Accessibility statement for Rapid Review'],
    ['Privacy', 'Privacy notice'], ['Cookies', 'Cookies']]) {
    await page.getByRole('contentinfo').getByRole('link', { name: link, exact: true }).click()
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor()
    assert.deepEqual(await axeViolations(page), [], link)
    assert.equal(await checkNarrow(page, `about-${link.toLowerCase().replace(/\W+/g, '-')}`), 0)
  }
  await page.context().close()
})

test('search finds part of a reference and a child\'s initials; the papers pack says which returns it waits for', async () => {
  const page = await freshPage()
  const business = 'business@demo.rapid-review.test'
  await signIn(page, server.url, business, server.passwords[business])
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor()
  await page.goto(`${server.url}/cases?q=0003`)
  const rows = page.locator('tbody tr')
  assert.ok(await rows.count() >= 1)
  for (const text of await rows.allInnerTexts()) assert.match(text, /0003/)
  // A case with an outstanding return: its pack is not ready, and its link names the child.
  await page.goto(`${server.url}/cases`)
  const hrefs = await page.locator('tbody a').evaluateAll(links => links.map(a => a.getAttribute('href')))
  let found
  for (const href of hrefs) {
    await page.goto(`${server.url}${href}`)
    if (await page.locator('input[id^="link-"]').count() > 0) {
      found = { href, reference: (await page.getByRole('heading', { level: 1 }).innerText()).replace(/^Case /, '') }
      found.link = await page.locator('input[id^="link-"]').first().inputValue()
      break
    }
  }
  assert.ok(found, 'a demo case has an outstanding return')
  await page.getByRole('link', { name: 'Papers pack (ZIP)' }).click()
  await page.getByRole('heading', { name: 'The papers pack is not ready yet' }).waitFor()
  assert.ok(await page.locator('tbody tr').count() >= 1, 'lists the returns it waits for')
  assert.doesNotMatch(await page.locator('main').innerText(), /[a-z]+-[a-z]+-?[a-z]* *\t/, 'agency names, not slugs')
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'pack-not-ready'), 0)
  await page.goto(found.link)
  const child = await page.locator('.govuk-summary-list__row', { hasText: /^Child/ }).locator('dd').innerText()
  const initials = child.split(',')[0].trim()
  await page.goto(`${server.url}/cases?q=${encodeURIComponent(initials)}`)
  assert.match(await page.locator('tbody').innerText(), new RegExp(found.reference))
  await page.context().close()
})

test('a case page shows the incident, the children and the decisions, and prints without the menu', async () => {
  const page = await freshPage()
  await signIn(page, server.url, manager, server.passwords[manager])
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor()
  await page.goto(`${server.url}/cases`)
  await page.locator('tbody a').first().click()
  await page.getByRole('heading', { name: 'The incident' }).waitFor()
  await page.getByRole('heading', { name: 'Children' }).waitFor()
  assert.match(await page.locator('main').innerText(), /Referring agency/)
  await page.getByRole('link', { name: 'Print view of the whole case' }).click()
  await page.getByText('OFFICIAL-SENSITIVE', { exact: true }).first().waitFor()
  assert.equal(await page.locator('.govuk-service-navigation').count(), 0)
  assert.equal(await page.locator('main form').count(), 0)
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'case-print'), 0)
  await page.context().close()
})
