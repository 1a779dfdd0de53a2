// Notifications in the browser, with a real SMTP server: the administrators' outbox
// (a test email, an address refused), each user's choice of immediate emails or a
// daily digest, and who was told on a case page. axe on every page, at 1024 and 320 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from './server.mjs'
import { startSmtp } from './smtp.mjs'
import { launch, axeViolations, checkNarrow, signedInPage } from './browser.mjs'

let server, smtp, browser

before(async () => {
  smtp = await startSmtp()
  server = await startServer('2026-11-27', {
    RAPID_REVIEW_SMTP_URL: smtp.url,
    RAPID_REVIEW_PANEL_EMAIL: 'submissions@panel.example.org'
  })
  browser = await launch()
})

after(async () => {
  await browser?.close()
  server?.stop()
  smtp?.stop()
})

function as (email) {
  return signedInPage(browser, server, email)
}

test('an administrator sees the outbox and sends a test email that the mail server receives', async () => {
  const page = await as('admin@demo.rapid-review.test')
  await page.getByRole('link', { name: 'Administration' }).click()
  await page.getByRole('link', { name: 'Outbox (email)' }).click()
  await page.getByRole('heading', { name: 'Outbox' }).waitFor()
  assert.match(await page.locator('main').innerText(), new RegExp(`Email goes through ${smtp.url}`))
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'admin-outbox'), 0)
  await page.getByLabel('Send it to').fill('not an address')
  await page.getByRole('button', { name: 'Send a test email' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#to')
  assert.deepEqual(await axeViolations(page), [])
  await page.getByLabel('Send it to').fill('ops@example.org')
  await page.getByRole('button', { name: 'Send a test email' }).click()
  await page.getByText('The test email is queued.').waitFor()
  const message = await smtp.waitFor('ops@example.org')
  assert.equal(message.subject, 'Rapid Review: test email')
  await page.context().close()
})

test('a user chooses a daily digest instead of each email', async () => {
  const page = await as('decisions@demo.rapid-review.test')
  await page.getByRole('link', { name: 'Your account' }).click()
  await page.getByRole('link', { name: 'Change how you get email notifications' }).click()
  await page.getByRole('heading', { name: 'Your notifications' }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'notifications'), 0)
  await page.getByLabel('One daily digest at 7am').check()
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Saved: one daily digest at 7am.').waitFor()
  assert.ok(await page.getByLabel('One daily digest at 7am').isChecked())
  await page.context().close()
})

test('a case page says who was told of each step', async () => {
  const page = await as('manager@demo.rapid-review.test')
  await page.getByRole('link', { name: 'Cases' }).first().click()
  await page.locator('tbody a').first().click()
  const told = page.locator('summary', { hasText: /Who was told/ }).first()
  await told.waitFor()
  await told.click()
  assert.match(await page.locator('details[open]').first().innerText(), /@demo\.rapid-review\.test\): (emailed|waiting|not emailed: the demo's seeded history)/)
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})

test('a case page lists who is told the outcome, with each letter and where its email is', async () => {
  const page = await as('manager@demo.rapid-review.test')
  await page.goto(`${server.url}/cases`)
  const hrefs = await page.locator('tbody a').evaluateAll(links => links.map(a => a.getAttribute('href')))
  let found = false
  for (const href of hrefs) {
    await page.goto(`${server.url}${href}`)
    if (await page.getByRole('heading', { name: 'Who is told the outcome' }).count() > 0) {
      found = true
      break
    }
  }
  assert.ok(found, 'a demo case has told agencies its outcome')
  const section = await page.locator('#outcome + .govuk-summary-list').innerText()
  assert.match(section, /Told on \d+ \w+ \d{4}/)
  assert.match(section, /The outcome letter to .+ \(message \d+\)/)
  assert.ok(await page.getByRole('link', { name: /Outcome letter to .+ \(DOCX\)/ }).count() > 0)
  // The submission's "who was told": the National Panel, with the Template and the
  // covering letter, and the Partnership Manager in copy.
  const submitted = page.locator('.app-timeline__item', { hasText: 'Rapid Review submitted to the National Panel' })
  await submitted.locator('summary').click()
  const told = await submitted.locator('details').innerText()
  assert.match(told, /The Child Safeguarding Practice Review Panel \(submissions@panel\.example\.org\): .+, with the Rapid Review Template and the covering letter/)
  assert.match(told, /Partnership Manager \(manager@demo\.rapid-review\.test\): .+, with the Rapid Review Template and the covering letter/)
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'case-outcome-told'), 0)
  await page.context().close()
})
