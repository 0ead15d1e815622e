// Size flags such as '8k,128k,1m,10m,100m': decimal multipliers (k = 1,000, m = 1,000,000)
// of estimated tokens.
import { RlmError } from '@rlm/errors'

const MULTIPLIERS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9 }
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([kmb]?)$/i

/** Largest size the generators accept (100M tokens ≈ 400 MB, near V8's string limit). */
export const MAX_SIZE = 120_000_000
export const MIN_SIZE = 1_000

export function parseSize(input: string): number {
  const match = SIZE_PATTERN.exec(input.trim())
  if (!match) {
    throw new RlmError('E_CONFIG', `Bad size '${input}': use a token count like 8k, 128k, 1m or 100m.`, {
      details: { size: input },
    })
  }
  const value = Math.round(Number(match[1]) * (MULTIPLIERS[(match[2] ?? '').toLowerCase()] ?? 1))
  if (value < MIN_SIZE || value > MAX_SIZE) {
    throw new RlmError(
      'E_CONFIG',
      `Size '${input}' is out of range: sizes go from ${formatSize(MIN_SIZE)} to ${formatSize(MAX_SIZE)} tokens.`,
      { details: { size: input, min: MIN_SIZE, max: MAX_SIZE } },
    )
  }
  return value
}

/** Parses a comma-separated list, keeping the given order and dropping duplicates. */
export function parseSizes(input: string): number[] {
  const parts = input
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
  if (parts.length === 0) {
    throw new RlmError('E_CONFIG', 'No sizes given: pass a list like --sizes 8k,128k,1m.', {
      details: { sizes: input },
    })
  }
  return [...new Set(parts.map(parseSize))]
}

/** 8000 -> '8k', 1500000 -> '1.5m', 100000000 -> '100m'. */
export function formatSize(tokens: number): string {
  if (tokens >= 1e6 && tokens % 1e4 === 0) return `${tokens / 1e6}m`
  if (tokens >= 1e3 && tokens % 10 === 0) return `${tokens / 1e3}k`
  return String(tokens)
}
