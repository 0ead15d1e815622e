import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RlmEvent } from '@rlm/engine'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildViewerHtml } from '../src/viewer/viewer-html.ts'
import { runCli, tempDir } from './run-cli.ts'
import { ERROR_LINE } from './schemas.ts'

const CHROMIUM = process.env.RLM_CHROMIUM ?? '/usr/bin/chromium'
const hasBrowser = existsSync(CHROMIUM)
if (!hasBrowser)
  console.warn(
    `viewer browser tests skipped: no Chromium at ${CHROMIUM} (install it with .ci/setup-browser or set RLM_CHROMIUM)`,
  )
const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts')

/** A synthetic trace: a root with `subCalls` sub-calls and one child, with hostile text in it. */
function syntheticTrace(subCalls: number): RlmEvent[] {
  const base = (nodeId: string, depth: number) => ({
    runId: 'r1',
    nodeId,
    depth,
    timestamp: 1_700_000_000_000,
  })
  const usage = {
    inputTokens: 10,
    outputTokens: 2,
    cachedInputTokens: 0,
    costUsd: 0.001,
    calls: 1,
    unpricedCalls: 0,
  }
  const events: RlmEvent[] = [
    {
      ...base('0', 0),
      type: 'run_start',
      query: 'big run',
      promptVersion: 'p',
      model: 'm:a',
      subModel: 'm:b',
      context: { length: 10, documents: 1, hash: 'h' },
      settings: {},
    },
    { ...base('0', 0), type: 'iteration_start', iteration: 1 },
    {
      ...base('0', 0),
      type: 'model_reply',
      purpose: 'iteration',
      iteration: 1,
      text: 'reply </script><script>window.__pwned = 1</script>',
      usage,
      durationMs: 5,
      cached: false,
    },
  ]
  for (let i = 0; i < subCalls; i++) {
    events.push({
      ...base('0', 0),
      type: 'subcall_start',
      callId: `0:${i}`,
      prompt: `prompt number ${i}`,
      promptChars: 16,
      promptHash: 'x',
      model: 'm:b',
    })
    events.push({
      ...base('0', 0),
      type: 'subcall_end',
      callId: `0:${i}`,
      promptHash: 'x',
      status: 'ok',
      answer: `answer ${i}`,
      usage,
      durationMs: 3,
      cached: false,
    })
  }
  events.push(
    {
      ...base('0', 0),
      type: 'code_end',
      iteration: 1,
      cell: 0,
      code: 'print("<b>not bold</b>")',
      output: '<img src=x onerror="window.__pwned=2">',
      ok: true,
      durationMs: 4,
    },
    {
      ...base('0', 0),
      type: 'iteration_end',
      iteration: 1,
      reply: 'r',
      code: ['c'],
      output: 'o',
      final: false,
      durationMs: 9,
      usage,
    },
    { ...base('0.1', 1), type: 'child_start', parentId: '0', query: 'child question', contextLength: 5 },
    { ...base('0.1', 1), type: 'iteration_start', iteration: 1 },
    {
      ...base('0.1', 1),
      type: 'iteration_end',
      iteration: 1,
      reply: 'x',
      code: [],
      output: '',
      final: true,
      durationMs: 1,
      usage,
    },
    {
      ...base('0.1', 1),
      type: 'child_end',
      parentId: '0',
      status: 'final',
      answer: 'child answer',
      usage,
      durationMs: 3,
    },
    {
      ...base('0', 0),
      type: 'run_end',
      status: 'final',
      answer: 'done \u2028 </script>',
      usage,
      durationMs: 100,
      subCalls,
      maxDepthReached: 2,
    },
  )
  return events
}

describe('rlm view', { concurrent: true }, () => {
  it('writes one self-contained HTML file and prints its path', async () => {
    const dir = tempDir()
    const trace = join(dir, 't.jsonl')
    writeFileSync(
      trace,
      `${syntheticTrace(3)
        .map((e) => JSON.stringify(e))
        .join('\n')}\nnot json\n`,
    )
    const r = await runCli(['view', trace, '-o', join(dir, 'out', 'v.html')], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.trim()).toBe(join(dir, 'out', 'v.html'))
    const html = readFileSync(join(dir, 'out', 'v.html'), 'utf8')
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i)
    expect(html).toContain("default-src 'none'")
    // the hostile "</script>" in the data is escaped: exactly the two script elements end
    expect(html.match(/<\/script>/g)).toHaveLength(2)
    expect(r.stderr).toContain('1 unreadable lines skipped')
  })

  it('exits 2 with one error line for a missing or empty trace, writing no HTML', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'empty.jsonl'), 'garbage\n')
    for (const name of ['missing.jsonl', 'empty.jsonl']) {
      const r = await runCli(['view', join(dir, name), '-o', join(dir, 'x.html')], { cwd: dir })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(ERROR_LINE)
      expect(r.stderr).toContain('E_TRACE')
      expect(existsSync(join(dir, 'x.html'))).toBe(false)
    }
  })
})

describe.skipIf(!hasBrowser)('the viewer in headless Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  }, 30_000)
  afterAll(async () => {
    await browser?.close()
  })

  async function open(file: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems: string[] = []
    const requests: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))
    page.on('request', (req) => {
      if (req.url() !== `file://${file}`) requests.push(req.url())
    })
    await page.goto(`file://${file}`)
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 })
    return { page, problems, requests }
  }

  it('renders the demo trace: tree, node expansion, iteration details; no errors, no requests', async () => {
    const dir = tempDir()
    const trace = join(dir, 'demo.jsonl')
    const demo = await runCli(['demo', '--tokens', '30000', '--trace', trace, '--no-view', '-q'], {
      cwd: dir,
      timeoutMs: 60_000,
    })
    expect(demo.code, demo.stderr).toBe(0)
    const html = join(dir, 'demo.html')
    const view = await runCli(['view', trace, '-o', html], { cwd: dir })
    expect(view.code, view.stderr).toBe(0)
    const { page, problems, requests } = await open(html)
    expect(await page.locator('.tnode').count()).toBe(2) // root expanded, showing its child RLM
    await page.locator('.tnode[data-node-id="0"] .toggle').click()
    expect(await page.locator('.tnode').count()).toBe(1) // collapsed
    await page.locator('.tnode[data-node-id="0"] .toggle').click()
    await page.locator('.tnode[data-node-id="0.1"]').click()
    await expect.poll(() => page.locator('#detail h2').first().textContent()).toContain('Child 0.1')
    await page.locator('.tnode[data-node-id="0"]').click()
    const second = page.locator('details.iteration[data-iteration="2"]')
    await second.locator('summary').click()
    await expect.poll(() => second.locator('pre.code').first().textContent()).toContain('llm_query_batched')
    expect(await page.locator('#subcalls .vrow').count()).toBeGreaterThan(0)
    await page.locator('#subcalls .vrow').first().click()
    await expect
      .poll(() => page.locator('#subcall-detail pre.prompt').textContent())
      .toContain('vault access code')
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'rlm-viewer.png'), fullPage: true })
    expect(problems).toEqual([])
    expect(requests).toEqual([])
    await page.close()
  }, 60_000)

  it('stays light with 10,000 sub-calls and never runs markup from the trace', async () => {
    const dir = tempDir()
    const file = join(dir, 'big.html')
    writeFileSync(file, buildViewerHtml(syntheticTrace(10_000)))
    const { page, problems, requests } = await open(file)
    expect(await page.locator('#subcalls .vrow').count()).toBeLessThan(60)
    await page.locator('#subcalls').evaluate((el) => {
      el.scrollTop = 28 * 9_000
      el.dispatchEvent(new Event('scroll'))
    })
    await expect.poll(() => page.locator('#subcalls .vrow[data-index="9000"]').count()).toBe(1)
    expect(await page.locator('#subcalls .vrow').count()).toBeLessThan(60)
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await page.locator('#run-answer').textContent()).toContain('</script>')
    expect(problems).toEqual([])
    expect(requests).toEqual([])
    await page.close()
  }, 30_000)
})
