// `rlm mcp`: the MCP server of @rlm/mcp with the CLI's config — models, limits and budgets from
// flags, RLM_* variables, the user config and rlm.config.json (under the trust rule: agents start
// servers inside repositories they do not trust). Stdio by default; --http for Streamable HTTP.

import { resolve } from 'node:path'
import type { RlmConfigInput } from '@rlm/engine'
import { EXIT } from '@rlm/errors'
import type { McpServerOptions } from '@rlm/mcp'
import type { CliConfig } from '../config/config-schema.ts'
import { cliVersion } from '../program.ts'
import { configFromFlags } from '../run/command-options.ts'
import { engineSettings } from '../run/engine-settings.ts'
import { createModels, planModels } from '../run/model-setup.ts'
import { usageError } from '../usage-error.ts'
import { DEFAULT_MCP_PORT } from './mcp-flags.ts'

/** The engine config of each rlm_ask: models resolved once, errors (no model, no key) per call. */
function engineFromConfig(config: CliConfig): () => Promise<RlmConfigInput> {
  let models: ReturnType<typeof createModels> | undefined
  return async () => {
    const plan = planModels(config)
    models ??= createModels(plan)
    models.catch(() => {
      models = undefined
    })
    const { model, subModel } = await models
    return {
      ...(await engineSettings(config)),
      // rlm mcp names its traces like rlm run, so the engine prunes the folder at each run's start.
      traceRetentionDays: config.traceRetentionDays,
      model,
      ...(subModel !== model && { subModel }),
    }
  }
}

function warnWithoutModel(config: CliConfig): void {
  try {
    planModels(config)
  } catch (err) {
    process.stderr.write(
      `rlm mcp: warning: rlm_ask will fail until this is fixed (context_search and context_describe work): ${(err as Error).message}\n`,
    )
  }
}

function wholeFlag(flag: string, value: unknown, min: number, max: number): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw usageError(`${flag}: expected a whole number from ${min} to ${max} (got ${JSON.stringify(value)}).`)
  return n
}

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done())
    process.once('SIGTERM', () => done())
  })
}

async function serveHttp(server: McpServerOptions, opts: Record<string, unknown>): Promise<number> {
  const { startMcpHttpServer } = await import('@rlm/mcp')
  const token = (opts.token as string | undefined) ?? (process.env.RLM_MCP_TOKEN || undefined)
  const http = await startMcpHttpServer({
    server,
    port: opts.port === undefined ? DEFAULT_MCP_PORT : wholeFlag('--port', opts.port, 0, 65_535),
    ...(typeof opts.host === 'string' && { host: opts.host }),
    ...(token !== undefined && { token }),
  })
  process.stderr.write(`rlm mcp: listening on ${http.url}${token ? ' (clients must send the token)' : ''}\n`)
  await untilSignal()
  await http.close()
  return EXIT.ok
}

async function serveOverStdio(server: McpServerOptions): Promise<number> {
  const { createMcpServer, serveStdio } = await import('@rlm/mcp')
  const serving = await serveStdio(createMcpServer(server))
  process.stderr.write('rlm mcp: serving MCP on stdio\n')
  void untilSignal().then(() => serving.close())
  await serving.closed
  return EXIT.ok
}

export default async function mcpCommand(opts: Record<string, unknown>): Promise<number> {
  const { config } = configFromFlags(opts)
  warnWithoutModel(config)
  const roots = (opts.root as string[] | undefined) ?? []
  const server: McpServerOptions = {
    name: 'rlm',
    version: cliVersion(),
    engine: engineFromConfig(config),
    roots,
    ...(opts.maxConcurrentRuns !== undefined && {
      maxConcurrentRuns: wholeFlag('--max-concurrent-runs', opts.maxConcurrentRuns, 1, 1000),
    }),
    traceDir: opts.trace === false ? false : resolve(config.traceDir, 'traces'),
    load: {
      ignore: (opts.ignore as string[] | undefined) ?? [],
      defaultIgnores: opts.defaultIgnores !== false,
    },
  }
  process.stderr.write(
    `rlm mcp: roots: ${roots.length > 0 ? roots.map((r) => resolve(r)).join(', ') : "the client's MCP roots"}\n`,
  )
  return opts.http ? serveHttp(server, opts) : serveOverStdio(server)
}
