// The query of `rlm run`: the first argument, or `--query-file <path>` / `--query-file -` (stdin)
// for queries too large for argv (Linux caps one argument at 128 KiB).

import { readFile } from 'node:fs/promises'
import { RlmError } from '@rlm/errors'
import { usageError } from '../usage-error.ts'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function readQuery(arg: string | undefined, queryFile: string | undefined): Promise<string> {
  if (arg !== undefined && queryFile !== undefined) {
    throw usageError('Give the query either as the argument or with --query-file, not both.')
  }
  if (queryFile === undefined) {
    const query = (arg ?? '').trim()
    if (!query) {
      throw usageError(
        'The query is empty: pass the question as the first argument, e.g. rlm run "What changed?" --context notes.txt, or use --query-file <file>.',
      )
    }
    return query
  }
  let text: string
  try {
    text = queryFile === '-' ? await readStdin() : await readFile(queryFile, 'utf8')
  } catch (cause) {
    throw new RlmError(
      'E_USAGE',
      `Cannot read the query file ${queryFile} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}): check the path.`,
      { cause },
    )
  }
  const query = text.trim()
  if (!query) {
    throw usageError(
      `The query is empty: ${queryFile === '-' ? 'stdin' : queryFile} holds no text; write the question into it.`,
    )
  }
  return query
}
