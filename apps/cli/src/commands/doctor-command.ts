// `rlm doctor`: what a person checks first when rlm does not work: Node, where the config came
// from, which provider keys are set (names only, never values), whether the model server answers
// (short timeout), and whether the cache directory is writable.

import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { maskSecrets, providerKeysSet } from '../config/mask-secrets.ts'
import { resolveConfig } from '../config/resolve-config.ts'
import { EXIT } from '../exit-codes.ts'
import { createStyle } from '../term-style.ts'

interface Check {
  name: string
  ok: boolean
  detail: string
  /** Informational: a failed optional check does not make doctor fail. */
  optional?: boolean
}

const OLLAMA = 'http://localhost:11434/v1'

/** The server a model id talks to, when it is one we can probe without a key. */
function serverOf(model: string | undefined, baseUrl: string | undefined): string | undefined {
  if (baseUrl) return baseUrl
  if (!model) return undefined
  const inline = /@(https?:\/\/.+)$/.exec(model)
  if (inline) return inline[1]
  if (model.startsWith('ollama:')) return OLLAMA
  return undefined
}

async function probe(url: string, timeoutMs = 1500): Promise<{ ok: boolean; detail: string }> {
  const target = `${url.replace(/\/+$/, '')}/models`
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) })
    return { ok: res.status < 500, detail: `${target} answered HTTP ${res.status}` }
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name
    return {
      ok: false,
      detail: `${target} did not answer (${cause}); start the server or fix --base-url / RLM_BASE_URL`,
    }
  }
}

function writable(dir: string): { ok: boolean; detail: string } {
  try {
    mkdirSync(dir, { recursive: true })
    accessSync(dir, constants.W_OK)
    const probeFile = join(dir, `.doctor-${process.pid}`)
    writeFileSync(probeFile, '')
    rmSync(probeFile)
    return { ok: true, detail: `${dir} is writable` }
  } catch (err) {
    return {
      ok: false,
      detail: `${dir} is not writable (${(err as Error).message}); pass --cache-dir or set RLM_CACHE_DIR`,
    }
  }
}

export default async function doctorCommand(opts: Record<string, unknown>): Promise<number> {
  const checks: Check[] = []
  const major = Number(process.versions.node.split('.')[0])
  checks.push({
    name: 'node',
    ok: major >= 22,
    detail: `Node ${process.version}${major >= 22 ? '' : ' (rlm needs >= 22)'}`,
  })

  let resolved: ReturnType<typeof resolveConfig> | undefined
  try {
    resolved = resolveConfig({
      configPath: opts.config as string | undefined,
      flags: {
        ...(opts.model !== undefined && { model: opts.model }),
        ...(opts.baseUrl !== undefined && { baseUrl: opts.baseUrl }),
      },
    })
    const bySource = Object.entries(resolved.sources)
      .filter(([, s]) => s !== 'default')
      .map(([k, s]) => `${k} from ${s}`)
    checks.push({
      name: 'config',
      ok: true,
      detail: `${resolved.file ? `file ${resolved.file}` : 'no rlm.config.json'}; ${bySource.length ? bySource.join(', ') : 'all defaults'}`,
    })
  } catch (err) {
    checks.push({ name: 'config', ok: false, detail: (err as Error).message })
  }
  const keys = providerKeysSet()
  checks.push({
    name: 'keys',
    ok: true,
    detail: Object.entries(keys)
      .map(([k, set]) => `${k} ${set ? 'set' : 'not set'}`)
      .join(', '),
  })
  const config = resolved?.config
  checks.push({
    name: 'model',
    ok: Boolean(config?.model),
    optional: true,
    detail: config?.model ?? 'none configured (pass --model or set RLM_MODEL; `rlm demo` needs none)',
  })
  const server = serverOf(config?.model, config?.baseUrl)
  if (server) checks.push({ name: 'server', ...(await probe(server)) })
  else if (!config?.model) checks.push({ name: 'ollama', optional: true, ...(await probe(OLLAMA, 800)) })
  if (config) checks.push({ name: 'cache dir', ...writable(resolve(config.cacheDir)) })

  const failed = checks.filter((c) => !c.ok && !c.optional)
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ ok: failed.length === 0, checks, config: config ? maskSecrets(config) : null })}\n`,
    )
  } else {
    const style = createStyle(process.stdout)
    for (const c of checks) {
      const mark = c.ok
        ? style.paint('green', 'ok  ')
        : c.optional
          ? style.paint('yellow', 'note')
          : style.paint('red', 'FAIL')
      process.stdout.write(`${mark} ${c.name.padEnd(9)} ${c.detail}\n`)
    }
  }
  return failed.length === 0 ? EXIT.ok : failed.some((c) => c.name === 'server') ? EXIT.provider : EXIT.usage
}
