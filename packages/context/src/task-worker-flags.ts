// The Node flags a context worker (search, chunk plans, token counts) starts with. A worker
// inherits the main thread's execArgv by default, and flags about the main script make one that
// runs a file crash (`node --input-type=module -e ...` → ERR_INPUT_TYPE_NOT_ALLOWED). So a worker
// gets only the flags that decide how its modules resolve and load. V8 flags such as
// --max-old-space-size need no passing on: they hold for the whole process, workers included (and
// a worker refuses them when they are given explicitly).

/** Flags kept, with whether the flag takes the next argument as its value. */
const KEPT = new Map<string, boolean>([
  ['--conditions', true],
  ['-C', true],
  ['--import', true],
  ['--require', true],
  ['-r', true],
  ['--loader', true],
  ['--experimental-loader', true],
  ['--experimental-strip-types', false],
  ['--no-experimental-strip-types', false],
  ['--experimental-transform-types', false],
  ['--enable-source-maps', false],
  ['--no-warnings', false],
  ['--disable-warning', true],
])

/** Main-script flags whose value is the next argument: code that must not be read as flags. */
const DROPPED_WITH_VALUE = new Set(['-e', '--eval', '-p', '--print', '-pe', '-ep', '--input-type'])

/** The execArgv for a context worker: the host's module-loading flags, nothing else. */
export function taskWorkerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = []
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string
    const inline = arg.startsWith('--') && arg.includes('=')
    const name = inline ? arg.slice(0, arg.indexOf('=')) : arg
    const takesValue = KEPT.get(name)
    if (takesValue === undefined) {
      if (!inline && DROPPED_WITH_VALUE.has(name)) i++
      continue
    }
    kept.push(arg)
    if (takesValue && !inline && i + 1 < execArgv.length) kept.push(execArgv[++i] as string)
  }
  return kept
}
