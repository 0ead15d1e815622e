// Parses durations written by people: "90s", "2m", "1h", "1500ms", or a bare number of seconds.

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input > 0 ? input * 1000 : undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(input)
  if (!m) return undefined
  const ms = Number(m[1]) * (UNITS[(m[2] ?? 's').toLowerCase()] ?? 1000)
  return ms > 0 ? Math.round(ms) : undefined
}
