// Cleans a host error message before the guest sees it: no file paths, no environment values, no
// key-like tokens. Only the message crosses, never the host stack.

const MAX_LENGTH = 2000
const MIN_SECRET_LENGTH = 6

const patterns: Array<[RegExp, string]> = [
  [/file:\/\/\S+/g, '<path>'],
  // POSIX absolute paths with at least two segments (/home/x, /etc/passwd), and Windows paths.
  [/(^|[\s'"`(=:,[])\/(?:[\w.@+-]+\/)+[\w.@+-]*/g, '$1<path>'],
  [/\b[A-Za-z]:\\[^\s'"`]*/g, '<path>'],
  [/\\\\[^\s'"`]+/g, '<path>'],
  // Key-like tokens: sk-..., Bearer ..., long runs of base64/hex.
  [/\b(?:sk|pk|rk|ak|xox[abpr]|ghp|gho|github_pat|hf|AKIA)[-_][A-Za-z0-9_-]{8,}/g, '<redacted>'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer <redacted>'],
  [/\b[A-Za-z0-9+/_-]{32,}={0,2}/g, '<redacted>'],
]

let envValues: string[] | undefined

function secretsFromEnv(): string[] {
  if (!envValues) {
    envValues = Object.values(process.env)
      .filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length)
  }
  return envValues
}

export function sanitizeMessage(raw: unknown): string {
  let text = typeof raw === 'string' ? raw : 'host function failed'
  if (text.length > MAX_LENGTH) text = `${text.slice(0, MAX_LENGTH)}...`
  for (const value of secretsFromEnv()) {
    if (text.includes(value)) text = text.split(value).join('<redacted>')
  }
  for (const [pattern, replacement] of patterns) text = text.replace(pattern, replacement)
  return text
}

/** The message of anything a host function threw or rejected with. */
export function hostErrorMessage(error: unknown): string {
  if (error instanceof Error) return sanitizeMessage(error.message)
  if (typeof error === 'string') return sanitizeMessage(error)
  return 'host function failed'
}

const ERROR_CODE = /^E_[A-Z][A-Z0-9_]{0,62}$/

/**
 * The stable code of a host error (an RlmError's `code`, or any thrown object's) when it looks
 * like one (`E_` and capitals): the guest sees it as `err.code`. Anything else is not passed on.
 */
export function hostErrorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined
  let code: unknown
  try {
    code = (error as { code?: unknown }).code
  } catch {
    return undefined
  }
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : undefined
}
