// Debian's Chromium driven by playwright-core, headless, plus axe-core checks.
import { createRequire } from 'node:module'
import { readFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
export const screenshots = new URL('../target/browser-screenshots/', import.meta.url).pathname
mkdirSync(screenshots, { recursive: true })

export async function launch () {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic']
  })
}

/** Runs axe-core in the page (through the DevTools protocol, which the page's CSP does not govern). */
export async function axeViolations (page) {
  await page.evaluate(axeSource)
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }))
  const found = result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
  return found.concat(await unnamedControls(page), await unexplained(page))
}

/** The abbreviations a page must write out in full where it first uses them. */
const ABBREVIATIONS = {
  ESG: 'Executive Strategic Group',
  LCSPR: 'Local Child Safeguarding Practice Review',
  ALA: 'Alternative Learning Activity',
  JCR: 'Joint Case Review'
}

/** Each abbreviation whose first use on the page is not after its full form. */
export async function unexplained (page) {
  const text = await page.locator('main').innerText().catch(() => '')
  return Object.entries(ABBREVIATIONS).flatMap(([short, full]) => {
    const first = text.search(new RegExp(`\\b${short}\\b`))
    if (first < 0) return []
    const written = text.toLowerCase().indexOf(full.toLowerCase())
    return written >= 0 && written < first ? [] : [`unexplained-abbreviation: ${short} is used before "${full}"`]
  })
}

/** Every form control on the page without an accessible name of its own: axe passes a
 *  radio group whose first radio has no label when the fieldset has a legend, but a
 *  screen reader then reads that radio with no name. So each input, select, textarea
 *  and button must have a label (for it, or around it), aria-label(ledby) or text. */
export async function unnamedControls (page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter(el => el.type !== 'hidden')
    .filter(el => {
      const labelled = (el.labels && [...el.labels].some(l => l.textContent.trim() !== '')) ||
        (el.getAttribute('aria-label') || '').trim() !== '' ||
        (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => id && document.getElementById(id)?.textContent.trim()) ||
        (el.tagName === 'BUTTON' && el.textContent.trim() !== '') ||
        (['submit', 'button'].includes(el.type) && el.tagName === 'INPUT' && (el.value || '').trim() !== '')
      return !labelled
    })
    .map(el => `unnamed-control: ${el.tagName.toLowerCase()}#${el.id || '(no id)'} name=${el.name || ''}`))
}

/** Checks a page at 320 px wide: nothing overflows sideways; keeps a screenshot. Also
 *  checks that the page has no inline script, style element or style attribute. */
export async function checkNarrow (page, name) {
  const inline = await page.evaluate(() => document.querySelectorAll('script:not([src]), style, [style]').length)
  if (inline !== 0) throw new Error(`${name}: ${inline} inline script or style`)
  await page.setViewportSize({ width: 320, height: 800 })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  await page.screenshot({ path: join(screenshots, `${name}-320.png`), fullPage: true })
  await page.setViewportSize({ width: 1280, height: 800 })
  return overflow
}

/** A new browser context at 1280 px, signed in as `email` (a demo user), on the dashboard. */
export async function signedInPage (browser, server, email, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
  const page = await context.newPage()
  await signIn(page, server.url, email, server.passwords[email])
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor()
  return page
}

export async function signIn (page, url, email, password) {
  await page.goto(`${url}/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}
