// An agency's return through its link, in the browser, as a GOV.UK journey: the start
// page, the questions, a wrong entry and a wrong upload corrected, check your answers,
// submission and its confirmation; then the Business Unit reading the return, going
// ahead without a late one (confirmed first), and the documents downloaded.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from './server.mjs'
import { launch, axeViolations, checkNarrow, signIn, signedInPage } from './browser.mjs'

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

function signedIn () {
  return signedInPage(browser, server, business, { acceptDownloads: true })
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

  const agency = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await agency.goto(link)
  // The start page: what is asked, by when, about which child, and who to contact.
  await agency.getByRole('heading', { name: /^Return for / }).waitFor()
  const agencyName = (await agency.getByRole('heading', { name: /^Return for / }).innerText()).replace(/^Return for /, '')
  await agency.getByRole('heading', { name: 'What you will be asked' }).waitFor()
  await agency.getByRole('heading', { name: 'Who to contact' }).waitFor()
  assert.match(await agency.locator('main').innerText(), /Return by/)
  assert.deepEqual(await axeViolations(agency), [])
  assert.equal(await checkNarrow(agency, 'return-start'), 0)
  await agency.getByRole('button', { name: /Start now|Continue your return/ }).click()

  // The questions: an impossible date keeps every answer typed, then saves.
  await agency.getByRole('heading', { name: 'Initial Scoping and Information Sharing' }).waitFor()
  assert.deepEqual(await axeViolations(agency), [])
  assert.equal(await checkNarrow(agency, 'return-questions'), 0)
  const involvement = 'Known to the school since September 2024.'
  await agency.locator('#involvement').fill(involvement)
  await agency.locator('#involvement_from-day').fill('31')
  await agency.locator('#involvement_from-month').fill('2')
  await agency.locator('#involvement_from-year').fill('2025')
  await agency.getByRole('button', { name: 'Save and continue' }).click()
  await agency.locator('.govuk-error-summary').waitFor()
  assert.match(await agency.locator('.govuk-error-summary').innerText(), /must be a real date/)
  assert.equal(await agency.locator('#involvement').inputValue(), involvement, 'the answer typed is kept')
  assert.deepEqual(await axeViolations(agency), [])
  await agency.locator('#involvement_from-day').fill('1')
  await agency.getByRole('button', { name: 'Save and continue' }).click()
  await agency.getByRole('heading', { name: 'Chronology', exact: true }).waitFor()
  await agency.getByText('Your answers are saved.').waitFor()

  // "Add entry" with nothing in it names both missing answers at once, in page order.
  await agency.getByRole('button', { name: 'Add entry' }).click()
  await agency.locator('.govuk-error-summary').waitFor()
  const links = await agency.locator('.govuk-error-summary a').evaluateAll(a => a.map(l => [l.getAttribute('href'), l.textContent]))
  assert.deepEqual(links, [['#date-day', 'Enter the date of the entry'], ['#what_happened', 'Enter what happened']])
  // A wrong date, then the entry corrected.
  await agency.locator('#date-day').fill('31')
  await agency.locator('#date-month').fill('2')
  await agency.locator('#date-year').fill('2026')
  await agency.locator('#what_happened').fill('Bruise noted by the class teacher')
  await agency.getByRole('button', { name: 'Add entry' }).click()
  await agency.locator('.govuk-error-summary').waitFor()
  assert.match(await agency.locator('.govuk-error-summary').innerText(), /real date/)
  assert.equal(await agency.locator('#what_happened').inputValue(), 'Bruise noted by the class teacher')
  await agency.locator('#date-day').fill('2')
  await agency.locator('#date-month').fill('11')
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
  assert.deepEqual(await axeViolations(agency), [])
  assert.equal(await checkNarrow(agency, 'return-chronology'), 0)

  // Check your answers: "Change" opens the question filled in.
  await agency.getByRole('button', { name: 'Continue' }).click()
  await agency.getByRole('heading', { name: 'Check your answers before submitting your return' }).waitFor()
  assert.deepEqual(await axeViolations(agency), [])
  assert.equal(await checkNarrow(agency, 'return-check'), 0)
  assert.match(await agency.locator('main').innerText(), /3 entries/)
  await agency.getByRole('link', { name: /Change your agency's involvement/ }).click()
  await agency.getByRole('heading', { name: 'Initial Scoping and Information Sharing' }).waitFor()
  assert.equal(await agency.locator('#involvement').inputValue(), involvement)
  await agency.goto(`${link}/check`)
  await agency.getByRole('button', { name: 'Submit return' }).click()
  await agency.getByRole('heading', { name: 'Return submitted' }).waitFor()
  assert.deepEqual(await axeViolations(agency), [])
  assert.equal(await checkNarrow(agency, 'return-submitted'), 0)
  await agency.getByRole('link', { name: 'See your return' }).click()
  await agency.getByText('This return was submitted and is now read-only.').waitFor()
  assert.match(await agency.locator('main').innerText(), /Known to the school since September 2024/)
  assert.equal(await agency.getByRole('button', { name: /Start now|Continue your return/ }).count(), 0, 'read-only after submission')
  await agency.context().close()

  await staff.goto(caseUrl)
  assert.match(await staff.locator('.govuk-summary-list').last().innerText(), /Submitted/)
  assert.equal(await checkNarrow(staff, 'case-with-returns'), 0)
  // The Business Unit reads the submitted return.
  await staff.getByRole('link', { name: `Read the return from ${agencyName}` }).click()
  await staff.getByRole('heading', { name: /^Return from / }).waitFor()
  assert.match(await staff.locator('main').innerText(), /Known to the school since September 2024/)
  assert.deepEqual(await axeViolations(staff), [])
  assert.equal(await checkNarrow(staff, 'case-return'), 0)
  await staff.goto(caseUrl)
  // Going ahead without the other returns lets the papers pack be built; each is
  // confirmed first, and the case page says what happened.
  while (await staff.getByRole('button', { name: /Go ahead without it/ }).count() > 0) {
    await staff.getByRole('button', { name: /Go ahead without it/ }).first().click()
    await staff.getByRole('heading', { name: /^Go ahead without the return from / }).waitFor()
    assert.deepEqual(await axeViolations(staff), [])
    await staff.getByRole('button', { name: 'Go ahead without it' }).click()
    await staff.getByText('The review goes ahead without this return.').waitFor()
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
