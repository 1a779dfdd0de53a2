// Builds the front-end assets the service embeds: GOV.UK Frontend's styles compiled
// with Arial (the GDS Transport font and the crown are for GOV.UK only) plus our own
// few styles, its JavaScript, and our start-up script. Output: crates/web/assets/.
import { mkdirSync, copyFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'crates/web/assets')
mkdirSync(out, { recursive: true })

const css = sass.compile(join(root, 'frontend/app.scss'), { style: 'compressed' })
writeFileSync(join(out, 'app.css'), css.css)
copyFileSync(join(root, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'))
copyFileSync(join(root, 'frontend/app.js'), join(out, 'app.js'))
console.log(`built ${out}: app.css (${css.css.length} bytes), govuk-frontend.min.js, app.js`)
