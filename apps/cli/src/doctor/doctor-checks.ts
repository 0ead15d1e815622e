// The checks of `rlm doctor`: what `rlm run` would do with the same flags and environment — the
// config resolves, the model ids parse and load, the provider's key is set, the server answers a
// one-token request (a local model also says where it runs: CPU or GPU), the trace and cache
// folders can be written — each ok, warn or fail with the exit code `run` would end with.
// Nothing is created: writability is checked on the nearest folder that exists.

import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { EXIT, isRlmError } from '@rlm/errors'
import type { LanguageModel } from '@rlm/providers'
import type { CliConfig } from '../config/config-schema.ts'
import { providerKeysSet } from '../config/mask-secrets.ts'
import type { ResolvedConfig } from '../config/resolve-config.ts'
import { describeError } from '../error-report.ts'
import { configFromFlags } from '../run/command-options.ts'
import { createModels, type ModelPlan, type PlannedModels, planModels } from '../run/model-setup.ts'

export type CheckStatus = 'ok' | 'warn' | 'fail'

export interface Check {
  name: string
  status: CheckStatus
  detail: string
  /** For a failed check: the error code and exit code `rlm run` would end with. */
  code?: string
  exitCode?: number
}

/** The longest a doctor's probe request waits (the configured request timeout if shorter). */
const PROBE_TIMEOUT_MS = 10_000

const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail })

function failed(name: string, err: unknown): Check {
  const r = describeError(err)
  return { name, status: 'fail', detail: r.message, code: r.code, exitCode: r.exitCode }
}

export async function runChecks(
  opts: Record<string, unknown>,
): Promise<{ checks: Check[]; config?: CliConfig }> {
  const checks: Check[] = []
  const major = Number(process.versions.node.split('.')[0])
  checks.push(
    major >= 22
      ? ok('node', `Node ${process.version}`)
      : {
          name: 'node',
          status: 'fail',
          detail: `Node ${process.version}; rlm needs >= 22`,
          code: 'E_USAGE',
          exitCode: EXIT.usage,
        },
  )
  let resolved: ResolvedConfig
  try {
    resolved = configFromFlags(opts)
  } catch (err) {
    checks.push(failed('config', err))
    return { checks }
  }
  checks.push(ok('config', configDetail(resolved)))
  for (const r of resolved.refused)
    checks.push({
      name: 'trust',
      status: 'warn',
      detail: `ignored ${r.key} from ${r.file}: a project file may not choose ${r.reason} (pass --trust-config to use it)`,
    })
  const keys = providerKeysSet()
  checks.push(
    ok(
      'keys',
      Object.entries(keys)
        .map(([k, set]) => `${k} ${set ? 'set' : 'not set'}`)
        .join(', '),
    ),
  )
  const config = resolved.config
  const models = await modelChecks(config, checks)
  if (models) {
    checks.push(await probe('server', models.plan.root, models.model))
    if (models.model.backend) checks.push(ok('backend', models.model.backend))
    if (models.plan.sub !== models.plan.root) {
      checks.push(await probe('sub server', models.plan.sub, models.subModel))
      if (models.subModel.backend) checks.push(ok('sub backend', models.subModel.backend))
    }
  }
  checks.push(folderCheck('trace dir', resolve(config.traceDir, 'traces'), '--trace or RLM_TRACE_DIR'))
  checks.push(
    config.cache
      ? folderCheck('cache dir', resolve(config.cacheDir), '--cache-dir or RLM_CACHE_DIR')
      : ok('cache dir', `cache off (--cache turns it on; it would live in ${resolve(config.cacheDir)})`),
  )
  return { checks, config }
}

function configDetail(r: ResolvedConfig): string {
  const bySource = Object.entries(r.sources)
    .filter(([, s]) => s !== 'default')
    .map(([k, s]) => `${k} from ${s}`)
  const user = r.userFile ? `user file ${r.userFile}; ` : ''
  return `${user}${r.file ? `file ${r.file}` : 'no rlm.config.json'}; ${bySource.length ? bySource.join(', ') : 'all defaults'}`
}

/** The model ids as `run` reads them: they parse, their keys are set, their providers load. */
async function modelChecks(
  config: CliConfig,
  checks: Check[],
): Promise<{ plan: PlannedModels; model: LanguageModel; subModel: LanguageModel } | undefined> {
  let plan: PlannedModels
  try {
    plan = planModels(config)
  } catch (err) {
    const auth = isRlmError(err) && err.code === 'E_PROVIDER_AUTH'
    if (auth) checks.push(ok('model', modelDetail(config)))
    checks.push(failed(auth ? 'key' : 'model', err))
    return undefined
  }
  // Doctor's own request: one attempt, a short timeout.
  const probing = (p: ModelPlan): ModelPlan => ({
    ...p,
    settings: {
      ...p.settings,
      maxRetries: 0,
      timeoutMs: Math.min(p.settings.timeoutMs ?? PROBE_TIMEOUT_MS, PROBE_TIMEOUT_MS),
    },
  })
  const root = probing(plan.root)
  const probePlan: PlannedModels = { root, sub: plan.sub === plan.root ? root : probing(plan.sub) }
  try {
    const models = await createModels(probePlan)
    checks.push(ok('model', modelDetail(config)))
    checks.push(ok('key', keyDetail(plan)))
    return { plan: probePlan, ...models }
  } catch (err) {
    checks.push(failed('model', err))
    return undefined
  }
}

function modelDetail(config: CliConfig): string {
  return `${config.model}${config.subModel ? ` (sub-calls: ${config.subModel})` : ''}`
}

function keyDetail(plan: PlannedModels): string {
  const named = [plan.root, plan.sub].map((p) =>
    p.settings.apiKey
      ? `${p.provider}: RLM_API_KEY / apiKey`
      : `${p.provider}: its variable is set, or it needs none`,
  )
  return [...new Set(named)].join('; ')
}

/** One request of one output token, as the first turn of a run would send (without its size). */
async function probe(name: string, plan: ModelPlan, model: LanguageModel): Promise<Check> {
  const started = Date.now()
  try {
    await model.generate({ messages: [{ role: 'user', content: 'Reply with OK.' }], maxOutputTokens: 1 })
    return ok(name, `${plan.id} answered a one-token request in ${Date.now() - started} ms`)
  } catch (err) {
    if (isRlmError(err) && err.code === 'E_PROVIDER_RATE_LIMIT') {
      return {
        name,
        status: 'warn',
        detail: `${plan.id} answered, but is rate-limiting this key now: ${err.message}`,
      }
    }
    return failed(name, err)
  }
}

/** Whether `dir` could be written, checked on it or the nearest folder above that exists. */
function folderCheck(name: string, dir: string, how: string): Check {
  let existing = dir
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing)
  try {
    if (!statSync(existing).isDirectory()) throw new Error(`${existing} is not a folder`)
    accessSync(existing, constants.W_OK)
    return ok(name, existing === dir ? `${dir} is writable` : `${dir} can be created (in ${existing})`)
  } catch (err) {
    return {
      name,
      status: 'fail',
      detail: `${dir} cannot be written (${(err as Error).message}); choose another folder with ${how}`,
      code: 'E_CONFIG',
      exitCode: EXIT.usage,
    }
  }
}
