// Maps what a guest exception looked like to the stable error envelope of a run.
import type { WorkerLimits } from './protocol.ts'
import type { SandboxError } from './run-result.ts'

export interface ErrorFacts {
  name: string
  message: string
  stack: string
  /** The exception value was the object null. */
  isNull?: boolean
  /** Thrown value was an object (an Error or similar), not a primitive. */
  isObject?: boolean
  /** The WASM heap had grown to at least 90% of its cap. */
  heapFull?: boolean
  /** The deadline passed (interrupt, or a sync host call timed out). */
  interrupted?: boolean
  outOfMemory?: boolean
  /** Reading the exception failed (typically: no memory left to do it). */
  describeFailed?: boolean
}

export function classifyGuestError(
  facts: ErrorFacts,
  compile: boolean,
  limits: Pick<WorkerLimits, 'memoryPages'>,
  cellFile: string,
): SandboxError {
  if (facts.interrupted) {
    return {
      code: 'E_TIMEOUT',
      message:
        'The program ran past its time limit and was stopped; variables set before that point are kept. Do less work per cell or split it.',
    }
  }
  // QuickJS throws null when it cannot even allocate its out-of-memory error.
  const memory = facts.outOfMemory || ((facts.isNull || facts.describeFailed) && facts.heapFull)
  if (memory) {
    const mb = Math.round((limits.memoryPages * 65536) / 2 ** 20)
    return {
      code: 'E_MEMORY',
      message: `The program ran out of memory (the sandbox heap is capped near ${mb} MB). Work on slices or counts instead of building large copies.`,
    }
  }
  const position = positionIn(facts.stack, cellFile)
  if (compile && facts.name === 'SyntaxError') {
    return { code: 'E_SYNTAX', name: 'SyntaxError', message: `SyntaxError: ${facts.message}`, ...position }
  }
  if (facts.isNull) return { code: 'E_RUNTIME', name: 'Error', message: 'Uncaught null', stack: '' }
  const stack = facts.stack.trimEnd()
  return {
    code: 'E_RUNTIME',
    name: facts.name,
    message: facts.isObject === false ? facts.message : `${facts.name}: ${facts.message}`,
    stack,
    ...position,
  }
}

function positionIn(stack: string, cellFile: string): { line?: number; column?: number } {
  const match = new RegExp(`${cellFile}:(\\d+)(?::(\\d+))?`).exec(stack)
  if (!match) return {}
  const line = Number(match[1])
  return match[2] === undefined ? { line } : { line, column: Number(match[2]) }
}
