import { it } from 'vitest'
import { launchBrowser } from './support/browser.js'
import { startServer } from './support/server.js'
import { signIn, useToken } from './support/session.js'

it('debug', async () => {
  const server = await startServer()
  const b = await launchBrowser()
  await useToken(b, await signIn(server.url, 'sysadmin'))
  const page = await b.page()
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text()))
  await page.goto(`${server.url}/admin/forms`)
  await page.locator('table.forms tbody tr').filter({ hasText: 'archive_honours' }).getByRole('link', { name: '各项荣誉' }).click()
  await new Promise((r) => setTimeout(r, 8000))
  console.log('URL', page.url())
  console.log('H1', await page.locator('h1').allInnerTexts())
  console.log('TEXT', (await page.locator('main').innerText()).slice(0, 1500))
  console.log('ERRORS', b.errors)
  await b.close()
  await server.stop()
}, 120000)
