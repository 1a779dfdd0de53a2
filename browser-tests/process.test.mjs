// Both paths of the process through the pages, each step by the role that records it,
// from a new case to a closed one; a validation error corrected; a refused step.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from './server.mjs'
import { launch, axeViolations, checkNarrow, signedInPage } from './browser.mjs'

// A business date after every step below, so that no step is "in the future".
const TODAY = '2027-09-30'
let server, browser

before(async () => {
  server = await startServer(TODAY)
  browser = await launch()
})

after(async () => {
  await browser?.close()
  server?.stop()
})

const people = {
  manager: 'manager@demo.rapid-review.test',
  laRep: 'la-rep@demo.rapid-review.test',
  policeRep: 'police-rep@demo.rapid-review.test',
  business: 'business@demo.rapid-review.test',
  decisions: 'decisions@demo.rapid-review.test',
  healthRep: 'health-rep@demo.rapid-review.test',
  chair: 'chair@demo.rapid-review.test'
}

/** A signed-in page for one demo person. */
function as (who) {
  return signedInPage(browser, server, people[who])
}

async function fillDate (page, id, iso) {
  const [year, month, day] = iso.split('-')
  await page.locator(`#${id}-day`).fill(String(Number(day)))
  await page.locator(`#${id}-month`).fill(String(Number(month)))
  await page.locator(`#${id}-year`).fill(year)
}

/** Records one step from the case page: follows its link, fills the form, submits. */
async function record (who, caseUrl, link, fill = async () => {}, { check = false } = {}) {
  const page = await as(who)
  await page.goto(caseUrl)
  await page.getByRole('link', { name: link, exact: true }).click()
  await page.getByRole('heading', { name: link }).waitFor()
  assert.deepEqual(await axeViolations(page), [], `${link} form`)
  assert.equal(await checkNarrow(page, `form-${link.toLowerCase().replace(/\W+/g, '-')}`), 0)
  await fill(page)
  await page.getByRole('button', { name: check ? 'Continue' : 'Record' }).click()
  if (check) {
    await page.getByRole('heading', { name: /Check your answers/ }).waitFor()
    assert.deepEqual(await axeViolations(page), [])
    assert.equal(await checkNarrow(page, 'check-answers'), 0)
    // "Change" opens the form filled in as it was sent.
    const first = await page.locator('.govuk-summary-list__value').first().innerText()
    await page.locator('.govuk-summary-list__actions button').first().click()
    await page.getByRole('heading', { name: link }).waitFor()
    assert.equal(await page.locator('.govuk-error-summary').count(), 0)
    assert.ok(first.length > 0)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: /Check your answers/ }).waitFor()
    assert.equal(await page.locator('.govuk-summary-list__value').first().innerText(), first)
    await page.getByRole('button', { name: 'Confirm and record' }).click()
  }
  await page.waitForURL(url => url.pathname === new URL(caseUrl).pathname)
  await page.locator('.govuk-notification-banner--success').waitFor()
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /timeline/)
  await page.context().close()
}

/** Posts to a discussion on the case page (a view on the ALA when `position` is given). */
async function discuss (who, caseUrl, topic, message, position) {
  const page = await as(who)
  await page.goto(caseUrl)
  if (position) await page.locator(`form[action$="/discuss/${topic}"] input[name=position][value=${position}]`).check()
  await page.locator(`#${topic}-message`).fill(message)
  await page.locator(`form[action$="/discuss/${topic}"] button`).click()
  await page.waitForURL(url => url.pathname === new URL(caseUrl).pathname)
  assert.deepEqual(await axeViolations(page), [])
  const thread = await page.locator(`#${topic} ~ ol.app-timeline`).first().innerText()
  await page.context().close()
  return thread
}

/** Sends a step's form and expects the process to refuse it, saying `reason`. */
async function refused (who, caseUrl, link, fill, reason) {
  const page = await as(who)
  await page.goto(caseUrl)
  await page.getByRole('link', { name: link, exact: true }).click()
  await fill(page)
  await page.getByRole('button', { name: 'Record' }).click()
  await page.getByText(reason).first().waitFor()
  assert.deepEqual(await axeViolations(page), [], `${link} refused`)
  await page.context().close()
}

/**
 * The Rapid Review Template from the meeting to sign-off: the Business Unit writes one
 * section and the chair another (each a new version), each partner's representative
 * signs the current version, and the whole case prints with its marking.
 */
async function writeAndSignTemplate (caseUrl) {
  for (const [who, section, text] of [
    ['business', 'Learning identified, with good practice', 'Information was not shared when the family moved.'],
    ['chair', 'Views of the family, where sought', 'The mother was seen on 20 January; her views are in the pack.']
  ]) {
    const page = await as(who)
    await page.goto(caseUrl)
    await page.getByRole('link', { name: 'Rapid Review Template', exact: true }).click()
    await page.getByRole('heading', { name: 'Rapid Review Template' }).waitFor()
    assert.deepEqual(await axeViolations(page), [], 'template page')
    assert.equal(await checkNarrow(page, `template-${who}`), 0)
    await page.getByRole('link', { name: `Change ${section}` }).click()
    await page.getByRole('heading', { name: section }).waitFor()
    assert.deepEqual(await axeViolations(page), [], `${section} form`)
    await page.locator('#text').fill(text)
    await page.getByRole('button', { name: 'Save as a new version' }).click()
    await page.locator('.govuk-notification-banner--success').waitFor()
    await page.getByText(text).waitFor()
    await page.context().close()
  }
  for (const [who, partner] of [['laRep', 'Local authority'], ['healthRep', 'Health'], ['policeRep', 'Police']]) {
    const page = await as(who)
    await page.goto(`${caseUrl}/template`)
    await page.getByRole('button', { name: `Sign off version 2 for ${partner}` }).click()
    await page.locator('.govuk-notification-banner--success').waitFor()
    assert.deepEqual(await axeViolations(page), [], 'signed')
    await page.context().close()
  }
  const page = await as('manager')
  await page.goto(`${caseUrl}/template`)
  assert.equal((await page.getByText(/^Signed off by /).count()), 3)
  await page.goto(`${caseUrl}?print=1`)
  await page.getByText('OFFICIAL-SENSITIVE').first().waitFor()
  assert.equal(await page.getByRole('link', { name: 'Your account' }).count(), 0)
  assert.deepEqual(await axeViolations(page), [], 'print view')
  await page.context().close()
}

async function newCase (route, awareOn) {
  const page = await as('manager')
  await page.goto(`${server.url}/cases`)
  await page.getByRole('button', { name: 'Report a new incident' }).click()
  await page.getByRole('heading', { name: 'Report a serious incident' }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'new-case'), 0)
  // Sent empty: every missing answer at once, in the order of the page.
  await page.getByRole('button', { name: 'Open the case' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  const anchors = await page.locator('.govuk-error-summary a').evaluateAll(a => a.map(l => l.getAttribute('href')))
  assert.deepEqual(anchors, ['#route', '#referring_agency', '#incident-kind', '#incident-occurred_on-day',
    '#incident-summary', '#children-0-initials', '#children-0-sex'])
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Select how the partnership heard of it/)
  assert.deepEqual(await axeViolations(page), [])
  await page.locator(`input[name=route][value=${route}]`).check()
  await fillDate(page, 'reported_on', awareOn)
  await fillDate(page, 'aware_on', awareOn)
  await page.locator('input[name=referring_agency]').first().check()
  await page.locator('input[name=incident-kind][value=serious_harm]').check()
  await fillDate(page, 'incident-occurred_on', awareOn)
  await page.locator('#children-0-initials').fill('XY')
  await page.locator('input[name=children-0-sex][value=unknown]').check()
  // Leave the summary out: the form comes back with the error linked to the field, and
  // every answer given kept.
  await page.getByRole('button', { name: 'Open the case' }).click()
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  assert.match(await summary.innerText(), /Enter a summary of the incident, without names/)
  assert.equal(await summary.locator('a').first().getAttribute('href'), '#incident-summary')
  assert.equal(await page.locator('#children-0-initials').inputValue(), 'XY')
  assert.ok(await page.locator(`input[name=route][value=${route}]`).isChecked())
  assert.deepEqual(await axeViolations(page), [])
  await page.locator('#incident-summary').fill('Synthetic incident for the browser tests.')
  await page.getByRole('button', { name: 'Open the case' }).click()
  await page.getByRole('heading', { name: /^Case RR-/ }).waitFor()
  const url = page.url()
  await page.context().close()
  return url
}

async function stageOf (caseUrl) {
  const page = await as('manager')
  await page.goto(caseUrl)
  const text = await page.locator('.govuk-summary-list').first().innerText()
  await page.context().close()
  return text
}

test('not met, an alternative learning activity decided by all four, completed and closed', async () => {
  const caseUrl = await newCase('children_services', '2027-03-01')
  await record('decisions', caseUrl, 'Decide whether the Serious Harm threshold is met', async page => {
    await fillDate(page, 'on', '2027-03-03')
    await page.locator('input[name=outcome][value=not_met]').check()
    await page.locator('#rationale').fill('Harm not likely to be long term.')
  }, { check: true })
  await record('decisions', caseUrl, 'Feed back the threshold decision', page => fillDate(page, 'on', '2027-03-03'))
  await record('decisions', caseUrl, 'Propose an Alternative Learning Activity', async page => {
    await fillDate(page, 'on', '2027-03-08')
    await page.locator('input[name=activity][value=audit]').check()
    await page.locator('input[name=criteria][value=recurring_theme]').check()
    await page.locator('#proposal').fill('Audit of neglect referrals.')
  })
  // The decision is not offered until each of the three partner representatives and
  // the Partnership Manager has given a view; the case page says who is still to.
  const waiting = await as('manager')
  await waiting.goto(caseUrl)
  await waiting.getByText('Still to give one: Local authority, Health, Police, Partnership Manager.').waitFor()
  assert.equal(await waiting.getByRole('link', { name: 'Decide on the Alternative Learning Activity', exact: true }).count(), 0)
  await waiting.context().close()
  const views = [['laRep', 'Supports an audit.'], ['healthRep', 'Health will join the audit.'],
    ['policeRep', 'Police records show the same pattern.'], ['manager', 'Agreed: the QA sub-group leads.']]
  for (const [who, reason] of views) {
    await record(who, caseUrl, 'Record your view on the Alternative Learning Activity', async page => {
      await fillDate(page, 'on', '2027-03-10')
      await page.locator('input[name=view][value=undertake]').check()
      await page.locator('#reason').fill(reason)
    })
  }
  await discuss('healthRep', caseUrl, 'ala', 'Health can lead the fieldwork.', 'undertake')
  await record('manager', caseUrl, 'Decide on the Alternative Learning Activity', async page => {
    await fillDate(page, 'on', '2027-03-15')
    await page.locator('input[name=decision][value=undertake]').check()
    await page.locator('#lead_group').fill('QA sub-group')
    for (const who of ['local_authority', 'health', 'police', 'partnership_manager']) {
      assert.ok(await page.locator(`input[name=decided_by][value=${who}]`).isChecked(), `${who} took part`)
    }
  })
  await record('business', caseUrl, 'Record what the Alternative Learning Activity found', async page => {
    await fillDate(page, 'on', '2027-05-03')
    await page.locator('#learning').fill('Referral thresholds were applied unevenly.')
  })
  await record('manager', caseUrl, 'Close the case', page => fillDate(page, 'on', '2027-05-04'))
  assert.match(await stageOf(caseUrl), /Closed/)
})

test('serious harm, after a challenge overturns the decision, through to a published review and a closed case', async () => {
  const caseUrl = await newCase('partner_agency', '2027-01-04')
  await record('business', caseUrl, 'Forward the details to the local authority', page => fillDate(page, 'on', '2027-01-04'))
  await record('decisions', caseUrl, 'Decide whether the Serious Harm threshold is met', async page => {
    await fillDate(page, 'on', '2027-01-05')
    await page.locator('input[name=outcome][value=not_met]').check()
    await page.locator('#rationale').fill('Below threshold.')
  }, { check: true })
  await record('business', caseUrl, 'Feed back the threshold decision', page => fillDate(page, 'on', '2027-01-05'))
  // The partners discuss the decision in a thread before challenging it.
  await discuss('healthRep', caseUrl, 'challenge', 'Health thinks the impairment is likely to be long term.')
  const thread = await discuss('manager', caseUrl, 'challenge', 'Agreed: please record the challenge.')
  assert.match(thread, /Health representative[\s\S]*Partnership Manager/)
  await record('healthRep', caseUrl, 'Challenge the threshold decision', async page => {
    await fillDate(page, 'on', '2027-01-06')
    await page.locator('#grounds').fill('Long-term impairment is likely.')
  })
  for (const [who, position] of [['laRep', 'agree_with_decision'], ['healthRep', 'challenge'], ['policeRep', 'challenge'], ['manager', 'challenge']]) {
    await record(who, caseUrl, 'Record your position on the threshold decision', async page => {
      await fillDate(page, 'on', '2027-01-06')
      await page.locator(`input[name=position][value=${position}]`).check()
      await page.locator('#reason').fill(`The ${who} position, with its reason.`)
    })
  }
  await record('manager', caseUrl, 'Resolve the challenge', async page => {
    await fillDate(page, 'on', '2027-01-07')
    await page.locator('input[name=outcome][value=overturned]').check()
    await page.locator('#rationale').fill('Met on review.')
  })
  await record('decisions', caseUrl, 'Notify the National Panel', async page => {
    await fillDate(page, 'on', '2027-01-08')
    await page.locator('#reference').fill('NP-BROWSER-1')
  })
  await record('decisions', caseUrl, 'Submit the referral form', page => fillDate(page, 'on', '2027-01-08'))
  await record('business', caseUrl, 'Ask the agencies for information', async page => {
    await fillDate(page, 'on', '2027-01-11')
    await page.locator('input[name=agencies]').first().check()
  })
  await record('business', caseUrl, 'Schedule the Rapid Review meeting', async page => {
    await fillDate(page, 'on', '2027-01-12')
    await fillDate(page, 'meeting_on', '2027-01-19')
    await page.locator('input[name=meeting_kind][value=extraordinary]').check()
  })
  await record('business', caseUrl, 'Record an agency\'s return', async page => {
    await fillDate(page, 'on', '2027-01-15')
    await page.locator('input[name=agency]').first().check()
  })
  await record('business', caseUrl, 'Share the papers with those attending', page => fillDate(page, 'on', '2027-01-18'))
  await record('chair', caseUrl, 'Record the Rapid Review meeting', async page => {
    await fillDate(page, 'on', '2027-01-19')
    await page.locator('input[name=recommendation][value=lcspr]').check()
    await page.locator('#rationale').fill('Learning across agencies.')
    for (const c of ['improvements_needed', 'recurring_themes', 'multi_agency_concerns']) {
      await page.locator(`input[name=criteria-${c}][value=yes]`).check()
    }
    await page.locator('input[name=criteria-panel_view][value=no]').check()
  }, { check: true })
  const submit = page => fillDate(page, 'on', '2027-01-25')
  await refused('business', caseUrl, 'Submit the Rapid Review to the National Panel', submit, /Rapid Review Template/)
  await writeAndSignTemplate(caseUrl)
  await record('business', caseUrl, 'Submit the Rapid Review to the National Panel', submit)
  // Submitted: the template is frozen, and the case page offers the letters.
  const frozen = await as('business')
  await frozen.goto(`${caseUrl}/template`)
  await frozen.getByText('Version 2 went to the National Panel').waitFor()
  assert.equal(await frozen.getByRole('link', { name: /^Change/ }).count(), 0)
  await frozen.goto(caseUrl)
  await frozen.getByRole('link', { name: 'Covering letter to the National Panel (DOCX)' }).waitFor()
  await frozen.context().close()
  await record('business', caseUrl, 'Tell the agencies the outcome', page => fillDate(page, 'on', '2027-01-26'))
  await record('business', caseUrl, 'Record the National Panel\'s response', async page => {
    await fillDate(page, 'on', '2027-02-15')
    await page.locator('input[name=panel_agrees][value=yes]').check()
    await page.locator('input[name=national_review][value=no]').check()
  })
  await record('chair', caseUrl, 'Recommend a lead sub-group to the Executive Strategic Group', async page => {
    await fillDate(page, 'on', '2027-02-16')
    await page.locator('#subgroup').fill('Learning and Improvement')
  })
  await record('business', caseUrl, 'Commission the local child safeguarding practice review', async page => {
    await fillDate(page, 'on', '2027-02-22')
    await page.locator('#reviewer').fill('Independent reviewer')
    await fillDate(page, 'planned_publication_on', '2027-07-16')
  })
  await record('business', caseUrl, 'Send the local review to the National Panel', page => fillDate(page, 'on', '2027-07-01'))
  await record('business', caseUrl, 'Record that the local review is published', page => fillDate(page, 'on', '2027-07-16'))
  await record('manager', caseUrl, 'Close the case', page => fillDate(page, 'on', '2027-07-19'))
  assert.match(await stageOf(caseUrl), /Closed/)
})

test('a step the process does not allow now is refused, and is not offered on the case page', async () => {
  const caseUrl = await newCase('children_services', '2027-06-01')
  const page = await as('decisions')
  await page.goto(caseUrl)
  assert.equal(await page.getByRole('link', { name: 'Notify the National Panel', exact: true }).count(), 0)
  await page.goto(`${caseUrl}/record/panel_notified`)
  await page.getByRole('heading', { name: 'This step is not open now' }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  await page.context().close()
})
