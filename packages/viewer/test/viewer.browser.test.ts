// The page in a real headless Chromium. Locally these tests skip when no Chromium is installed; in
// CI (CI=true) a missing browser fails them, so a green CI always means the page was drawn.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRlm } from '@rlm/engine'
import { createScripted } from '@rlm/providers'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderTraceHtml } from '../src/index.ts'
import { hostile, jsonl, traces } from './hostile-traces.ts'

const CHROMIUM = process.env.RLM_CHROMIUM ?? '/usr/bin/chromium'
const hasBrowser = existsSync(CHROMIUM)
const inCi = process.env.CI === 'true' || process.env.CI === '1'
if (!hasBrowser && !inCi)
  console.warn(
    `viewer browser tests skipped: no Chromium at ${CHROMIUM} (install it with .ci/setup-browser or set RLM_CHROMIUM)`,
  )
const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts')
const dir = mkdtempSync(join(tmpdir(), 'rlm-viewer-'))
const js = (code: string): string => '```js\n' + code + '\n```'

/** A synthetic trace: a root with `subCalls` sub-calls and one child, with hostile text in it. */
function syntheticTrace(subCalls: number): unknown[] {
  const { base, usage, runStart, iteration, reply } = traces
  const events: unknown[] = [
    { ...runStart, query: 'big run' },
    iteration,
    { ...reply, text: 'reply </script><script>window.__pwned = 1</script>' },
  ]
  for (let i = 0; i < subCalls; i++) {
    const call = { ...base(), callId: `0:${i}`, promptHash: 'x' }
    events.push({
      ...call,
      type: 'subcall_start',
      prompt: `prompt number ${i}`,
      promptChars: 16,
      model: 'm:b',
    })
    events.push({
      ...call,
      type: 'subcall_end',
      status: 'ok',
      answer: `answer ${i}`,
      usage,
      durationMs: 3,
      cached: false,
    })
  }
  const output = '<img src=x onerror="window.__pwned=2">'
  const cell = { iteration: 1, cell: 0, code: 'print("<b>not bold</b>")', output, ok: true, durationMs: 4 }
  const end = { iteration: 1, reply: 'x', code: [], output: '', final: true, durationMs: 1, usage }
  events.push(
    { ...base(), type: 'code_end', ...cell },
    { ...base(), type: 'iteration_end', ...end, final: false },
    { ...base('0.1', 1), type: 'child_start', parentId: '0', query: 'child question', contextLength: 5 },
    { ...base('0.1', 1), type: 'iteration_start', iteration: 1 },
    { ...base('0.1', 1), type: 'iteration_end', ...end },
    {
      ...base('0.1', 1),
      type: 'child_end',
      parentId: '0',
      status: 'final',
      answer: 'child',
      usage,
      durationMs: 3,
    },
    { ...traces.runEnd, answer: 'done \u2028 </script>', subCalls, maxDepthReached: 2 },
  )
  return events
}

/** A real trace: the engine with scripted models, one batch of sub-calls and one child RLM. */
async function engineTrace(): Promise<string> {
  const trace = join(dir, 'engine.jsonl')
  const model = createScripted((req) => {
    const head = req.messages[1]!.content
    if (head.includes('Query: CHILD')) return js('FINAL("child saw " + context)')
    if (req.messages.filter((m) => m.role === 'assistant').length === 0)
      return js(
        'const parts = await llm_query_batched(["vault access code?", "b"])\nconst kid = await rlm_query("CHILD", "zz")',
      )
    return js('print(parts.length)\nFINAL(parts.join(";") + "|" + kid)')
  })
  await createRlm({
    model,
    subModel: createScripted((req) => `answer to ${req.messages.length}`),
    trace,
  }).run({
    query: 'root question',
    context: 'the context',
  })
  return trace
}

describe.skipIf(!hasBrowser && !inCi)('the viewer in headless Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    if (!hasBrowser)
      throw new Error(
        `CI=true but no Chromium at ${CHROMIUM}: CI must run the viewer's browser tests (.ci/setup-browser).`,
      )
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

  async function open(html: string, name: string) {
    const file = join(dir, name)
    writeFileSync(file, html)
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
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 })
    return { page, problems, requests }
  }

  it('renders an engine trace: tree, node expansion, iteration details; no errors, no requests', async () => {
    const { page, problems, requests } = await open(
      renderTraceHtml(readFileSync(await engineTrace(), 'utf8')),
      'engine.html',
    )
    expect(await page.locator('.tnode').count()).toBe(2) // root expanded, showing its child RLM
    await page.locator('.tnode[data-node-id="0"] .toggle').click()
    expect(await page.locator('.tnode').count()).toBe(1) // collapsed
    await page.locator('.tnode[data-node-id="0"] .toggle').click()
    await page.locator('.tnode[data-node-id="0.1"]').click()
    await expect.poll(() => page.locator('#detail h2').first().textContent()).toContain('Child 0.1')
    await page.locator('.tnode[data-node-id="0"]').click()
    const first = page.locator('details.iteration[data-iteration="1"]')
    await first.locator('summary').click()
    await expect.poll(() => first.locator('pre.code').first().textContent()).toContain('llm_query_batched')
    await page.locator('#subcalls .vrow').first().click()
    await expect
      .poll(() => page.locator('#subcall-detail pre.prompt').textContent())
      .toContain('vault access code')
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'rlm-viewer.png'), fullPage: true })
    expect(await page.locator('#viewer-error').isHidden()).toBe(true)
    expect(problems).toEqual([])
    expect(requests).toEqual([])
    await page.close()
  }, 60_000)

  it('stays light with 10,000 sub-calls and never runs markup from the trace', async () => {
    const { page, problems, requests } = await open(renderTraceHtml(syntheticTrace(10_000)), 'big.html')
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

  it('draws every hostile trace with its error rows: no page error, never a blank page', async () => {
    // Each hostile trace, and the row that must show what was wrong with it.
    const cases: Array<[string, string, string]> = [
      ['nullText', hostile.nullText(), '#issues'],
      ['missingContext', hostile.missingContext(), '#issues'],
      ['deepSettings', hostile.deepSettings(), '#problems .limit'],
      ['manyNodesNoEnd', hostile.manyNodesNoEnd(), '#header .limit'],
      ['deepChain', hostile.deepChain(), '.tnode[data-node-id="0.1"]'],
      ['stringCost', hostile.stringCost(), '#notes .note.error'],
      ['onlyGarbage', jsonl(['x', { a: 1 }]), '#no-runs'],
    ]
    for (const [name, trace, row] of cases) {
      const { page, problems, requests } = await open(renderTraceHtml(trace), `${name}.html`)
      expect(await page.locator('#viewer-error').isHidden(), name).toBe(true)
      expect(await page.locator(row).count(), `${name}: ${row}`).toBeGreaterThan(0)
      expect(problems, name).toEqual([])
      expect(requests, name).toEqual([])
      await page.close()
    }
  }, 120_000)
  it('a live page folds the events of its SSE stream as they arrive, bad ones as error rows', async () => {
    const lines = readFileSync(await engineTrace(), 'utf8')
      .trim()
      .split('\n')
    const [first, rest] = [lines.slice(0, 3), lines.slice(3)]
    const hostileReply = JSON.parse(lines.find((l) => l.includes('"model_reply"')) as string)
    const streamed = [
      ...rest.slice(0, 4),
      'not json',
      JSON.stringify({ ...hostileReply, text: null }),
      ...rest.slice(4),
    ]
    const requests: string[] = []
    const server = createServer((req, res) => {
      requests.push(req.url as string)
      if (req.url === '/view')
        return res.end(renderTraceHtml(first.join('\n'), { eventsUrl: '/events?after=3' }))
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
      let i = 0
      const timer = setInterval(() => {
        const data = streamed[i++]
        if (data === undefined) return clearInterval(timer)
        // half the messages named by their event type, as a server may send them
        const name = i % 2 && data.startsWith('{') ? `event: ${JSON.parse(data).type}\n` : ''
        res.write(`${name}id: ${i}\ndata: ${data}\n\n`)
      }, 20)
      req.on('close', () => clearInterval(timer))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const page = await browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await page.goto(`http://127.0.0.1:${port}/view`)
    await page.waitForSelector('body[data-ready="true"]')
    await expect.poll(() => page.locator('#run-status').textContent(), { timeout: 20_000 }).toBe('final')
    await expect.poll(() => page.locator('#live-status').count()).toBe(0) // stopped after the root's run_end
    expect(await page.locator('.tnode').count()).toBe(2)
    expect(await page.locator('#issues summary').textContent()).toMatch(/^2 problem/)
    expect(await page.locator('#notes .note.error').count()).toBe(1) // text: null, under the root
    expect(problems).toEqual([])
    expect(requests).toEqual(['/view', '/events?after=3'])
    await page.close()
    server.closeAllConnections()
    server.close()
  }, 60_000)
})
