// `rlm doctor`: checks what `rlm run` would do with the same flags and environment (see
// doctor-checks.ts), prints each check as ok / warn / FAIL (or JSON), and exits with the code
// `run` would end with at the first failure: 2 for config, 3 for the provider.

import { EXIT } from '@rlm/errors'
import { maskSecrets } from '../config/mask-secrets.ts'
import { type Check, runChecks } from '../doctor/doctor-checks.ts'
import { printFailure, reportFor } from '../error-report.ts'
import { createStyle } from '../term-style.ts'

export default async function doctorCommand(opts: Record<string, unknown>): Promise<number> {
  const { checks, config } = await runChecks(opts)
  const failure = checks.find((c) => c.status === 'fail')
  const report = failure && reportFor(failure.code ?? 'E_CONFIG', `${failure.name}: ${failure.detail}`)
  if (opts.json) {
    const doc = {
      status: failure ? 'error' : 'ok',
      ok: !failure,
      checks: checks.map((c) => ({ ...c, ok: c.status !== 'fail' })),
      config: config ? maskSecrets(config) : null,
      ...(report && { error: { code: report.code, message: report.message }, exitCode: report.exitCode }),
    }
    process.stdout.write(`${JSON.stringify(doc)}\n`)
  } else {
    printChecks(checks)
  }
  if (!report) return EXIT.ok
  printFailure(report, false)
  return report.exitCode
}

function printChecks(checks: readonly Check[]): void {
  const style = createStyle(process.stdout)
  const marks = {
    ok: style.paint('green', 'ok  '),
    warn: style.paint('yellow', 'warn'),
    fail: style.paint('red', 'FAIL'),
  }
  for (const c of checks) process.stdout.write(`${marks[c.status]} ${c.name.padEnd(10)} ${c.detail}\n`)
}
