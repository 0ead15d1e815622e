// @rlm/mcp benchmark: what the MCP layer adds to a call — rlm_ask over an in-memory transport
// against the same one-turn run through run() directly, context_search on a 16 MiB file against
// loadContext + searchAsync directly — and the cold start of `rlm mcp` over stdio (spawn to the
// answer of tools/list) against a bare `node -e 0`.
// Run: node --conditions=@rlm/source --expose-gc bench/index.ts  (or `pnpm bench mcp` at the root)

import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { loadContext } from '@rlm/context'
import { createRlm } from '@rlm/engine'
import { createScripted } from '@rlm/providers'
import { createMcpServer } from '../src/index.ts'

const quick = process.env.RLM_BENCH_QUICK === '1'
const rounds = quick ? 5 : 20

interface Figure {
  name: string
  value: number
  unit: string
  ideal: number | null
  samples: number[]
}
const figures: Figure[] = []

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}
function add(name: string, samples: number[], ideal: number | null = null): void {
  figures.push({ name, value: median(samples), unit: 'ms', ideal, samples })
}

const answer = () => createScripted(() => '```js\nFINAL("ok")\n```')
const dir = mkdtempSync(join(tmpdir(), 'rlm-mcp-bench-'))
const line = 'INFO 2026-01-01 service=api latency_ms=12 path=/v1/items status=200\n'
writeFileSync(join(dir, 'big.log'), `${line.repeat(Math.floor((16 * 2 ** 20) / line.length))}ERROR needle\n`)

const server = createMcpServer({ engine: () => ({ model: answer() }), roots: [dir] })
const client = new Client({ name: 'bench', version: '1' })
const [a, b] = InMemoryTransport.createLinkedPair()
await server.connect(a)
await client.connect(b)
const rlm = createRlm({ model: answer() })
const ask = () => client.callTool({ name: 'rlm_ask', arguments: { question: 'q', text: 'some text' } })
const direct = () => rlm.run({ query: 'q', context: 'some text' })
const search = () =>
  client.callTool({ name: 'context_search', arguments: { paths: ['big.log'], pattern: 'ERROR \\w+' } })
const directSearch = async () =>
  (await loadContext({ path: join(dir, 'big.log') })).searchAsync('ERROR \\w+', { limit: 101 })

for (let i = 0; i < 3; i++) await Promise.all([ask(), direct(), search(), directSearch()])
const t = {
  ask: [] as number[],
  direct: [] as number[],
  search: [] as number[],
  directSearch: [] as number[],
}
for (let r = 0; r < rounds; r++) {
  t.direct.push(await time(direct))
  t.ask.push(await time(ask))
  t.directSearch.push(await time(directSearch))
  t.search.push(await time(search))
}
add('one-turn run, direct run() (zero-latency model, 9-character context)', t.direct)
add('the same as rlm_ask over MCP (in memory)', t.ask, median(t.direct))
add('context_search, 16 MiB file: loadContext + searchAsync directly', t.directSearch)
add('the same through context_search over MCP (in memory)', t.search, median(t.directSearch))
await client.close()

// Cold start: spawn `rlm mcp` over stdio until tools/list is answered.
const bin = fileURLToPath(new URL('../../../apps/cli/bin/rlm.js', import.meta.url))
const cold: number[] = []
const bare: number[] = []
for (let r = 0; r < (quick ? 2 : 5); r++) {
  bare.push(await time(async () => spawnSync(process.execPath, ['-e', '0'])))
  const c = new Client({ name: 'bench', version: '1' })
  const t0 = performance.now()
  await c.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp', '--root', dir],
      stderr: 'ignore',
    }),
  )
  await c.listTools()
  cold.push(performance.now() - t0)
  await c.close()
}
add('bare node -e 0', bare)
add('rlm mcp over stdio: spawn to tools/list answered', cold, median(bare))

for (const f of figures) {
  const ratio = f.ideal ? f.value / f.ideal : null
  console.log(`${f.name}: ${f.value.toFixed(1)} ms${ratio ? ` (${ratio.toFixed(2)}x)` : ''}`)
  if (process.env.RLM_BENCH_JSON)
    appendFileSync(process.env.RLM_BENCH_JSON, `${JSON.stringify({ ...f, ratio, package: '@rlm/mcp' })}\n`)
}
process.exit(0)
