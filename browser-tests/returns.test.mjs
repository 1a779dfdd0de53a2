// An agency's return through its link, in the browser: the scoping draft, a wrong
// entry and a wrong upload corrected, submission; then the Business Unit's view of
// the returns, going ahead without a late one, and the documents downloaded.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from './server.mjs'
import { launch, axeViolations, checkNarrow, signIn } from './browser.mjs'

let server, browser
const business = 'business@demo.rapid-review.test'

before(async () => {
  server = await startServer('2026-11-27')
  browser = await launch()
})

after(async () => {
  await browser?.close()
  server?.stop()
})

async function signedIn () {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, acceptDownloads: true })
  const page = await context.newPage()
  await signIn(page, server.url, business, server.passwords[business])
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor()
  return page
}

/** The first case with an outstanding return link, and that link. */
async function findReturnLink (page) {
  await page.goto(`${server.url}/cases`)
  const hrefs = await page.locator('tbody a').evaluateAll(links => links.map(a => a.getAttribute('href')))
  for (const href of hrefs) {
    await page.goto(`${server.url}${href}`)
    const links = page.locator('input[id^="link-"]')
    if (await links.count() > 0) return { caseUrl: page.url(), link: await links.first().inputValue() }
  }
  throw new Error('no demo case has an outstanding return')
}

test('an agency completes, corrects and submits its return through the link; the Business Unit sees it', async () => {
  const staff = await signedIn()
  const { caseUrl, link } = await findReturnLink(staff)
  assert.match(link, /\/returns\/[0-9a-f]{64}$/)

  const agency = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage()
  await agency.goto(link)
  await agency.getByRole('heading', { name: /^Return for / }).waitFor()
  assert.deepEqual(await axeViolations(agency), [])
  assert.equal(await checkNarrow(agency, 'return'), 0)

  // Submitting before the first question is answered is refused, linking to it.
  await agency.getByRole('button', { name: 'Submit return' }).click()
  await agency.locator('.govuk-error-summary').waitFor()
  assert.equal(await agency.locator('.govuk-error-summary a').first().getAttribute('href'), '#involvement')
  assert.deepEqual(await axeViolations(agency), [])

  await agency.locator('#involvement').fill('Known to the school since September 2024.')
  await agency.getByRole('button', { name: 'Save draft' }).click()
  await agency.getByText('Your draft answers are saved.').waitFor()

  // A wrong date, then the entry corrected.
  await agency.locator('#date-day').fill('31')
  await agency.locator('#date-month').fill('2')
  await agency.locator('#date-year').fill('2026')
  await agency.locator('#what_happened').fill('Bruise noted by the class teacher')
  await agency.getByRole('button', { name: 'Add entry' }).click()
  await agency.locator('.govuk-error-summary').waitFor()
  assert.match(await agency.locator('.govuk-error-summary').innerText(), /real date/)
  await agency.locator('#date-day').fill('2')
  await agency.locator('#date-month').fill('11')
  await agency.locator('#date-year').fill('2026')
  await agency.locator('#what_happened').fill('Bruise noted by the class teacher')
  await agency.getByRole('button', { name: 'Add entry' }).click()
  await agency.getByText('The entry is added to your draft chronology.').waitFor()

  // An upload with a bad row stores nothing and lists the row.
  const dir = mkdtempSync(join(tmpdir(), 'rr-upload-'))
  const bad = join(dir, 'bad.csv')
  writeFileSync(bad, 'date,time,what_happened,who,source,significance\n2026-11-03,,Phone call,,,\nsoon,,Visit,,,\n')
  await agency.locator('#file').setInputFiles(bad)
  await agency.getByRole('button', { name: 'Upload' }).click()
  await agency.locator('.govuk-error-summary').waitFor()
  assert.match(await agency.locator('.govuk-error-summary').innerText(), /Row 3: date/)
  assert.deepEqual(await axeViolations(agency), [])
  const good = join(dir, 'good.csv')
  writeFileSync(good, 'date,time,what_happened,who,source,significance\n2026-11-03,,Phone call,,,\n2026-11-04,14:00,Visit,,,\n')
  await agency.locator('#file').setInputFiles(good)
  await agency.getByRole('button', { name: 'Upload' }).click()
  await agency.getByText('Every row of the file is added').waitFor()
  assert.equal(await agency.locator('tbody tr').count(), 3)

  await agency.getByRole('button', { name: 'Submit return' }).click()
  await agency.getByText('Your return is submitted. Thank you.').waitFor()
  assert.equal(await agency.getByRole('button', { name: 'Save draft' }).count(), 0, 'read-only after submission')
  await agency.context().close()

  await staff.goto(caseUrl)
  assert.match(await staff.locator('.govuk-summary-list').last().innerText(), /Submitted/)
  assert.equal(await checkNarrow(staff, 'case-with-returns'), 0)
  // Going ahead without the other returns lets the papers pack be built.
  while (await staff.getByRole('button', { name: /Go ahead without it/ }).count() > 0) {
    await staff.getByRole('button', { name: /Go ahead without it/ }).first().click()
    await staff.waitForURL(caseUrl)
  }
  assert.deepEqual(await axeViolations(staff), [])
  await staff.getByRole('link', { name: 'Multi-agency chronology' }).click()
  await staff.getByRole('heading', { name: 'Multi-agency chronology' }).waitFor()
  assert.equal(await staff.locator('tbody tr').count(), 3)
  await staff.locator('#from').fill('2026-11-03')
  await staff.getByRole('button', { name: 'Filter' }).click()
  await staff.getByRole('heading', { name: 'Multi-agency chronology' }).waitFor()
  assert.equal(await staff.locator('tbody tr').count(), 2)
  assert.deepEqual(await axeViolations(staff), [])
  assert.equal(await checkNarrow(staff, 'chronology'), 0)
  await staff.goto(caseUrl)
  for (const [name, suffix] of [['Papers pack (ZIP)', '.zip'], ['Referral form (DOCX)', '.docx'], ['Merged chronology (XLSX)', '.xlsx']]) {
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.getByRole('link', { name }).click()])
    assert.ok(download.suggestedFilename().endsWith(suffix), download.suggestedFilename())
    const saved = join(dir, download.suggestedFilename())
    await download.saveAs(saved)
    assert.equal(readFileSync(saved).subarray(0, 2).toString(), 'PK', `${name} is a ZIP container`)
  }
  await staff.context().close()
})

test('a link that is not valid shows a page that says what to do', async () => {
  const page = await (await browser.newContext()).newPage()
  const response = await page.goto(`${server.url}/returns/${'0'.repeat(64)}`)
  assert.equal(response.status(), 404)
  await page.getByRole('heading', { name: 'This link does not work' }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})

test('an agency contact sees its own agency\'s requests after signing in', async () => {
  const contact = 'contact@demo.rapid-review.test'
  const page = await (await browser.newContext()).newPage()
  await signIn(page, server.url, contact, server.passwords[contact])
  await page.getByRole('heading', { name: "Your agency's requests" }).waitFor()
  const links = page.locator('a[href^="/returns/"]')
  assert.ok(await links.count() > 0)
  assert.deepEqual(await axeViolations(page), [])
  await links.first().click()
  await page.getByRole('heading', { name: /^Return for Northfield/ }).waitFor()
  await page.goto(`${server.url}/cases`)
  await page.getByRole('heading', { name: 'You cannot see cases' }).waitFor()
  await page.context().close()
})
