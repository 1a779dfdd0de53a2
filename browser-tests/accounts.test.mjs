// Two-factor sign-in, recovery codes and password changes in real Chromium, with axe on
// every page: the code computed in the test as a phone's authenticator app would.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from './server.mjs'
import { launch, axeViolations, checkNarrow, signIn } from './browser.mjs'
import { totp, keyOf } from './totp.mjs'

let server, strict, browser

before(async () => {
  server = await startServer()
  strict = await startServer('2026-11-27', { RAPID_REVIEW_TWO_FACTOR: 'required' })
  browser = await launch()
})

after(async () => {
  await browser?.close()
  server?.stop()
  strict?.stop()
})

async function freshPage () {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  return context.newPage()
}

async function signOut (page) {
  await page.getByRole('button', { name: /^Sign out/ }).first().click()
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
}

test('a user with two-factor set up at the command line signs in with a code from the app', async () => {
  const email = 'chair@demo.rapid-review.test'
  const output = server.cli('users', 'totp', '--email', email)
  const key = keyOf(output.trim().split('\n').pop())
  const page = await freshPage()
  await signIn(page, server.url, email, server.passwords[email])
  await page.getByRole('heading', { name: 'Enter your security code' }).waitFor()
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'two-factor-code'), 0)
  await page.getByLabel('Security code').fill('000000')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.match(await page.locator('.govuk-error-summary').innerText(), /security code is not right/)
  assert.deepEqual(await axeViolations(page), [])
  await page.getByLabel('Security code').fill(totp(key))
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('link', { name: 'Your account' }).waitFor()
  await page.context().close()
})

test('when two-factor sign-in is required, a new user sets it up before any page and keeps recovery codes', async () => {
  const email = 'business@demo.rapid-review.test'
  const page = await freshPage()
  await signIn(page, strict.url, email, strict.passwords[email])
  await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor()
  await page.goto(`${strict.url}/cases`)
  await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor()
  assert.ok(await page.locator('img[alt^="QR code"]').isVisible())
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'two-factor-setup'), 0)
  const key = (await page.locator('.app-key').innerText()).trim()
  await page.getByLabel('Security code from the app').fill(totp(key))
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('heading', { name: 'Two-factor sign-in is set up' }).waitFor()
  const codes = await page.locator('.app-recovery-codes code').allInnerTexts()
  assert.equal(codes.length, 10)
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'recovery-codes'), 0)
  await page.getByRole('link', { name: /continue/ }).click()
  await page.getByRole('link', { name: 'Your account' }).waitFor()

  // Lost phone: a recovery code signs in once, and the account page says how many are left.
  await signOut(page)
  await signIn(page, strict.url, email, strict.passwords[email])
  await page.getByRole('heading', { name: 'Enter your security code' }).waitFor()
  await page.getByLabel('Security code').fill(codes[0])
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByText('You have 9 left').waitFor()
  assert.deepEqual(await axeViolations(page), [])
  await signOut(page)
  await signIn(page, strict.url, email, strict.passwords[email])
  await page.getByLabel('Security code').fill(codes[0])
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  await page.context().close()
})

test('a user changes their password: a weak one is refused with the reason, a good one works next time', async () => {
  const email = 'viewer@demo.rapid-review.test'
  const page = await freshPage()
  await signIn(page, server.url, email, server.passwords[email])
  await page.goto(`${server.url}/account`)
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await checkNarrow(page, 'account'), 0)
  await page.getByLabel('Current password').fill(server.passwords[email])
  await page.getByLabel('New password', { exact: true }).fill('password1234')
  await page.getByLabel('Confirm the new password').fill('password1234')
  await page.getByRole('button', { name: 'Change password' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Choose a different new password/)
  assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#new')
  assert.deepEqual(await axeViolations(page), [])
  const fresh = 'marble orchard lantern seventy'
  await page.getByLabel('Current password').fill(server.passwords[email])
  await page.getByLabel('New password', { exact: true }).fill(fresh)
  await page.getByLabel('Confirm the new password').fill(fresh)
  await page.getByRole('button', { name: 'Change password' }).click()
  await page.getByText('Your password is changed').waitFor()
  await signOut(page)
  await signIn(page, server.url, email, server.passwords[email])
  await page.locator('.govuk-error-summary').waitFor()
  await signIn(page, server.url, email, fresh)
  await page.getByRole('link', { name: 'Your account' }).waitFor()
  await page.context().close()
})
