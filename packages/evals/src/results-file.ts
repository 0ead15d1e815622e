// The resumable results file: one JSON line per finished task, appended as each finishes, so
// a crash loses at most the task in flight. A torn last line is skipped, never fatal.
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { RlmError } from '@rlm/errors'
import { type TaskResult, taskResultSchema } from './task-result.ts'

export interface ReadResults {
  results: TaskResult[]
  /** 1-based line numbers that were not valid results (e.g. cut short by a crash). */
  skippedLines: number[]
}

export async function readResultsFile(path: string): Promise<ReadResults> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { results: [], skippedLines: [] }
    throw new RlmError(
      'E_EVAL_RESULTS',
      `Cannot read the results file ${path}: ${(error as Error).message}`,
      {
        cause: error,
        details: { path },
      },
    )
  }
  const results: TaskResult[] = []
  const skippedLines: number[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    try {
      const parsed = taskResultSchema.safeParse(JSON.parse(line))
      if (parsed.success) results.push(parsed.data)
      else skippedLines.push(i + 1)
    } catch {
      skippedLines.push(i + 1)
    }
  })
  return { results, skippedLines }
}

export async function appendResult(path: string, result: TaskResult): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true })
    await appendFile(path, `${JSON.stringify(result)}\n`)
  } catch (error) {
    throw new RlmError(
      'E_EVAL_RESULTS',
      `Cannot write to the results file ${path}: ${(error as Error).message}`,
      {
        cause: error,
        details: { path },
      },
    )
  }
}
