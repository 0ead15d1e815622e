// Human log lines for a terminal: pino's JSON line in, `rlm warn: budget maxTokens exhausted
// (runId=… used=… limit=…)` out. For stderr when a user asks for logs there; files get JSON.

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
}
/** pino's own fields, and fields shown in other ways. */
const SKIPPED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'err'])
const MAX_VALUE_CHARS = 200

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text
}

/** One JSON log line as one human line (a stack, if any, on the lines after it). */
export function humanLogLine(json: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`
  }
  const level = LEVEL_NAMES[entry.level as number] ?? String(entry.level)
  const fields = Object.entries(entry)
    .filter(([k, v]) => !SKIPPED.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${shown(v)}`)
  const err = entry.err as { stack?: unknown; message?: unknown } | undefined
  const stack = typeof err?.stack === 'string' ? `\n${err.stack}` : ''
  const msg = typeof entry.msg === 'string' ? entry.msg : typeof err?.message === 'string' ? err.message : ''
  return `rlm ${level}: ${msg}${fields.length ? ` (${fields.join(' ')})` : ''}${stack}\n`
}

/** A pino destination writing human lines to `out` (process.stderr). */
export function humanLogStream(out: { write(text: string): unknown }): { write(line: string): void } {
  return { write: (line) => void out.write(humanLogLine(line)) }
}
