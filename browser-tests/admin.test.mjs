// Administration in the browser: the calendar (sources, a local change, the gov.uk
// import), agencies, users and roles, and the deadline rules; errors shown and fixed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from './server.mjs'
import { launch, axeViolations, checkNarrow, signedInPage } from './browser.mjs'

let server, browser
const feed = new URL('../crates/domain/tests/data/bank-holidays-2024-2027.json', import.meta.url).pathname

before(async () => {
  server = await startServer('2026-11-27')
  browser = await launch()
})

after(async () => {
  await browser?.close()
  server?.stop()
})

function as (email) {
  return signedInPage(browser, server, email)
}

test('an administrator sees each holiday with its source, adds a local closure and imports the gov.uk feed', async () => {
  const page = await as('admin@demo.rapid-review.test')
  await page.getByRole('link', { name: 'Administration' }).click()
  await page.getByRole('link', { name: 'Calendar' }).click()
  await page.getByRole('heading', { name: 'Calendar' }).waitFor()
  assert.match(await page.locator('tbody').innerText(), /Boxing Day \(substitute day\)\s+Rule/)
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'admin-calendar'), 0)
  await page.locator('#date-day').fill('29')
  await page.locator('#date-month').fill('12')
  await page.locator('#date-year').fill('2026')
  await page.locator('input[name=kind][value=holiday]').check()
  await page.getByRole('button', { name: 'Add the change' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#name')
  await page.locator('#name').fill('Local closure')
  await page.getByRole('button', { name: 'Add the change' }).click()
  await page.getByText('The change is added.').waitFor()
  assert.match(await page.locator('tbody').innerText(), /29 December 2026\s+Local closure\s+Local change/)
  await page.locator('#file').setInputFiles(feed)
  await page.getByRole('button', { name: 'Import' }).click()
  await page.getByText("The feed's days are imported.").waitFor()
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})

test('an administrator adds an agency and a user, correcting each mistake', async () => {
  const page = await as('admin@demo.rapid-review.test')
  await page.goto(`${server.url}/admin/agencies`)
  await page.locator('#slug').fill('Youth Justice')
  await page.locator('#name').fill('Youth Justice Service')
  await page.locator('#kind').fill('youth justice')
  await page.getByRole('button', { name: 'Add the agency' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#slug')
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'admin-agencies'), 0)
  await page.locator('#slug').fill('youth-justice')
  await page.getByRole('button', { name: 'Add the agency' }).click()
  await page.getByText('The agency is added.').waitFor()
  await page.goto(`${server.url}/admin/users`)
  await page.locator('#email').fill('new-rep@demo.rapid-review.test')
  await page.locator('#name').fill('Newly Added')
  await page.locator('input[name=role][value=partner_rep]').check()
  await page.getByRole('button', { name: 'Add the user' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#partner')
  await page.locator('input[name=partner][value=police]').check()
  await page.getByRole('button', { name: 'Add the user' }).click()
  await page.getByText('The user is added.').waitFor()
  assert.match(await page.locator('tbody').innerText(), /Newly Added/)
  assert.equal(await checkNarrow(page, 'admin-users'), 0)
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})

test('the Partnership Manager changes a deadline rule in the form; a wrong number and a malformed import are refused', async () => {
  const page = await as('manager@demo.rapid-review.test')
  await page.goto(`${server.url}/admin/rules`)
  // One row per step: the date it counts from, its numbers and their basis.
  const row = page.getByRole('group', { name: 'Agency return' })
  assert.match(await row.innerText(), /Counts from the requests to agencies\. Basis: Local target\./)
  assert.equal(await page.locator('#agency_return-working_days').inputValue(), '5')
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'admin-rules'), 0)
  await page.locator('#agency_return-working_days').fill('five')
  await page.locator('#pack_shared-working_days_before').fill('')
  await page.getByRole('button', { name: 'Save the rules' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  const anchors = await page.locator('.govuk-error-summary a').evaluateAll(a => a.map(l => l.getAttribute('href')))
  assert.deepEqual(anchors, ['#agency_return-working_days', '#pack_shared-working_days_before'])
  assert.equal(await page.locator('#agency_return-working_days').inputValue(), 'five', 'what was typed is kept')
  assert.deepEqual(await axeViolations(page), [])
  await page.locator('#agency_return-working_days').fill('7')
  await page.locator('#pack_shared-working_days_before').fill('1')
  await page.getByRole('button', { name: 'Save the rules' }).click()
  await page.getByText('The rules are saved').waitFor()
  assert.equal(await page.locator('#agency_return-working_days').inputValue(), '7')
  // TOML import stays for moving rules between partnerships.
  await page.getByText('Import rules from a TOML file').click()
  const rules = page.locator('#rules')
  const original = await rules.inputValue()
  assert.match(original, /agency_return = \{ working_days = 7 \}/)
  await rules.fill(original + '\nsurprise = 1\n')
  await page.getByRole('button', { name: 'Import the rules' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})

test('a viewer cannot use administration', async () => {
  const page = await as('viewer@demo.rapid-review.test')
  await page.goto(`${server.url}/admin/calendar`)
  await page.getByRole('heading', { name: 'You cannot use administration' }).waitFor()
  await page.context().close()
})
