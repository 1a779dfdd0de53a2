// Reports in the browser: the period, the timeliness table, charts that are images
// with a title and the same figures in the table beside them, the print view and the
// learning themes; axe on every page, at 1024 and 320 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from './server.mjs'
import { launch, axeViolations, checkNarrow, signedInPage } from './browser.mjs'

let server, browser

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

test('the Executive reads the reports: each chart has a title and its figures in a table', async () => {
  const page = await as('viewer@demo.rapid-review.test')
  // The Executive's dashboard: the figures, and where to read more.
  assert.match(await page.locator('main').innerText(), /Open cases\s+\d+ cases?/)
  assert.deepEqual(await axeViolations(page), [])
  await page.getByRole('link', { name: 'Reports', exact: true }).click()
  await page.getByRole('heading', { name: /^Rapid Reviews: 1 April 2026 to 27 November 2026/ }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'reports'), 0)
  const charts = page.locator('figure svg[role="img"]')
  assert.ok(await charts.count() >= 3, 'the demo has charts to show')
  for (let i = 0; i < await charts.count(); i++) {
    const chart = charts.nth(i)
    const title = await chart.locator('title').textContent()
    assert.ok(title.length > 0)
    const bars = await chart.locator('rect[fill="#1D70B8"]').count()
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'The figures of the chart' }) }).nth(i)
    assert.equal(await table.locator('tbody tr').count(), bars, `${title}: one table row a bar`)
  }
  await page.getByLabel('Day').first().fill('31')
  await page.getByLabel('Month').first().fill('2')
  await page.getByRole('button', { name: 'Show the report' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#from-day')
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})

test('the print view for the annual report has no menu and carries the marking', async () => {
  const page = await as('manager@demo.rapid-review.test')
  await page.goto(`${server.url}/reports`)
  await page.getByRole('link', { name: 'Print view for the annual report' }).click()
  await page.getByText('OFFICIAL-SENSITIVE').first().waitFor()
  assert.equal(await page.getByRole('button', { name: /^Sign out/ }).count(), 0)
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})

test('the Partnership Manager adds a learning theme and gives it to a case', async () => {
  const page = await as('manager@demo.rapid-review.test')
  await page.goto(`${server.url}/reports`)
  await page.getByRole('link', { name: 'Learning themes' }).click()
  await page.getByRole('heading', { name: 'Learning themes' }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  await page.getByLabel('Theme').fill('Housing and homelessness')
  await page.getByRole('button', { name: 'Add the theme' }).click()
  await page.getByText('is on the list.').waitFor()
  await page.getByRole('link', { name: 'Cases' }).first().click()
  await page.locator('tbody a').first().click()
  await page.getByText("Choose the case's themes").click()
  await page.getByLabel('Housing and homelessness').check()
  await page.getByRole('button', { name: 'Save the themes' }).click()
  await page.getByText("The case's themes are saved.").waitFor()
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})
