// Child process for clean memory figures: load a file + describe, report time and peak RSS.
import { statSync } from 'node:fs'
import { loadContext } from '../src/index.ts'

const file = process.argv[2] as string
const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const base = process.memoryUsage().rss
const baseMax = process.resourceUsage().maxRSS * 1024
const t0 = performance.now()
const ctx = await loadContext({ path: file })
const shape = ctx.describe()
const ms = performance.now() - t0
const t1 = performance.now()
const hits = ctx.search('timeout value=9999', { literal: true }).length
const searchMs = performance.now() - t1
const peak = Math.max(process.resourceUsage().maxRSS * 1024, baseMax)
const bytes = statSync(file).size
process.stdout.write(
  JSON.stringify({
    bytes,
    ms,
    searchMs,
    hits,
    rssAbove: peak - base,
    ratio: (peak - base) / bytes,
    shapeLen: shape.length,
    length: ctx.length,
  }),
)
