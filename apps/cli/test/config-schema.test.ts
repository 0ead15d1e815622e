// The CLI's engine settings (--max-depth, RLM_CONCURRENCY, budgetUsd in rlm.config.json, ...) take
// exactly the values the engine takes, with the engine's defaults: one schema, read from strings.

import { rlmConfigSchema } from '@rlm/engine'
import { describe, expect, it } from 'vitest'
import { cliConfigSchema } from '../src/config/config-schema.ts'

/** CLI key → where the engine keeps it. */
const SHARED: Array<[cli: string, engine: string[]]> = [
  ['maxDepth', ['maxDepth']],
  ['maxIterations', ['maxIterations']],
  ['concurrency', ['concurrency']],
  ['traceRetentionDays', ['traceRetentionDays']],
  ['budgetTokens', ['budget', 'maxTokens']],
  ['budgetUsd', ['budget', 'maxCostUsd']],
]
// `timeout` is the engine's budget.maxWallTimeMs written as a duration ("90s"; a bare number is seconds).

const PROBES = [-1, 0, 0.5, 1, 2, 30, 50, 51, 10_000, 10_001, 2 ** 53]

function engineAccepts(path: string[], value: unknown): boolean {
  const input: Record<string, unknown> = { model: 'scripted:m' }
  if (path.length === 1) input[path[0] as string] = value
  else input[path[0] as string] = { [path[1] as string]: value }
  return rlmConfigSchema.safeParse(input).success
}

describe("the CLI's engine settings", () => {
  it.each(SHARED)('%s takes exactly the values the engine takes, also as strings', (cli, path) => {
    for (const value of PROBES) {
      const engine = engineAccepts(path, value)
      expect(cliConfigSchema.safeParse({ [cli]: value }).success, `${cli} = ${value}`).toBe(engine)
      expect(cliConfigSchema.safeParse({ [cli]: String(value) }).success, `${cli} = "${value}"`).toBe(engine)
    }
  })

  it("defaults to the engine's defaults and says what the engine says", () => {
    const cli = cliConfigSchema.parse({})
    const engine = rlmConfigSchema.parse({ model: 'scripted:m' })
    expect(cli.maxDepth).toBe(engine.maxDepth)
    expect(cli.maxIterations).toBe(engine.maxIterations)
    expect(cli.concurrency).toBe(engine.concurrency)
    expect(cli.traceRetentionDays).toBe(engine.traceRetentionDays)
    const tooDeep = cliConfigSchema.safeParse({ maxDepth: '51' }).error?.issues[0]?.message
    expect(tooDeep).toBe(rlmConfigSchema.safeParse({ model: 'm', maxDepth: 51 }).error?.issues[0]?.message)
    expect(cliConfigSchema.safeParse({ maxDepth: 'deep' }).error?.issues[0]?.message).toBe(
      'expected a whole number of levels',
    )
    expect(cliConfigSchema.safeParse({ timeout: 'soon' }).error?.issues[0]?.message).toMatch(/90s, 5m/)
    expect(cliConfigSchema.safeParse({ timeout: '0.0001' }).success).toBe(false)
    expect(cliConfigSchema.parse({ timeout: '90s', logLevel: 'debug' })).toMatchObject({
      timeout: 90_000,
      logLevel: 'debug',
    })
  })
})
