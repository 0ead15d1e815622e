// What `rlm submit` puts in a job: the query, a context reference a worker can resolve (paths on
// storage every worker shares, a URL, or stdin's text inline) and the run's plain-data config
// from the same flags, env and config files `rlm run` reads.

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { RlmError } from '@rlm/errors'
import type { ContextRef, RunJobConfig } from '@rlm/queue'
import type { CliConfig } from '../config/config-schema.ts'
import { usageError } from '../usage-error.ts'

const isUrl = (s: string): boolean => /^https?:\/\//i.test(s)

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * `--context` values as one reference: `-` is stdin sent inline, one http(s) URL is read by the
 * worker (under its allowlist), anything else is paths, made absolute, that must exist here and
 * at the same place on every worker.
 */
export async function contextRefOf(inputs: readonly string[]): Promise<ContextRef> {
  if (inputs.length === 0) {
    throw usageError(
      'rlm submit needs --context: a file or folder on storage every worker reads, an http(s) URL, or - for stdin (sent inline in the job).',
    )
  }
  const urls = inputs.filter(isUrl)
  if (inputs.includes('-') || urls.length > 0) {
    if (inputs.length > 1)
      throw usageError('--context - (stdin) and a --context URL each stand alone: give only that one.')
    if (urls[0]) return { kind: 'url', url: urls[0] }
    return { kind: 'inline', text: await readStdin() }
  }
  const paths = inputs.map((p) => resolve(p))
  const missing = paths.find((p) => !existsSync(p))
  if (missing) {
    throw new RlmError(
      'E_CONTEXT_NOT_FOUND',
      `Context path not found: ${missing}. Jobs name paths, not contents: give a path every worker can read at the same place.`,
    )
  }
  return { kind: 'paths', paths }
}

/**
 * A model id a worker can resolve alone: --base-url completes an openai-compatible id into
 * `<id>@<url>`; other providers use the worker's own endpoint and key.
 */
function jobModelId(id: string, config: CliConfig): string {
  if (!id.includes(':')) throw usageError(`Unknown model id '${id}': expected '<provider>:<model>'.`)
  const provider = id.slice(0, id.indexOf(':'))
  if (provider === 'openai-compatible' && !/@https?:\/\//.test(id)) {
    if (!config.baseUrl)
      throw usageError(
        `Model '${id}' needs a server address: pass --base-url <url>, or write openai-compatible:<model>@<url>.`,
      )
    return `${id}@${config.baseUrl}`
  }
  return id
}

/** The run settings of a job (everything but the models) from the CLI's resolved settings. */
export function jobSettingsOf(config: CliConfig): Omit<RunJobConfig, 'model' | 'subModel'> {
  const budget: Record<string, number> = {}
  if (config.budgetTokens !== undefined) budget.maxTokens = config.budgetTokens
  if (config.budgetUsd !== undefined) budget.maxCostUsd = config.budgetUsd
  if (config.timeout !== undefined) budget.maxWallTimeMs = config.timeout
  return {
    maxDepth: config.maxDepth,
    maxIterations: config.maxIterations,
    concurrency: config.concurrency,
    ...(Object.keys(budget).length > 0 && { budget }),
  }
}

/** The job's config from the CLI's resolved settings (keys stay with the workers). */
export function jobConfigOf(config: CliConfig): RunJobConfig {
  if (!config.model) {
    throw usageError(
      'No model configured: pass --model <provider:model> (e.g. openai:gpt-4o-mini), set RLM_MODEL, or add "model" to rlm.config.json.',
    )
  }
  const model = jobModelId(config.model, config)
  const subModel = config.subModel ? jobModelId(config.subModel, config) : undefined
  return { model, ...(subModel && subModel !== model && { subModel }), ...jobSettingsOf(config) }
}
