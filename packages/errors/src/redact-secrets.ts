// The one redaction point for everything that leaves the host (guest-visible errors, traces,
// events, JSON output, logs, error lines): the API keys in use, any Bearer / x-api-key value, and
// the values of the environment variables that hold keys. A server that echoes the key in an error
// body must not get it into an answer, a trace or a terminal.

import { isRlmError, RlmError } from './rlm-error.ts'

/** Environment variables whose values are keys: the providers' and rlm's own. */
export const KEY_ENV_VARS = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GROQ_API_KEY',
  'RLM_API_KEY',
  'RLM_SERVER_TOKEN',
] as const
export type KeyEnvVar = (typeof KEY_ENV_VARS)[number]

/** What a redacted value is replaced with. */
export const REDACTED = '<redacted>'

/** Shorter values are not treated as secrets: replacing them would garble ordinary text. */
const MIN_SECRET_CHARS = 6
/** Other variables named like keys (a custom provider's FOO_API_KEY) count when this long. */
const MIN_GUESSED_SECRET_CHARS = 12
const KEY_LIKE_ENV_NAME = /(?:_API_KEY|_TOKEN|_SECRET)$/

// Shared by every copy of this package in the process, like isRlmError's brand: the copy the
// providers register keys with may not be the copy the engine redacts with.
const registryKey = Symbol.for('rlm.secrets')
interface Registry {
  values: Set<string>
  /** Bumped when a value is added, so a redactor built earlier picks it up. */
  version: number
}
function registry(): Registry {
  const g = globalThis as { [registryKey]?: Registry }
  g[registryKey] ??= { values: new Set(), version: 0 }
  return g[registryKey]
}

/** Registers a key in use (an apiKey setting, a header value) so every redaction removes it. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string') return
  const v = value.trim()
  const r = registry()
  if (v.length < MIN_SECRET_CHARS || r.values.has(v)) return
  r.values.add(v)
  r.version++
}

// Listing the whole environment costs ~0.1 ms, too much for every event of a run: variables
// merely named like keys are looked up at most once a second (the known ones on every call).
const GUESS_TTL_MS = 1000
let guessed: { at: number; values: string[] } | undefined

function guessedEnvSecrets(env: NodeJS.ProcessEnv): string[] {
  const now = Date.now()
  if (env === process.env && guessed && now - guessed.at < GUESS_TTL_MS) return guessed.values
  const values: string[] = []
  for (const [name, value] of Object.entries(env)) {
    const v = value?.trim()
    if (v && v.length >= MIN_GUESSED_SECRET_CHARS && KEY_LIKE_ENV_NAME.test(name)) values.push(v)
  }
  if (env === process.env) guessed = { at: now, values }
  return values
}

function envSecrets(env: NodeJS.ProcessEnv): string[] {
  const out = guessedEnvSecrets(env).slice()
  for (const name of KEY_ENV_VARS) {
    const v = env[name]?.trim()
    if (v && v.length >= MIN_SECRET_CHARS) out.push(v)
  }
  return out
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// Group 1: a known secret. Groups 2/3: an Authorization / Bearer value. Groups 4/5: a key-named
// header, field or query parameter. Group 6: a token shaped like a provider key (sk-..., gsk_...).
const PATTERNS = [
  String.raw`(\b(?:authorization["']?\s*[:=]\s*["']?)?bearer\s+)([A-Za-z0-9._~+/=-]{4,})`,
  String.raw`(\b(?:x-api-key|x-goog-api-key|api[-_]?key|access[-_]?token|authorization)["']?\s*[:=]\s*["']?(?:(?:basic|bearer|token)\s+)?)((?!(?:basic|bearer|token)\b)[^\s"',;&}<>]{4,})`,
  String.raw`(\b(?:sk|gsk|xai)[-_][A-Za-z0-9_-]{16,})`,
].join('|')

/** Anything PATTERNS could match contains one of these words. */
const MAYBE_SECRET = /bearer|key|token|authori|sk[-_]|xai[-_]/i

let cached: { key: string; re: RegExp } | undefined

function matcher(secrets: string[]): RegExp {
  const unique = [...new Set(secrets)].sort((a, b) => b.length - a.length)
  const key = unique.join('\u0000')
  if (cached?.key !== key) {
    // (?!) never matches: group 1 exists even when there is no known secret yet.
    const literal = `(${unique.length > 0 ? unique.map(escapeRegExp).join('|') : '(?!)'})|`
    cached = { key, re: new RegExp(literal + PATTERNS, 'gi') }
  }
  return cached.re
}

/**
 * A function that redacts one string. It reads the environment once, when built, and follows
 * keys registered later: build one per run or document and apply it to every string in it.
 */
export function secretRedactor(
  extraSecrets: Iterable<string> = [],
  env: NodeJS.ProcessEnv = process.env,
): (text: string) => string {
  const fixed = envSecrets(env)
  for (const s of extraSecrets)
    if (typeof s === 'string' && s.trim().length >= MIN_SECRET_CHARS) fixed.push(s.trim())
  const reg = registry()
  let version = -1
  let re = /(?!)/g
  let secrets: string[] = []
  return (text) => {
    if (text.length < 4) return text
    if (version !== reg.version) {
      version = reg.version
      secrets = [...reg.values, ...fixed]
      re = matcher(secrets)
    }
    // Most text holds nothing secret: plain substring checks and one cheap scan skip the full
    // pattern (about 3x faster on ordinary events).
    if (!MAYBE_SECRET.test(text) && !secrets.some((v) => text.includes(v))) return text
    re.lastIndex = 0
    return text.replace(re, (_all: string, known?: string, bearer?: string, _b?: string, named?: string) =>
      known ? REDACTED : `${bearer ?? named ?? ''}${REDACTED}`,
    )
  }
}

/** `text` without the keys in use, Bearer / x-api-key values or key variables' values. */
export function redactSecrets(text: string, extraSecrets?: Iterable<string>): string {
  return secretRedactor(extraSecrets)(text)
}

/**
 * A copy of `value` with every string in it redacted (objects and arrays copied only where
 * something changed). For events, results and JSON documents before they leave the host; pass a
 * secretRedactor() built once to redact many values cheaply.
 */
export function redactValue<T>(value: T, redact: (text: string) => string = secretRedactor()): T {
  const seen = new WeakSet<object>()
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redact(v)
    if (v === null || typeof v !== 'object' || depth > 64 || seen.has(v)) return v
    seen.add(v)
    if (Array.isArray(v)) {
      let out: unknown[] | undefined
      for (let i = 0; i < v.length; i++) {
        const r = walk(v[i], depth + 1)
        if (r === v[i]) continue
        out ??= v.slice()
        out[i] = r
      }
      return out ?? v
    }
    // An RlmError serializes through toJSON (message and details): redact what would be written.
    if (isRlmError(v)) return walk(v.toJSON(), depth + 1)
    const proto = Object.getPrototypeOf(v)
    if (proto !== Object.prototype && proto !== null) return v
    let out: Record<string, unknown> | undefined
    for (const [k, item] of Object.entries(v)) {
      const r = walk(item, depth + 1)
      if (r === item) continue
      out ??= { ...(v as Record<string, unknown>) }
      out[k] = r
    }
    return out ?? v
  }
  return walk(value, 0) as T
}

/**
 * The same error with its message and details redacted, or `error` itself when nothing in them is
 * secret: for errors rethrown to code that shows them (the guest, a caller's catch).
 */
export function redactError<E>(error: E): E | RlmError {
  const redact = secretRedactor()
  if (isRlmError(error)) {
    const message = redact(error.message)
    const details = redactValue(error.details, redact)
    if (message === error.message && details === error.details) return error
    return new RlmError(error.code, message, { cause: error.cause, isRetryable: error.isRetryable, details })
  }
  if (error instanceof Error) {
    const message = redact(error.message)
    if (message === error.message) return error
    const copy = new Error(message, { cause: error.cause })
    copy.name = error.name
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string') Object.assign(copy, { code })
    return copy as E
  }
  return error
}
