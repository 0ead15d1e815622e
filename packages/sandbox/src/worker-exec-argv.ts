// Which of the host's Node flags a sandbox worker inherits. Workers get the parent's execArgv by
// default, and flags about the main script (`--input-type`, `-e`, `-p`, `--check`, ...) make a worker
// that runs a file fail (`node --input-type=module -e ...` → ERR_INPUT_TYPE_NOT_ALLOWED).

/** Flags that describe the main script only, with whether they take the next argument as value. */
const MAIN_SCRIPT_FLAGS = new Map<string, boolean>([
  ['--input-type', true],
  ['--eval', true],
  ['-e', true],
  ['--print', true],
  ['-p', true],
  ['-pe', true],
  ['-ep', true],
  ['--check', false],
  ['-c', false],
  ['--interactive', false],
  ['-i', false],
  ['--entry-url', false],
])

/**
 * The execArgv option for a sandbox worker: undefined (inherit, Node's default) unless the host's
 * flags include main-script ones; then the host's flags without them (and their values).
 */
export function workerExecArgv(execArgv: readonly string[]): string[] | undefined {
  const kept: string[] = []
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string
    const name = arg.startsWith('--') ? arg.split('=', 1)[0] : arg
    const takesValue = MAIN_SCRIPT_FLAGS.get(name as string)
    if (takesValue === undefined) {
      kept.push(arg)
      continue
    }
    // `--eval code` carries its value in the next argument, `--eval=code` in itself.
    if (takesValue && !arg.includes('=')) i++
  }
  return kept.length === execArgv.length ? undefined : kept
}
