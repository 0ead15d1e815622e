// The live viewer of a running run in a real headless Chromium: opened with ?token= on a server
// that needs one, it follows the run's events stream (same origin, token passed on) to run_end.
// Locally skipped without Chromium; in CI (CI=true) a missing browser fails it.

import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scriptedRlm, startServer } from './harness.ts'

const CHROMIUM = process.env.RLM_CHROMIUM ?? '/usr/bin/chromium'
const hasBrowser = existsSync(CHROMIUM)
const inCi = process.env.CI === 'true' || process.env.CI === '1'

describe.skipIf(!hasBrowser && !inCi)('GET /v1/runs/:id/view in headless Chromium', () => {
  let browser: Browser | undefined
  beforeAll(async () => {
    if (!hasBrowser) throw new Error(`CI=true but no Chromium at ${CHROMIUM}: CI must run the browser tests.`)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
  }, 60_000)
  afterAll(() => browser?.close())

  it('follows a running run live to its end, through the token it was opened with', async () => {
    const token = 'browser-token-0123456789abcdef'
    await using s = await startServer({ token, models: { m: scriptedRlm({ latencyMs: 3_000 }) } })
    const started = await s.api('/v1/runs', { method: 'POST', json: { query: 'q', context: 'one\ntwo' } })
    const { id } = (await started.json()) as { id: string }
    const page = await (browser as Browser).newPage()
    const problems: string[] = []
    const requests: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    page.on('request', (r) => requests.push(r.url()))
    await page.goto(`${s.url}/v1/runs/${id}/view?token=${token}`)
    await page.waitForSelector('body[data-ready="true"]')
    expect(await page.locator('#run-status').textContent()).not.toBe('final')
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 30_000 }).toBe('final')
    await expect.poll(() => page.locator('#live-status').count()).toBe(0)
    expect(problems).toEqual([])
    for (const url of requests) expect(url.startsWith(`${s.url}/v1/runs/${id}/`), url).toBe(true)
    expect(requests.some((u) => u.includes('/events?after=') && u.includes(`token=${token}`))).toBe(true)
    await page.close()
  }, 120_000)
})
