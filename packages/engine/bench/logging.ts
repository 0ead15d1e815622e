// What logging adds to each iteration. A 200-iteration run (zero-latency scripted model) is
// recorded once; its events are then fed to a run's log again and again with each logger: none
// (logLevel silent, and the default stderr logger at warn, which prints nothing for a good run)
// and rlm's pino logger writing JSON to a file at info, debug and trace. CPU time of this thread
// (the log's work is all synchronous: pino's file writes too), so other jobs on the machine barely
// move the figure. Per iteration = total / (repeats x iterations).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { secretRedactor } from '@rlm/errors'
import { createScripted, type GenerateRequest } from '@rlm/providers'
import { createLogger, createRlm, type RlmEvent, type RlmLogger } from '../src/index.ts'
import { silentLogger } from '../src/logger.ts'
import { createRunLog } from '../src/run-log.ts'
import { report } from './report.ts'

const ITERATIONS = 200
const REPEATS = process.env.RLM_BENCH_QUICK ? 5 : 20
const js = (code: string): string => '```js\n' + code + '\n```'

async function recordedEvents(): Promise<RlmEvent[]> {
  const events: RlmEvent[] = []
  const model = createScripted((req: GenerateRequest) =>
    req.messages.filter((m) => m.role === 'assistant').length + 1 < ITERATIONS
      ? js('x = (globalThis.x ?? 0) + 1\nprint(x)')
      : js('FINAL(x)'),
  )
  const rlm = createRlm({ model, maxIterations: ITERATIONS, compaction: false, logLevel: 'silent' })
  const r = await rlm.run({ query: 'q', context: 'c', onEvent: (e) => events.push(e) })
  if (r.status !== 'final') throw new Error(`run ended ${r.status}: ${r.error?.code} ${r.error?.message}`)
  return events
}

function cpuMicros(fn: () => void): number {
  const before = process.cpuUsage()
  fn()
  const used = process.cpuUsage(before)
  return used.user + used.system
}

export async function loggingOverhead(): Promise<void> {
  const events = await recordedEvents()
  const dir = mkdtempSync(join(tmpdir(), 'rlm-bench-log-'))
  const fileLogger = (level: 'info' | 'debug' | 'trace'): Promise<RlmLogger> =>
    createLogger({ level, file: join(dir, `${level}.log`), maxFileBytes: 2 ** 30 })
  const variants: Array<{ name: string; logger: RlmLogger; logLevel?: 'silent' | 'warn' }> = [
    { name: 'no logger (logLevel silent)', logger: silentLogger, logLevel: 'silent' },
    {
      name: 'default stderr logger at warn (prints nothing)',
      logger: await createLogger({ level: 'warn', stderr: 'human' }),
      logLevel: 'warn',
    },
    { name: 'pino to a file, level info', logger: await fileLogger('info') },
    { name: 'pino to a file, level debug', logger: await fileLogger('debug') },
    { name: 'pino to a file, level trace (every event)', logger: await fileLogger('trace') },
  ]
  const redact = secretRedactor()
  for (const v of variants) {
    const replay = (): void => {
      const log = createRunLog(v.logger, { logLevel: v.logLevel, logger: v.logger }, redact)
      for (const e of events) log.onEvent(e)
    }
    replay() // warm-up
    const micros = cpuMicros(() => {
      for (let i = 0; i < REPEATS; i++) replay()
    })
    report({
      name: `logging per iteration (${events.length / ITERATIONS} events), ${v.name}`,
      value: micros / (REPEATS * ITERATIONS),
      unit: 'us',
      ideal: null,
    })
  }
  rmSync(dir, { recursive: true, force: true })
}
