// The suite registry: one generator per suite, looked up by name.
import { RlmError } from '@rlm/errors'
import { type EvalTask, type GenerateOptions, SUITE_NAMES, type SuiteName } from '../task.ts'
import { generateCodeQa } from './code-qa.ts'
import { generateMultiHop } from './multi-hop.ts'
import { generateOolong } from './oolong.ts'
import { generateSniah } from './s-niah.ts'

export interface SuiteInfo {
  name: SuiteName
  title: string
  description: string
  contextKind: 'text' | 'documents'
}

export const SUITES: readonly SuiteInfo[] = [
  {
    name: 's-niah',
    title: 'S-NIAH',
    description: 'One access-code sentence hidden at a depth in filler prose.',
    contextKind: 'text',
  },
  {
    name: 'oolong',
    title: 'OOLONG-style aggregation',
    description: 'Count, compare and top-k over thousands of labelled tickets.',
    contextKind: 'text',
  },
  {
    name: 'multi-hop',
    title: 'Multi-document multi-hop QA',
    description: 'Person -> company -> city across two of hundreds of documents.',
    contextKind: 'documents',
  },
  {
    name: 'code-qa',
    title: 'CodeQA-style',
    description: 'Dead-code and sole-caller questions over a generated TypeScript repository.',
    contextKind: 'documents',
  },
]

const GENERATORS: Record<SuiteName, (options: GenerateOptions) => EvalTask> = {
  's-niah': generateSniah,
  oolong: generateOolong,
  'multi-hop': generateMultiHop,
  'code-qa': generateCodeQa,
}

export function isSuiteName(name: string): name is SuiteName {
  return (SUITE_NAMES as readonly string[]).includes(name)
}

/** Parses 's-niah,oolong' or 'all' into suite names, with a clear error for unknown ones. */
export function parseSuites(input: string): SuiteName[] {
  const names = input
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
  if (names.length === 0 || names.includes('all')) return [...SUITE_NAMES]
  const unknown = names.filter((name) => !isSuiteName(name))
  if (unknown.length > 0) {
    throw new RlmError(
      'E_CONFIG',
      `Unknown suite '${unknown.join("', '")}': choose from ${SUITE_NAMES.join(', ')} or all.`,
      {
        details: { suites: unknown, known: [...SUITE_NAMES] },
      },
    )
  }
  return [...new Set(names as SuiteName[])]
}

/** Generates one task; the same (suite, options) always gives the same task. */
export function generateTask(suite: SuiteName, options: GenerateOptions): EvalTask {
  const generate = GENERATORS[suite]
  if (!generate)
    throw new RlmError('E_CONFIG', `Unknown suite '${suite}': choose from ${SUITE_NAMES.join(', ')}.`)
  return generate(options)
}
